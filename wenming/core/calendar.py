"""The work calendar: which days are workdays, and time limits counted in working time.

Semantics (case deadlines, sign/handle/verify limits and the overdue scan rely on them):

- **Workdays.** An admin `CalendarOverride` for the date wins; otherwise
  `chinese_calendar.is_workday` decides (public holidays off, 调休 make-up weekend days on).
  Years the package has no data for (1.11.0 covers 2004–2026) fall back to Monday–Friday on,
  Saturday–Sunday off; overrides still apply there, so an admin can enter next year's holidays
  before the package is updated.
- **Office hours.** The working periods of every workday, from the `OfficeHours` rows; with no
  rows, 08:30–12:00 and 14:30–18:00 (7 working hours a day). Periods are wall-clock times in
  `settings.TIME_ZONE` (Asia/Shanghai); working time is wall-clock time inside them.
- **Datetimes** passed in must be timezone-aware (any zone); they are converted to
  `settings.TIME_ZONE`, and results are aware datetimes in that zone. Naive ones raise ValueError.
- **Working position.** Think of a clock that runs only inside working periods of workdays. A
  start outside office hours (lunch break, night, weekend, holiday) sits where the clock stands
  still, so it counts from the next opening.
- `add_working_hours(start, h)` walks forward h hours of working time. A result that falls on a
  boundary is the earliest such instant: the *close* of a period, not the next opening
  (Friday 17:00 + 1 h = Friday 18:00; Monday 08:30 + 7 h = Monday 18:00). A negative amount
  walks backwards and lands on the latest instant, an opening (Monday 10:00 − 1.5 h = Monday
  08:30). Adding zero (hours or days) returns the start unchanged, so moving a deadline by a
  zero pause keeps it where it was.
- `add_working_days(start, n)` keeps the position inside the working day: the same wall-clock
  time n workdays later (Friday 10:00 + 1 = Monday 10:00; a deadline at Monday 18:00 + 1 =
  Tuesday 18:00; negative n goes back). A start outside office hours first moves to the next
  opening (Saturday 10:00 + 1 = Tuesday 08:30; Tuesday 13:00 + 1 = Wednesday 14:30). It is
  always n × (working hours per day) of working time after the start, so it equals
  `add_working_hours(start, n × hours per day)` except on a boundary, where that one gives the
  earlier close (Saturday 10:00 + 7 h = Monday 18:00). `add(start, x, "days")` with a
  fractional x adds x × (working hours per day) as hours.
- `working_seconds_between(start, end)` is the working time between the two (negative if
  end < start); for every start and h, `working_seconds_between(start, add_working_hours(start,
  h)) == h * 3600` up to a microsecond.

Speed: a `WorkCalendar` holds no database connection. Per year it lazily builds a workday table
and its running count, so whole non-working stretches (and whole years) are skipped by
arithmetic and bisection: building a year takes about 2 ms, and a deadline plus the working
time left costs about 40 µs per case on the 2-core machine, however far the dates reach.
`work_calendar()` returns the process's calendar: it re-reads the two small tables at most every
few seconds and rebuilds only when they changed; admin saves call `invalidate_work_calendar()`.
"""

from __future__ import annotations

import threading
import time as monotonic_clock
from bisect import bisect_right
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import chinese_calendar
from django.utils import timezone

DEFAULT_PERIODS: list[tuple[time, time]] = [(time(8, 30), time(12, 0)), (time(14, 30), time(18))]
FINGERPRINT_TTL_SECONDS = 5.0
UNITS = ("hours", "days")

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND


