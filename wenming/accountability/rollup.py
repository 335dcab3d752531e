"""Keeping the daily rollups current: incrementally (the periodic job) or from scratch.

`rollups_refresh` reads the event log past its watermark, replays every case that changed
(plus cases whose handle deadline passed since the last run, which become due without an
event), rewrites those cases' facts and re-sums only the days whose facts changed; then it
moves the same cases in the dashboard's live counts (dashboard.rollup), in the same
transaction. It is idempotent: running it twice, or after `rollups_rebuild`, gives the same
rows. Events are re-read from `LAG` before the last run too, so an event committed late by a
slow transaction (its id below the watermark) is still picked up.

`rollups_rebuild` replays every case, streaming cases and events as tuples in ranges of case
ids; on PostgreSQL the facts go in with COPY while their indexes are dropped, and the daily
rollups are summed once at the end (one GROUP BY).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import NamedTuple

import psycopg
from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import F, JSONField, Max, Min, Q, QuerySet, Value, When
from django.utils import timezone
from psycopg.pq import Format

from wenming.cases.models import Case, CaseEvent, Category, TimeLimit
from wenming.cases.routing import time_limit_for
from wenming.core.bulk import chunks, indexes_deferred, table_emptied
from wenming.dashboard.rollup import dashboard_rollups_apply, dashboard_rollups_rebuild
from wenming.org.models import Region

from .facts import DATA_ACTIONS, replay_facts
from .models import DailyRollup, MetricFact, RollupWatermark

WATERMARK = "cases"
LAG = timedelta(minutes=10)
CHUNK = 400  # cases per replay batch in the incremental job
RANGE = 20_000  # case ids per batch in the full rebuild
FACT_COLUMNS = ("case_id", "kind", "day", "unit_id", "region_id", "region_path")


@dataclass(frozen=True)
class RefreshResult:
    cases: int
    days: int


class CaseRow(NamedTuple):
    """The few columns of a case the replay reads."""

    pk: int
    category_id: int | None
    urgency: str
    region_id: int | None


class EventRow(NamedTuple):
    """The few columns of an event the replay reads (tuples: no model instances to build)."""

    pk: int
    action: str
    unit_id: int | None
    data: dict | None
    created_at: datetime


class _Limits(dict[tuple[int | None, str], TimeLimit]):
    """Time limits per (category, urgency), and region paths, looked up once per run."""

    @cached_property
    def paths(self) -> dict[int | None, str]:
        return dict(Region.objects.values_list("pk", "path"))

    def for_case(self, case: CaseRow) -> TimeLimit:
        key = (case.category_id, case.urgency)
        if key not in self:
            category = (
                Category.objects.filter(pk=case.category_id).first() if case.category_id else None
            )
            self[key] = time_limit_for(category=category, urgency=case.urgency)
        return self[key]


def _tuples(rows: QuerySet) -> Iterable[tuple]:
    """The tuples of a values_list() query. On PostgreSQL straight from psycopg, with its C
    timestamp loader: Django's own loader (pure Python) and per-row converters take most of
    a bulk replay's time otherwise. JSON values then arrive as text (see _json)."""
    if connection.vendor != "postgresql":
        return rows
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        oid = psycopg.adapters.types["timestamptz"].oid
        raw.adapters.register_loader("timestamptz", psycopg.adapters.get_loader(oid, Format.TEXT))
        raw.execute(sql, params)
        return raw.fetchall()


def _json(value: str | dict | None) -> dict | None:
    return json.loads(value) if isinstance(value, str) else value


def _case_rows(cases: QuerySet[Case]) -> list[CaseRow]:
    rows = cases.order_by().values_list("pk", "category_id", "urgency", "region_id")
    return [CaseRow(*row) for row in _tuples(rows)]


def _events_by_case(events: QuerySet[CaseEvent]) -> dict[int, list[EventRow]]:
    # Only the actions that read their data load it: no JSON to decode for the others.
    data = CaseWhen(
        When(action__in=DATA_ACTIONS, then=F("data")), default=Value(None), output_field=JSONField()
    )
    rows = events.order_by().values_list("case_id", "id", "action", "unit_id", data, "created_at")
    found: dict[int, list[EventRow]] = defaultdict(list)
    for case_id, pk, action, unit_id, data, created_at in _tuples(rows):
        found[case_id].append(EventRow(pk, action, unit_id, _json(data), created_at))
    return found


def _fact_rows(
    cases: list[CaseRow], events: dict[int, list[EventRow]], *, now: datetime, limits: _Limits
) -> Iterator[tuple]:
    """The MetricFact rows (FACT_COLUMNS) of these cases."""
    zone = timezone.get_current_timezone()
    for case in cases:
        path = limits.paths.get(case.region_id, "")
        found = events.get(case.pk, ())
        for fact in replay_facts(found, now=now, limits=limits.for_case(case), zone=zone):
            yield (case.pk, fact.kind, fact.day, fact.unit_id, case.region_id, path)


