"""Refreshing the dashboard rollups (models.py) from the case table.

Run by the periodic rollup job (accountability.rollups_refresh calls `dashboard_rollups_refresh`
after its own work), so the dashboard is at most a minute behind the case table. The live
counts are recomputed whole (one GROUP BY over the cases, a few seconds at 10,000,000 cases
on PostgreSQL, once a minute instead of on every dashboard poll); the daily intake only for
the last INTAKE_DAYS days (a report's day and region do not change, its category may)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from wenming.cases.models import Case

from .models import DailyIntake, LiveCount, RollupState

INTAKE_DAYS = 40  # the dashboard looks back 30 days
BATCH = 5000


def dashboard_rollups_refresh(*, full: bool = False) -> None:
    """Recompute the live counts, and the daily intake of the recent days (all days if full)."""
    now = timezone.now()
    with transaction.atomic():
        LiveCount.objects.all().delete()
        rows = (
            Case.objects.values("region_id", "region__path", "state", "channel", "warning_level")
            .annotate(supervised=Q(supervision_level__gt=0), n=Count("id"))
            .order_by()
        )
        LiveCount.objects.bulk_create(
            (
                LiveCount(
                    region_id=r["region_id"],
                    region_path=r["region__path"] or "",
                    state=r["state"],
                    channel=r["channel"],
                    warning_level=r["warning_level"],
                    supervised=r["supervised"],
                    count=r["n"],
                )
                for r in rows
            ),
            batch_size=BATCH,
        )
        since = None if full else timezone.localdate(now) - timedelta(days=INTAKE_DAYS)
        cases = Case.objects.all()
        intake = DailyIntake.objects.all()
        if since is not None:
            cases = cases.filter(reported_at__date__gte=since)
            intake = intake.filter(day__gte=since)
        intake.delete()
        days = (
            cases.annotate(day=TruncDate("reported_at"), major_id=F("category__parent_id"))
            .values("day", "region_id", "region__path", "major_id")
            .annotate(has_category=Q(category__isnull=False), n=Count("id"))
            .order_by()
        )
        DailyIntake.objects.bulk_create(
            (
                DailyIntake(
                    day=r["day"],
                    region_id=r["region_id"],
                    region_path=r["region__path"] or "",
                    has_category=r["has_category"],
                    major_id=r["major_id"],
                    count=r["n"],
                )
                for r in days
            ),
            batch_size=BATCH,
        )
        RollupState.objects.update_or_create(name="dashboard", defaults={"refreshed_at": now})
