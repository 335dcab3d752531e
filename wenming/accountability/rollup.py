"""Keeping the daily rollups current: incrementally (the periodic job) or from scratch.

`rollups_refresh` reads the event log past its watermark, replays every case that changed
(plus cases whose handle deadline passed since the last run, which become due without an
event), rewrites those cases' facts and re-sums only the days whose facts changed. It is
idempotent: running it twice, or after `rollups_rebuild`, gives the same rows. Events are
re-read from `LAG` before the last run too, so an event committed late by a slow transaction
(its id below the watermark) is still picked up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from wenming.cases.models import Case, CaseEvent, TimeLimit
from wenming.cases.routing import time_limit_for
from wenming.dashboard.rollup import dashboard_rollups_refresh

from .facts import case_facts
from .models import DailyRollup, MetricFact, RollupWatermark

WATERMARK = "cases"
LAG = timedelta(minutes=10)
CHUNK = 400


@dataclass(frozen=True)
class RefreshResult:
    cases: int
    days: int


def _chunks(items: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    batch: list[int] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Limits(dict[tuple[int | None, str], TimeLimit]):
    def for_case(self, case: Case) -> TimeLimit:
        key = (case.category_id, case.urgency)
        if key not in self:
            self[key] = time_limit_for(category=case.category, urgency=case.urgency)
        return self[key]


class EventRow(NamedTuple):
    """The few columns of an event the replay reads (tuples: no model instances to build)."""

    pk: int
    action: str
    unit_id: int | None
    data: dict
    created_at: datetime


def _events_by_case(case_ids: list[int]) -> dict[int, list[EventRow]]:
    events: dict[int, list[EventRow]] = defaultdict(list)
    rows = CaseEvent.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "id", "action", "unit_id", "data", "created_at"
    )
    for case_id, *columns in rows.order_by():
        events[case_id].append(EventRow(*columns))
    return events


def _insert_facts(rows: list[tuple]) -> None:
    table = MetricFact._meta.db_table
    sql = (
        f"INSERT INTO {table} (case_id, kind, day, unit_id, region_id, region_path) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def facts_rebuild(
    case_ids: list[int], *, now: datetime, limits: _Limits | None = None
) -> set[date]:
    """Rewrite the facts of these cases; returns the days whose sums may have changed."""
    limits = limits if limits is not None else _Limits()
    old = MetricFact.objects.filter(case_id__in=case_ids)
    days = set(old.values_list("day", flat=True).distinct())
    events = _events_by_case(case_ids)
    adapt = connection.ops.adapt_datefield_value
    rows, new_days = [], set()
    for case in Case.objects.filter(pk__in=case_ids).select_related("region", "category"):
        region_path = case.region.path if case.region else ""
        for fact in case_facts(case, events[case.pk], now=now, limits=limits.for_case(case)):
            new_days.add(fact.day)
            row = (case.pk, fact.kind, adapt(fact.day), fact.unit_id, case.region_id, region_path)
            rows.append(row)
    old.delete()
    _insert_facts(rows)
    return days | new_days


def _sum_sql(day_count: int) -> str:
    rollup, fact = DailyRollup._meta.db_table, MetricFact._meta.db_table
    marks = ", ".join(["%s"] * day_count)
    columns = "day, unit_id, region_id, region_path, kind"
    return (
        f"INSERT INTO {rollup} ({columns}, count) "  # noqa: S608 — table names, not input
        f"SELECT {columns}, COUNT(*) FROM {fact} WHERE day IN ({marks}) "
        f"GROUP BY {columns}"
    )


def rollups_rebuild_days(days: Iterable[date]) -> None:
    """Re-sum the rollup rows of these days from the facts (one INSERT … SELECT per chunk)."""
    ordered = sorted(set(days))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        DailyRollup.objects.filter(day__in=chunk).delete()
        with connection.cursor() as cursor:
            cursor.execute(_sum_sql(len(chunk)), chunk)


def _watermark() -> RollupWatermark:
    RollupWatermark.objects.get_or_create(name=WATERMARK)
    # The lock keeps two workers from re-summing the same days at once.
    return RollupWatermark.objects.select_for_update().get(name=WATERMARK)


def _changed_cases(mark: RollupWatermark, max_id: int, now: datetime) -> set[int]:
    changed = Q(id__gt=mark.last_event_id, id__lte=max_id)
    if mark.last_run_at is not None:
        changed |= Q(created_at__gte=mark.last_run_at - LAG)
    ids = set(CaseEvent.objects.filter(changed).values_list("case_id", flat=True).distinct())
    if mark.last_run_at is not None:
        passed = Case.objects.filter(
            handle_deadline__gt=mark.last_run_at - LAG, handle_deadline__lte=now
        )
        ids |= set(passed.values_list("pk", flat=True))
    return ids


def rollups_refresh(*, now: datetime | None = None) -> RefreshResult:
    """Bring facts and rollups up to date with the event log (the periodic job). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark()
        max_id = CaseEvent.objects.aggregate(top=Max("id"))["top"] or 0
        case_ids = _changed_cases(mark, max_id, now)
        limits, days = _Limits(), set()
        for chunk in _chunks(sorted(case_ids)):
            days |= facts_rebuild(chunk, now=now, limits=limits)
        rollups_rebuild_days(days)
        mark.last_event_id, mark.last_run_at = max(max_id, mark.last_event_id), now
        mark.save(update_fields=["last_event_id", "last_run_at"])
    dashboard_rollups_refresh()  # the dashboard's live counts, on the same minute
    return RefreshResult(cases=len(case_ids), days=len(days))


def rollups_rebuild(*, now: datetime | None = None) -> RefreshResult:
    """Recompute every fact and rollup from the whole event log (the `rollups_rebuild`
    command); afterwards the incremental job continues from here."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark()
        max_id = CaseEvent.objects.aggregate(top=Max("id"))["top"] or 0
        MetricFact.objects.all().delete()
        DailyRollup.objects.all().delete()
        limits, days, count = _Limits(), set(), 0
        case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(case_ids):
            days |= facts_rebuild(chunk, now=now, limits=limits)
            count += len(chunk)
        rollups_rebuild_days(days)
        mark.last_event_id, mark.last_run_at = max_id, now
        mark.save(update_fields=["last_event_id", "last_run_at"])
    dashboard_rollups_refresh(full=True)
    return RefreshResult(cases=count, days=len(days))