def _write_facts(rows: Iterable[tuple]) -> set[date]:
    """Insert the fact rows (COPY on PostgreSQL); returns their days."""
    # Materialised first: producing a row may query (time limits), which the connection
    # cannot do in the middle of a COPY.
    rows = list(rows)
    table = MetricFact._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.connection.cursor()
            with raw.copy(f"COPY {table} ({', '.join(FACT_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(FACT_COLUMNS))
            sql = f"INSERT INTO {table} ({', '.join(FACT_COLUMNS)}) VALUES ({marks})"  # noqa: S608
            adapt = connection.ops.adapt_datefield_value
            cursor.executemany(sql, [(*r[:2], adapt(r[2]), *r[3:]) for r in rows])
    return {row[2] for row in rows}


def facts_rebuild(
    case_ids: Sequence[int], *, now: datetime, limits: _Limits | None = None
) -> set[date]:
    """Rewrite the facts of these cases; returns the days whose sums may have changed."""
    limits = limits if limits is not None else _Limits()
    old = MetricFact.objects.filter(case_id__in=case_ids)
    days = set(old.values_list("day", flat=True).distinct())
    cases = _case_rows(Case.objects.filter(pk__in=case_ids))
    events = _events_by_case(CaseEvent.objects.filter(case_id__in=case_ids))
    old.delete()
    return days | _write_facts(_fact_rows(cases, events, now=now, limits=limits))


def _sum_sql(day_count: int | None) -> str:
    """Sum facts into rollup rows: of the given number of days, or of every day (None)."""
    rollup, fact = DailyRollup._meta.db_table, MetricFact._meta.db_table
    columns = "day, unit_id, region_id, region_path, kind"
    where = "" if day_count is None else f"WHERE day IN ({', '.join(['%s'] * day_count)}) "
    return (
        f"INSERT INTO {rollup} ({columns}, count) "  # noqa: S608 — table names, not input
        f"SELECT {columns}, COUNT(*) FROM {fact} {where}"
        # Written in day order: a period's rows then sit together on disk (a month at
        # 1,000,000 cases: 120 blocks read instead of 7,700).
        f"GROUP BY {columns} ORDER BY day"
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
    """Bring facts, rollups and the dashboard's counts up to date with the event log (the
    periodic job). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark()
        max_id = CaseEvent.objects.aggregate(top=Max("id"))["top"] or 0
        case_ids = sorted(_changed_cases(mark, max_id, now))
        limits, days = _Limits(), set()
        for chunk in chunks(case_ids, CHUNK):
            days |= facts_rebuild(chunk, now=now, limits=limits)
        rollups_rebuild_days(days)
        dashboard_rollups_apply(case_ids)  # the dashboard's live counts, on the same minute
        mark.last_event_id, mark.last_run_at = max(max_id, mark.last_event_id), now
        mark.save(update_fields=["last_event_id", "last_run_at"])
    return RefreshResult(cases=len(case_ids), days=len(days))


# ---------------------------------------------------------------- full rebuild


def _case_ranges() -> Iterator[tuple[int, int]]:
    bounds = Case.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, RANGE):
        yield start, start + RANGE


def _all_facts_written(now: datetime) -> int:
    """Replay every case into the (empty) fact table; returns the number of cases."""
    limits, count = _Limits(), 0
    for low, high in _case_ranges():
        cases = _case_rows(Case.objects.filter(pk__gte=low, pk__lt=high))
        events = _events_by_case(CaseEvent.objects.filter(case_id__gte=low, case_id__lt=high))
        _write_facts(_fact_rows(cases, events, now=now, limits=limits))
        count += len(cases)
    return count


def rollups_rebuild(*, now: datetime | None = None) -> RefreshResult:
    """Recompute every fact and rollup from the whole event log (the `rollups_rebuild`
    command, `wenming generate`); afterwards the incremental job continues from here."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark()
        max_id = CaseEvent.objects.aggregate(top=Max("id"))["top"] or 0
        table_emptied(MetricFact)
        with indexes_deferred(MetricFact):
            count = _all_facts_written(now)
        DailyRollup.objects.all().delete()  # readers see the old sums until the commit
        with indexes_deferred(DailyRollup), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '256MB'")  # the GROUP BY in memory
            cursor.execute(_sum_sql(None))
        days = DailyRollup.objects.values("day").distinct().count()
        dashboard_rollups_rebuild()
        mark.last_event_id, mark.last_run_at = max_id, now
        mark.save(update_fields=["last_event_id", "last_run_at"])
    return RefreshResult(cases=count, days=days)
