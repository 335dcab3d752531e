"""Keeping the dashboard rollups (models.py) current without scanning the case table.

`CountedCase` holds, per case, the columns the rollups group it by: what `LiveCount` and
`DailyIntake` currently count for it. The minute job (accountability.rollups_refresh) passes
the ids of the cases that changed since its watermark (every change of state, warning,
supervision or category writes a CaseEvent; a new case writes its `submit` event);
`dashboard_rollups_apply` compares their snapshots with the case rows, moves each changed
case from its old groups to its new ones and rewrites its snapshot, in the caller's
transaction (under the watermark lock). So the counts always equal a GROUP BY over the
snapshots, and seeing a case twice changes nothing the second time.

`dashboard_rollups_rebuild` recomputes snapshots and counts with set-based SQL (installation,
bulk import, `wenming generate`, and whenever the counts are found to have drifted — e.g.
after a case was deleted, which writes no event).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from wenming.cases.models import Case
from wenming.core.bulk import chunks, indexes_deferred, statistics_refreshed, table_emptied
from wenming.org.models import Region

from .models import RECENT_DAYS, CountedCase, DailyIntake, LiveCount, RecentIntake, RollupState

logger = logging.getLogger(__name__)

CHUNK = 500
SNAPSHOT_READY = "counted_cases"  # RollupState row: the snapshots exist and match the counts
# CountedCase's columns, in the order `_counted` selects them.
SNAPSHOT = (
    "case_id",
    "region_id",
    "state",
    "channel",
    "warning_level",
    "supervised",
    "day",
    "major_id",
    "has_category",
)
LIVE_KEY = ("region_id", "region_path", "state", "channel", "warning_level", "supervised")
INTAKE_KEY = ("day", "region_id", "region_path", "major_id", "has_category")


Group = TypeVar("Group", LiveCount, DailyIntake)


class RollupDrift(Exception):
    """A delta would take a group below zero: the counts no longer match the snapshots."""


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _counted(cases: QuerySet[Case]) -> QuerySet:
    """The snapshot of these cases, computed by the database: the one place that says what
    the rollups count a case as (the local day of its report, its major class…)."""
    return cases.order_by().values_list(
        "pk",
        "region_id",
        "state",
        "channel",
        "warning_level",
        _flag(Q(supervision_level__gt=0)),
        TruncDate("reported_at"),
        F("category__parent_id"),
        _flag(Q(category__isnull=False)),
    )


# ---------------------------------------------------------------- full rebuild


def _insert_select(
    model: type[models.Model], columns: Sequence[str], sql: str, params: Any
) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)  # noqa: S608


def _grouped_sql(key: Sequence[str]) -> str:
    """SELECT key…, COUNT(*) over the snapshots, with each region's path joined in, in the
    order of the first column."""
    snapshot, region = CountedCase._meta.db_table, Region._meta.db_table
    columns = ["COALESCE(r.path, '')" if k == "region_path" else f"c.{k}" for k in key]
    groups = ["r.path" if k == "region_path" else f"c.{k}" for k in key]
    return (
        f"SELECT {', '.join(columns)}, COUNT(*) FROM {snapshot} c "  # noqa: S608
        f"LEFT JOIN {region} r ON r.id = c.region_id GROUP BY {', '.join(groups)} "
        "ORDER BY 1"  # by day for the intake: the last weeks' rows sit together on disk
    )


def dashboard_rollups_rebuild() -> None:
    """Recompute every snapshot and count from the case table (set-based: three INSERT …
    SELECT statements)."""
    with transaction.atomic():
        table_emptied(CountedCase)
        sql, params = _counted(Case.objects.all()).query.sql_with_params()
        with indexes_deferred(CountedCase):  # its primary key stays; this runs ANALYZE
            _insert_select(CountedCase, SNAPSHOT, sql, params)
        LiveCount.objects.all().delete()  # readers see the old counts until the commit
        _insert_select(LiveCount, [*LIVE_KEY, "count"], _grouped_sql(LIVE_KEY), ())
        DailyIntake.objects.all().delete()
        with indexes_deferred(DailyIntake):
            _insert_select(DailyIntake, [*INTAKE_KEY, "count"], _grouped_sql(INTAKE_KEY), ())
        recent_intake_rebuild()
        # The minute job changes their rows, not their shape: statistics once suffice.
        statistics_refreshed(LiveCount, RecentIntake)
        _mark(SNAPSHOT_READY)
        _mark("dashboard")


def recent_intake_rebuild() -> None:
    """Sum the last RECENT_DAYS days of DailyIntake into RecentIntake (≈0.4 s at 10,000,000
    cases: cheap enough to redo every minute, and it follows the window day by day)."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    key = [k for k in INTAKE_KEY if k != "day"]
    with transaction.atomic():
        RecentIntake.objects.all().delete()  # readers see the old sums until the commit
        sql = (
            f"SELECT %s, {', '.join(key)}, SUM(count) FROM {DailyIntake._meta.db_table} "  # noqa: S608
            f"WHERE day >= %s GROUP BY {', '.join(key)}"
        )
        _insert_select(RecentIntake, ["since", *key, "count"], sql, [since, since])


