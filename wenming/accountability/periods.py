"""Periods of the metrics: a day, an ISO week (Monday first), a month, a quarter or a year,
as half-open ranges of local dates [start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.validators import validate_day_in_range

from .models import PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.DAY:
            return f"{self.start:%Y-%m-%d}"
        if self.kind == PeriodKind.WEEK:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.kind, self.end)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_containing(kind: str, day: date) -> Period:
    """The period of type `kind` that contains `day`."""
    if kind == PeriodKind.DAY:
        return Period(kind, day, day + timedelta(days=1))
    if kind == PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _add_months(start, 1))
    if kind == PeriodKind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, _add_months(start, 3))
    if kind == PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))
    raise InvalidInput(_("Unknown period type “%(kind)s”.") % {"kind": kind})


def period_parse(kind: str | None, day: str | None) -> Period:
    """The period from request parameters (default: this month); InvalidInput when bad."""
    kind = kind or PeriodKind.MONTH
    if kind not in PeriodKind.values:
        raise InvalidInput(_("Unknown period type “%(kind)s”.") % {"kind": kind})
    if not day:
        return period_containing(kind, timezone.localdate())
    try:
        parsed = date.fromisoformat(day)
    except ValueError as exc:
        raise InvalidInput(_("Give the date as YYYY-MM-DD.")) from exc
    try:
        validate_day_in_range(parsed)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0]) from exc
    return period_containing(kind, parsed)
