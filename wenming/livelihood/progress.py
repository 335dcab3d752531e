"""Progress arithmetic: one place for the percentages, the milestone schedule and the report
deadline, so the staff pages, the portal, the metrics and the report print the same numbers.

- A target's progress is the sum of the approved monthly quantities over the target
  quantity, capped at 100 %. A project's progress is the mean of its targets' progress.
- The schedule: by each milestone's due date the project should be `planned_percent` done.
  The expected progress on a day is that of the latest milestone due on or before it.
- A project lags when its progress is below the expected progress.
- Month M's report is due at the end of the REPORT_DUE_WORKDAY-th working day of month M+1
  (work calendar: national holidays and make-up days, admin overrides). It is overdue when
  no report for M was submitted by then (a late first submission stays counted as overdue).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from wenming.core.calendar import work_calendar

REPORT_DUE_WORKDAY = 5
HUNDRED = Decimal(100)


def percent(done: Decimal, target: Decimal) -> Decimal:
    """done / target in %, one decimal, capped at 100 (overshooting a target is not extra)."""
    if target <= 0:
        return Decimal(0)
    value = min(HUNDRED, HUNDRED * done / target)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def project_percent(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Mean of the targets' percentages; 0 for a project without targets."""
    values = [percent(done, target) for done, target in pairs]
    if not values:
        return Decimal(0)
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def expected_percent(milestones: Iterable[tuple[date, int]], on: date) -> int:
    """Planned progress of the latest milestone due on or before `on` (0 before the first)."""
    due = [(d, p) for d, p in milestones if d <= on]
    return max(due)[1] if due else 0


@dataclass(frozen=True)
class Standing:
    """Where a project stands on a day."""

    percent: Decimal
    expected: int

    @property
    def lagging(self) -> bool:
        return self.percent < self.expected

    @property
    def finished(self) -> bool:
        return self.percent >= HUNDRED


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def report_due(month: date) -> date:
    """The last day to submit month `month`'s report: the N-th working day of the next month."""
    calendar, day, seen = work_calendar(), next_month(month), 0
    while True:
        if calendar.is_workday(day):
            seen += 1
            if seen == REPORT_DUE_WORKDAY:
                return day
        day += timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s month to `last`'s month, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months
