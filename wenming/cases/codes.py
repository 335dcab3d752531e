"""A case's code: the prefix, the local day of its report and the day's number, e.g.
BT202611230017 (WENMING_CASE_PREFIX "BT", 2026-11-23, the 17th case of that day).

Everything that writes a code, or reads one by its layout, goes through this module: the
search relies on the layout (codes_reported_within) to walk the code index from a date
window's first day instead of from the oldest case."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def case_code(day: date, number: int) -> str:
    """The code of the day's `number`-th case (`day`: the local day of its report)."""
    return f"{_day_prefix(day)}{number:04d}"


def _day_prefix(day: date) -> str:
    return f"{settings.WENMING_CASE_PREFIX}{day:%Y%m%d}"


def codes_reported_within(start: datetime | None, last_day: date | None) -> Q:
    """The codes of the cases reported from `start` to the end of `last_day` (either open),
    as a range of the code index: every code of a day begins with the prefix and that day,
    so the window's codes sort between the first day's prefix and the next day's after the
    last. A condition the report time already implies; it lets a search in code order start
    at the window (cases.selectors.cases_search)."""
    within = Q()
    if start is not None:
        within &= Q(code__gte=_day_prefix(timezone.localdate(start)))
    if last_day is not None:
        within &= Q(code__lt=_day_prefix(last_day + timedelta(days=1)))
    return within