def _time_us(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _US_PER_SECOND + (
        value.microsecond
    )


def national_is_workday(day: date) -> bool | None:
    """What chinese_calendar says about the day, or None for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


class _Year:
    """One year's workdays: `workday[i]` for day i of the year, `count[i]` workdays before it."""

    __slots__ = ("count", "first", "total", "workday")

    def __init__(self, year: int, overrides: dict[date, bool]) -> None:
        self.first = date(year, 1, 1)
        days = (date(year + 1, 1, 1) - self.first).days
        self.workday = [(self.first + timedelta(days=i)).weekday() < 5 for i in range(days)]
        # The package departs from Monday–Friday only on the dates of its holiday and
        # make-up-workday tables; ask it about those (a year it has no data for raises).
        if national_is_workday(self.first) is not None:
            for day in _NATIONAL_EXCEPTIONS.get(year, ()):
                self.workday[self.index(day)] = bool(chinese_calendar.is_workday(day))
        for day, is_workday in overrides.items():
            if day.year == year:
                self.workday[self.index(day)] = is_workday
        self.count = [0] * (days + 1)
        for i in range(days):
            self.count[i + 1] = self.count[i] + self.workday[i]
        self.total = self.count[days]

    def index(self, day: date) -> int:
        return day.toordinal() - self.first.toordinal()

    def nth(self, n: int) -> date:
        """The workday with n workdays before it in this year (0 <= n < total)."""
        return self.first + timedelta(days=bisect_right(self.count, n) - 1)


def _national_exceptions() -> dict[int, list[date]]:
    by_year: dict[int, list[date]] = {}
    for day in {*chinese_calendar.holidays, *chinese_calendar.workdays}:
        by_year.setdefault(day.year, []).append(day)
    return by_year


_NATIONAL_EXCEPTIONS = _national_exceptions()


class WorkCalendar:
    """Workdays and office hours; see the module docstring for the exact semantics."""

    def __init__(self, overrides: dict[date, bool], periods: list[tuple[time, time]]) -> None:
        self._overrides = dict(overrides)
        self._tz: tzinfo = timezone.get_default_timezone()
        self._years: dict[int, _Year] = {}
        self._periods = _checked_periods(periods)
        self._before: list[int] = []  # working µs of the day before each period opens
        total = 0
        for start, end in self._periods:
            self._before.append(total)
            total += end - start
        self._day_us = total

    @property
    def working_hours_per_day(self) -> float:
        return self._day_us / _US_PER_HOUR

    # -- days -------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Override first, else the national calendar, else Monday–Friday."""
        year = self._year(day.year)
        return year.workday[year.index(day)]

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = _Year(year, self._overrides)
        return table

    def _workdays_between(self, first: date, last: date) -> int:
        """Workdays in [first, last); negative when last < first."""
        if last < first:
            return -self._workdays_between(last, first)
        a, b = self._year(first.year), self._year(last.year)
        if first.year == last.year:
            return b.count[b.index(last)] - a.count[a.index(first)]
        middle = sum(self._year(y).total for y in range(first.year + 1, last.year))
        return a.total - a.count[a.index(first)] + middle + b.count[b.index(last)]

    def _workday_at(self, origin: date, k: int) -> date:
        """The workday d with `_workdays_between(origin, d) == k`: for k >= 0 the (k+1)-th
        workday on or after origin, for k < 0 the (-k)-th workday before it."""
        year = self._year(origin.year)
        if k >= 0:
            n = year.count[year.index(origin)] + k
            while n >= year.total:
                n -= year.total
                year = self._year(year.first.year + 1)
            return year.nth(n)
        n = year.count[year.index(origin)] + k
        while n < 0:
            year = self._year(year.first.year - 1)
            n += year.total
        return year.nth(n)

    # -- instants ---------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("WorkCalendar needs timezone-aware datetimes.")
        return moment.astimezone(self._tz)

    def _worked_in_day(self, local: datetime) -> int:
        """Working µs of local's day before local (0 on a non-working day)."""
        if not self.is_workday(local.date()):
            return 0
        now = _time_us(local.time())
        return sum(min(max(now - start, 0), end - start) for start, end in self._periods)

    def _instant(self, day: date, offset: int, *, earliest: bool) -> datetime:
        """The instant of `day` after `offset` working µs; on a boundary the close of a period
        (earliest) or the next opening (latest)."""
        for (start, end), before in zip(self._periods, self._before, strict=True):
            inside = offset - before
            if inside < end - start or (earliest and inside == end - start):
                moment = datetime.combine(day, time()) + timedelta(microseconds=start + inside)
                return moment.replace(tzinfo=self._tz)
        raise AssertionError("offset beyond the working day")  # callers keep offset in range

    def _shift(self, start: datetime, amount_us: int) -> datetime:
        local = self._local(start)
        target = self._worked_in_day(local) + amount_us  # working µs after local's day began
        earliest = amount_us > 0
        # k whole working days on: the earliest instant keeps the offset in (0, day], the latest
        # in [0, day).
        k = (target - 1) // self._day_us if earliest else target // self._day_us
        day = self._workday_at(local.date(), k)
        return self._instant(day, target - k * self._day_us, earliest=earliest)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """start + hours of working time."""
        amount_us = round(hours * _US_PER_HOUR)
        return self._shift(start, amount_us) if amount_us else self._local(start)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same position of the working day `days` workdays later (earlier if negative);
        a start outside office hours counts from the next opening."""
        local = self._local(start)
        if not days:
            return local
        if not self._in_office_hours(local):
            local = self._shift(local, 0)  # the next opening
        day = self._workday_at(local.date(), days)
        return datetime.combine(day, local.time()).replace(tzinfo=self._tz)

    def _in_office_hours(self, local: datetime) -> bool:
        """Inside a working period of a workday, its opening and close included."""
        now = _time_us(local.time())
        in_period = any(start <= now <= end for start, end in self._periods)
        return in_period and self.is_workday(local.date())

    def add(self, start: datetime, amount: float, unit: str) -> datetime:
        """start + amount working `hours` or `days` (a fractional day counts as hours)."""
        if unit == "hours":
            return self.add_working_hours(start, amount)
        if unit == "days" and float(amount).is_integer():
            return self.add_working_days(start, int(amount))
        if unit == "days":
            return self._shift(start, round(amount * self._day_us))
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Working seconds from start to end; negative when end is before start."""
        first, last = self._local(start), self._local(end)
        days = self._workdays_between(first.date(), last.date())
        worked = days * self._day_us + self._worked_in_day(last) - self._worked_in_day(first)
        return worked / _US_PER_SECOND


def _checked_periods(periods: list[tuple[time, time]]) -> list[tuple[int, int]]:
    """Periods as sorted (start µs, end µs); ValueError when empty, reversed or overlapping."""
    result = sorted((_time_us(start), _time_us(end)) for start, end in periods)
    if not result:
        raise ValueError("a work calendar needs at least one working period")
    for i, (start, end) in enumerate(result):
        if end <= start:
            raise ValueError("a working period must end after it starts")
        if i and start < result[i - 1][1]:
            raise ValueError("working periods must not overlap")
    return result


# -- the process's calendar -----------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, Any] = {"calendar": None, "rows": None, "checked_at": 0.0}


def _rows() -> tuple[tuple[tuple[date, bool], ...], tuple[tuple[time, time], ...]]:
    from .models import CalendarOverride, OfficeHours

    overrides = tuple(CalendarOverride.objects.order_by("date").values_list("date", "is_workday"))
    periods = tuple(OfficeHours.objects.order_by("start", "end").values_list("start", "end"))
    return overrides, periods


def work_calendar() -> WorkCalendar:
    """The current calendar. Re-reads overrides and office hours (two small queries) at most
    every FINGERPRINT_TTL_SECONDS and rebuilds only if they changed; between checks it costs no
    query. Code that changes the tables should call invalidate_work_calendar() after commit."""
    now = monotonic_clock.monotonic()
    with _lock:
        calendar = _cache["calendar"]
        if calendar is not None and now - _cache["checked_at"] < FINGERPRINT_TTL_SECONDS:
            return calendar  # type: ignore[no-any-return]
        rows = _rows()
        _cache["checked_at"] = now
        if calendar is None or rows != _cache["rows"]:
            overrides, periods = rows
            calendar = WorkCalendar(dict(overrides), list(periods) or DEFAULT_PERIODS)
            _cache["calendar"], _cache["rows"] = calendar, rows
        return calendar  # type: ignore[no-any-return]


def invalidate_work_calendar() -> None:
    """Forget the cached calendar; the next work_calendar() call reads the tables again."""
    with _lock:
        _cache["calendar"] = None
        _cache["rows"] = None