def _mark(name: str) -> None:
    RollupState.objects.update_or_create(name=name, defaults={"refreshed_at": timezone.now()})


# ---------------------------------------------------------------- incremental


def _deltas(old: dict[int, tuple], new: dict[int, tuple]) -> tuple[Counter, Counter, list[int]]:
    """(live deltas, intake deltas, changed case ids) of moving cases from old to new rows."""
    changed = [pk for pk in old.keys() | new.keys() if old.get(pk) != new.get(pk)]
    region_ids = {row[0] for rows in (old, new) for pk in changed if (row := rows.get(pk))}
    paths = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "path"))
    live: Counter = Counter()
    intake: Counter = Counter()
    for pk in changed:
        for row, sign in ((old.get(pk), -1), (new.get(pk), 1)):
            if row is None:
                continue
            region_id, state, channel, warning, supervised, day, major_id, has_category = row
            path = paths.get(region_id, "")
            live[(region_id, path, state, channel, warning, supervised)] += sign
            intake[(day, region_id, path, major_id, has_category)] += sign
    return live, intake, changed


def _matching(key: Sequence[str], groups: Iterable[tuple]) -> Q:
    found = Q(pk__in=[])
    for group in groups:
        found |= Q(**dict(zip(key, group, strict=True)))
    return found


def _add(model: type[Group], key: Sequence[str], deltas: Counter) -> None:
    """Add the deltas to their groups' rows: create, update, or delete a row that reaches 0."""
    deltas = Counter({group: d for group, d in deltas.items() if d})
    if not deltas:
        return
    rows = model.objects.filter(_matching(key, deltas))
    existing = {tuple(getattr(row, k) for k in key): row for row in rows}
    created: list[Group] = []
    updated: list[Group] = []
    emptied: list[int] = []
    for group, delta in deltas.items():
        row = existing.get(group)
        count = (row.count if row else 0) + delta
        if count < 0:
            raise RollupDrift(f"{model.__name__} {group}: {count}")
        if row is None:
            created.append(model(**dict(zip(key, group, strict=True)), count=count))
        elif count == 0:
            emptied.append(row.pk)
        else:
            row.count = count
            updated.append(row)
    model.objects.filter(pk__in=emptied).delete()
    model.objects.bulk_update(updated, ["count"])
    model.objects.bulk_create(created)


def _apply_chunk(case_ids: Sequence[int]) -> int:
    old = {
        r[0]: r[1:] for r in CountedCase.objects.filter(case_id__in=case_ids).values_list(*SNAPSHOT)
    }
    new = {r[0]: r[1:] for r in _counted(Case.objects.filter(pk__in=case_ids))}
    live, intake, changed = _deltas(old, new)
    if not changed:
        return 0
    _add(LiveCount, LIVE_KEY, live)
    _add(DailyIntake, INTAKE_KEY, intake)
    CountedCase.objects.filter(case_id__in=changed).delete()
    CountedCase.objects.bulk_create(
        CountedCase(**dict(zip(SNAPSHOT, (pk, *new[pk]), strict=True)))
        for pk in changed
        if pk in new
    )
    return len(changed)


def dashboard_rollups_apply(case_ids: Iterable[int]) -> int:
    """Bring the counts of these cases up to date (the minute job, in its transaction);
    returns how many cases moved. Rebuilds everything instead when there are no snapshots
    yet (a new installation) or the counts have drifted from them."""
    if not RollupState.objects.filter(name=SNAPSHOT_READY).exists():
        dashboard_rollups_rebuild()
        return 0
    moved = 0
    try:
        with transaction.atomic():
            for chunk in chunks(sorted(case_ids), CHUNK):
                moved += _apply_chunk(chunk)
    except RollupDrift:
        logger.warning("dashboard rollups drifted from their snapshots: rebuilding them")
        dashboard_rollups_rebuild()
        return 0
    recent_intake_rebuild()
    _mark("dashboard")
    return moved
