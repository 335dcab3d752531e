"""Reads of the inspection loop: scores, round progress, findings, lists (data-scoped)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wenming.assessment.scoring import means, means_by_region, rounded
from wenming.cases.states import State
from wenming.core.errors import InvalidInput
from wenming.org.models import Region, Unit

from .access import findings_in_scope
from .models import (
    Assignment,
    InspectionRound,
    ItemResult,
    PointSite,
    RoundStatus,
    SiteInspection,
)

OPEN_CASE_STATES = [
    State.SUBMITTED,
    State.REGISTERED,
    State.DISPATCHED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.VERIFIED,
]


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.max, tzinfo=zone),
    )


def inspection_scores(*, start: date, end: date, by: str) -> dict[int, float]:
    """Mean site score of the inspections made in [start, end] (local dates, inclusive):
    by="unit" → {unit_id: mean} over the sites of each responsible unit; by="region" →
    {region_id: mean} for every district and street over the sites inside it. A site's score
    is 100 minus the deductions of its failed items (never below 0); the unit and region kept
    are those of the site at the time of the inspection."""
    if by not in ("unit", "region"):
        raise InvalidInput("by must be 'unit' or 'region'")
    rows = SiteInspection.objects.filter(inspected_at__range=_period(start, end))
    if by == "unit":
        return means(rows.values_list("unit_id", "score"))
    return means_by_region(rows.values_list("region__path", "score"))


@dataclass(frozen=True)
class RoundScores:
    sites: list[SiteInspection]
    units: list[tuple[Unit, float, int]]  # unit, mean score, sites
    regions: list[tuple[Region, float, int]]


def round_scores(*, inspection_round: InspectionRound) -> RoundScores:
    """Site scores of a round and their means per unit and per district/street."""
    sites = list(
        SiteInspection.objects.filter(round=inspection_round)
        .select_related("site__site_type", "unit", "region")
        .order_by("score", "site__code")
    )
    unit_means = means((s.unit_id, s.score) for s in sites)
    region_means = means_by_region((s.region.path, s.score) for s in sites)
    unit_counts = Counter(s.unit_id for s in sites)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_means)}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_means)}
    region_counts = {
        rid: sum(1 for s in sites if s.region.path.startswith(regions[rid].path)) for rid in regions
    }
    return RoundScores(
        sites=sites,
        units=sorted(
            ((units[k], v, unit_counts[k]) for k, v in unit_means.items()), key=lambda t: -t[1]
        ),
        regions=sorted(
            ((regions[k], v, region_counts[k]) for k, v in region_means.items()),
            key=lambda t: (t[0].path.count("/"), -t[1]),
        ),
    )


def rounds_with_progress(queryset: QuerySet[InspectionRound]) -> QuerySet[InspectionRound]:
    return queryset.select_related("region", "created_by").annotate(
        sites=Count("assignments", distinct=True),
        assigned=Count(
            "assignments", filter=Q(assignments__inspector__isnull=False), distinct=True
        ),
        done=Count("assignments", filter=Q(assignments__result__isnull=False), distinct=True),
    )


def round_assignments(*, inspection_round: InspectionRound) -> QuerySet[Assignment]:
    return (
        inspection_round.assignments.select_related(
            "site__site_type", "site__unit", "site__region", "inspector", "result"
        )
        .annotate(findings=Count("result__results", filter=Q(result__results__outcome="fail")))
        .order_by("site__code")
    )


def my_assignments(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The inspector's sites in open rounds, not yet inspected first."""
    return (
        Assignment.objects.filter(inspector_id=user.pk, round__status=RoundStatus.OPEN)
        .select_related("round", "site__site_type", "site__region", "result")
        .order_by("round__ends_on", "round_id", F("result").asc(nulls_first=True), "site__code")
    )


def findings_for(user: User | AnonymousUser) -> QuerySet[ItemResult]:
    """Failed items (findings) the user may see, with their case and site."""
    return findings_in_scope(user).select_related(
        "item",
        "case",
        "inspection__site__site_type",
        "inspection__site__unit",
        "inspection__round",
        "inspection__inspector",
    )


def findings_to_recheck(user: User | AnonymousUser) -> QuerySet[ItemResult]:
    """Findings whose case the unit reported handled: waiting for the re-inspection."""
    return findings_for(user).filter(case__state=State.HANDLED).order_by("case__handled_at", "pk")


def open_findings_q() -> Q:
    return Q(case__state__in=OPEN_CASE_STATES)


@dataclass(frozen=True)
class PackageSummary:
    """One liaison package (包联) at a glance."""

    region: Region
    sites: int
    open_findings: int
    open_cases: int
    overdue_cases: int
    overdue_tasks: int
    inspection_score: float | None
    task_score: float | None


def liaison_summary(*, region: Region, today: date | None = None) -> PackageSummary:
    """Sites, open problems, overdue items and the last 90 days' scores of a region subtree."""
    from wenming.assessment.models import Task
    from wenming.assessment.selectors import overdue_q
    from wenming.cases.models import Case, WarningLevel

    today = today or timezone.localdate()
    inside = {"region__path__startswith": region.path}
    cases = Case.objects.filter(state__in=OPEN_CASE_STATES, **inside)
    start = today - timedelta(days=90)
    inspected = SiteInspection.objects.filter(inspected_at__range=_period(start, today), **inside)
    tasks = Task.objects.filter(unit__region__path__startswith=region.path, cycle__month__gte=start)
    return PackageSummary(
        region=region,
        sites=PointSite.objects.filter(is_active=True, **inside).count(),
        open_findings=ItemResult.objects.filter(
            open_findings_q(),
            outcome="fail",
            inspection__site__region__path__startswith=region.path,
        ).count(),
        open_cases=cases.count(),
        overdue_cases=cases.filter(warning_level=WarningLevel.RED).count(),
        overdue_tasks=tasks.filter(overdue_q(today), cycle__status="open").count(),
        inspection_score=_mean(inspected.aggregate(m=Avg("score"))["m"]),
        task_score=_mean(tasks.filter(score__isnull=False).aggregate(m=Avg("score"))["m"]),
    )


def _mean(value: object) -> float | None:
    return None if value is None else float(rounded(value))  # type: ignore[arg-type]


def liaison_sites(*, user: User | AnonymousUser, regions: list[Region]) -> QuerySet[PointSite]:
    """Sites in the leader's packages or named with them as liaison, with their latest score
    and open findings."""
    condition = Q(liaison_id=user.pk)
    for region in regions:
        condition |= Q(region__path__startswith=region.path)
    latest = SiteInspection.objects.filter(site=OuterRef("pk")).order_by("-inspected_at")
    return (
        PointSite.objects.filter(condition, is_active=True)
        .select_related("site_type", "unit", "region")
        .annotate(
            latest_score=Subquery(latest.values("score")[:1]),
            latest_at=Subquery(latest.values("inspected_at")[:1]),
            open_findings=Count(
                "inspections__results",
                filter=Q(inspections__results__outcome="fail")
                & Q(inspections__results__case__state__in=OPEN_CASE_STATES),
            ),
        )
    )
