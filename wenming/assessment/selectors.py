"""Reads of the assessment loop, data-scoped through assessment.access."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from wenming.core.errors import InvalidInput

from .access import REVIEW_ROLES, UNIT_ROLES, task_filter, tasks_visible
from .models import Cycle, CycleStatus, Indicator, IndicatorLevel, Task, TaskStatus
from .scoring import means, means_by_region


def task_scores(*, start: date, end: date, by: str) -> dict[int, float]:
    """Task score per unit (by="unit": {unit_id: mean}) or per district and street
    (by="region": {region_id: mean over the tasks of units based there}) over the cycles whose
    month lies in [start, end]. A task's score is its latest review's; unreviewed tasks of an
    open cycle do not count yet (a closed cycle has a score for every task)."""
    if by not in ("unit", "region"):
        raise InvalidInput("by must be 'unit' or 'region'")
    rows = Task.objects.filter(
        cycle__month__gte=start.replace(day=1), cycle__month__lte=end, score__isnull=False
    )
    if by == "unit":
        return means(rows.values_list("unit_id", "score"))
    return means_by_region(rows.values_list("unit__region__path", "score"))


def tasks_for(user: User | AnonymousUser) -> QuerySet[Task]:
    """Tasks the user may see, with what their lists show."""
    return tasks_visible(user).select_related("cycle", "indicator", "unit")


def my_tasks(user: User | AnonymousUser) -> QuerySet[Task]:
    """Tasks of the user's own units (handler / unit lead) in open cycles."""
    condition = task_filter(user, roles=UNIT_ROLES)
    rows = Task.objects.filter(cycle__status=CycleStatus.OPEN)
    rows = rows if condition is None else rows.filter(condition)
    return rows.select_related("cycle", "indicator", "unit").annotate(
        evidence_count=Count("evidence")
    )


def review_queue(user: User | AnonymousUser) -> QuerySet[Task]:
    """Submitted tasks of open cycles the user may review, oldest submission first."""
    condition = task_filter(user, roles=REVIEW_ROLES)
    rows = Task.objects.filter(cycle__status=CycleStatus.OPEN, status=TaskStatus.SUBMITTED)
    rows = rows if condition is None else rows.filter(condition)
    return (
        rows.select_related("cycle", "indicator", "unit")
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at", "pk")
    )


def cycle_counts(*, user: User | AnonymousUser, cycle: Cycle) -> dict[str, int]:
    """How many of the cycle's visible tasks are in each status, and overdue."""
    rows = tasks_visible(user, cycle.tasks.all())
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts = {status: counts.get(status, 0) for status in TaskStatus.values}
    counts["total"] = sum(counts.values())
    counts["overdue"] = rows.filter(overdue_q(timezone.localdate())).count()
    return counts


def overdue_q(today: date) -> Q:
    return Q(status=TaskStatus.PENDING, due_on__lt=today) | Q(
        status=TaskStatus.FAILED, rectify_by__lt=today
    )


def indicator_tree() -> list[Indicator]:
    """Projects with their indicators and contents (and units), in three queries."""
    contents = Indicator.objects.filter(level=IndicatorLevel.CONTENT).select_related("lead_unit")
    contents = contents.prefetch_related("cooperating_units")
    indicators = Indicator.objects.filter(level=IndicatorLevel.INDICATOR).prefetch_related(
        Prefetch("children", queryset=contents)
    )
    return list(
        Indicator.objects.filter(level=IndicatorLevel.PROJECT).prefetch_related(
            Prefetch("children", queryset=indicators)
        )
    )


def current_cycle() -> Cycle | None:
    return Cycle.objects.filter(status=CycleStatus.OPEN).order_by("-month").first()
