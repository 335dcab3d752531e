"""Reads of accountability: metrics, rankings, lists and exposures, through the data scope.

Metrics of a period sum the daily rollups (see rollup.py); the formulas are in metrics.py.
Region roles see the units and regions under their membership's region; unit roles (the unit
lead) see their own unit and its region. Anything outside answers 404.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from wenming.cases.models import CaseEvent, Visibility
from wenming.cases.states import Action
from wenming.core.errors import PermissionDenied
from wenming.core.masking import redact_text
from wenming.core.scope import has_role, scope_filter, user_roles
from wenming.org.models import Region, RegionLevel, Role, Unit

from .metrics import MetricRow, composite_score, grade_for
from .models import DailyRollup, Exposure, ListStatus, MetricWeights, RedBlackList
from .periods import Period

R = Role
METRIC_ROLES = (
    R.ADMIN,
    R.DISPATCHER,
    R.OPERATOR,
    R.LIAISON,
    R.REVIEWER,
    R.INSPECTOR,
    R.UNIT_LEAD,
)
LIST_ROLES = (R.ADMIN,)  # the civilization office drafts, approves and publishes
UNIT_ROLES = {R.HANDLER, R.UNIT_LEAD}
SCORE_SOURCES = {
    "inspection_score": ("wenming.inspections.selectors", "inspection_scores"),
    "task_score": ("wenming.assessment.selectors", "task_scores"),
    "livelihood_lagging": ("wenming.livelihood.selectors", "lagging_project_counts"),
    "livelihood_overdue_reports": ("wenming.livelihood.selectors", "overdue_report_counts"),
}


def require_metric_role(user: User | AnonymousUser) -> None:
    if not has_role(user, *METRIC_ROLES):
        raise PermissionDenied()


# ---------------------------------------------------------------- scope


def _region_only(user: User | AnonymousUser) -> bool:
    roles = user_roles(user)
    return not getattr(user, "is_superuser", False) and roles <= UNIT_ROLES


def units_in_scope(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Units whose metrics the user may read."""
    units = Unit.objects.filter(is_active=True).select_related("region")
    if _region_only(user):
        own = user.memberships.filter(role__in=UNIT_ROLES).values_list("unit_id", flat=True)  # type: ignore[union-attr]
        return units.filter(pk__in=list(own))
    return scope_filter(user, units, region_field="region", roles=METRIC_ROLES)


def regions_in_scope(user: User | AnonymousUser) -> QuerySet[Region]:
    return scope_filter(user, Region.objects.all(), region_field="", roles=METRIC_ROLES)


def region_get(user: User | AnonymousUser, code: str | None) -> Region:
    """The region the user asked for, or their broadest one; 404 when out of scope."""
    regions = regions_in_scope(user)
    if code:
        found = regions.filter(code=code).first()
    else:  # the broadest region of the scope; the city rather than the province above it
        found = regions.exclude(level=RegionLevel.PROVINCE).order_by("path").first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------- sums of the rollups


def _sums(rows: QuerySet[DailyRollup], key: str) -> dict[object, dict[str, int]]:
    sums: dict[object, dict[str, int]] = defaultdict(dict)
    for row in rows.values(key, "kind").annotate(total=Sum("count")).order_by():
        sums[row[key]][row["kind"]] = row["total"]
    return sums


def _in_period(period: Period) -> QuerySet[DailyRollup]:
    return DailyRollup.objects.filter(day__gte=period.start, day__lt=period.end)


def _score_function(module: str, name: str) -> Callable[..., dict] | None:
    """The other app's score selector, when that app is installed (guarded import)."""
    loaded = sys.modules.get(module)
    if loaded is None:
        if not apps.is_installed(module.rsplit(".", 1)[0]):
            return None
        try:
            if importlib.util.find_spec(module) is None:
                return None
        except ModuleNotFoundError:
            return None
        loaded = importlib.import_module(module)
    return getattr(loaded, name, None)


def external_scores(*, start: date, end: date, by: str) -> dict[str, dict[int, float]]:
    """Inspection and task scores (and the livelihood counts) by unit or region id for the
    local dates [start, end], both inclusive (empty when the providing app is absent)."""
    scores: dict[str, dict[int, float]] = {}
    for key, (module, name) in SCORE_SOURCES.items():
        function = _score_function(module, name)
        found = function(start=start, end=end, by=by) if function else {}
        scores[key] = {
            int(k): v if isinstance(v, int) else float(v)
            for k, v in (found or {}).items()
            if v is not None
        }
    return scores


def _with_scores(rows: list[MetricRow], period: Period, by: str) -> list[MetricRow]:
    scores = external_scores(start=period.start, end=period.last_day, by=by)
    for row in rows:
        for key, found in scores.items():
            setattr(row, key, found.get(row.id))
    return rows


def unit_metrics(
    *, user: User | AnonymousUser, period: Period, region: Region | None = None
) -> list[MetricRow]:
    """Metrics of every unit the user may see (within `region` if given) for the period."""
    units = units_in_scope(user)
    if region is not None:
        units = units.filter(region__path__startswith=region.path)
    units_list = list(units.order_by("code"))
    sums = _sums(_in_period(period).filter(unit__in=[u.pk for u in units_list]), "unit_id")
    rows = [MetricRow(u.pk, u.code, u.name, "unit", sums.get(u.pk, {})) for u in units_list]
    return _with_scores(rows, period, "unit")


def _children(parent: Region) -> list[Region]:
    children = list(Region.objects.filter(parent=parent).exclude(level=RegionLevel.GRID))
    return children or [parent]


def region_metrics(
    *, user: User | AnonymousUser, period: Period, parent: Region | None = None
) -> list[MetricRow]:
    """Metrics of the parent region itself (first row) and of each of its child regions.

    Counts are summed over the whole subtree, every unit included (and cases without a unit,
    such as consultations answered directly).
    """
    parent = parent or region_get(user, None)
    regions = [parent, *[r for r in _children(parent) if r.pk != parent.pk]]
    rows = _in_period(period).filter(region_path__startswith=parent.path)
    by_path = _sums(rows, "region_path")
    result = []
    for region in regions:
        counts: dict[str, int] = defaultdict(int)
        for path, kinds in by_path.items():
            if str(path).startswith(region.path):
                for kind, total in kinds.items():
                    counts[kind] += total
        result.append(MetricRow(region.pk, region.code, region.name, "region", dict(counts)))
    return _with_scores(result, period, "region")


def region_counts(*, period: Period, region: Region) -> MetricRow:
    """The counts of a whole region (its subtree) without the other apps' scores: one sum
    per kind."""
    rows = _in_period(period).filter(region_path__startswith=region.path)
    kinds = dict(rows.values_list("kind").annotate(total=Sum("count")).order_by())
    return MetricRow(region.pk, region.code, region.name, "region", kinds)


def metrics_total(
    *, user: User | AnonymousUser, period: Period, region: Region | None = None
) -> MetricRow:
    """The one row of a whole region (the user's broadest one by default), scores included:
    the first row of `region_metrics`."""
    region = region or region_get(user, None)
    return _with_scores([region_counts(period=period, region=region)], period, "region")[0]


# ---------------------------------------------------------------- ranking


@dataclass
class Standing:
    row: MetricRow
    composite: float | None
    rank: int | None = None

    @property
    def grade(self) -> str:
        return grade_for(self.composite)


@dataclass
class Ranking:
    period: Period
    weights: MetricWeights
    ranked: list[Standing]
    unranked: list[Standing]  # below the minimum sample (or no data): listed, not ranked


def weights_for(kind: str) -> MetricWeights:
    """The admin's weights for the period type (the defaults when none are saved yet)."""
    return MetricWeights.objects.filter(period_kind=kind).first() or MetricWeights(period_kind=kind)


def _assign_ranks(standings: list[Standing]) -> None:
    previous: float | None = None
    for position, standing in enumerate(standings, start=1):
        if standing.composite != previous:
            rank, previous = position, standing.composite
        standing.rank = rank


def ranking_for(
    *, user: User | AnonymousUser, period: Period, region: Region | None = None
) -> Ranking:
    """Units ranked by composite score (ties share a rank); units below the minimum sample
    are returned separately, unranked."""
    weights = weights_for(period.kind)
    standings = [
        Standing(row, composite_score(row, weights))
        for row in unit_metrics(user=user, period=period, region=region)
    ]
    eligible = [
        s
        for s in standings
        if s.composite is not None and s.row.cases_received >= weights.min_sample
    ]
    eligible.sort(key=lambda s: (-(s.composite or 0), -(s.row.on_time_rate or 0), s.row.code))
    _assign_ranks(eligible)
    others = sorted((s for s in standings if s not in eligible), key=lambda s: s.row.code)
    return Ranking(period, weights, eligible, others)


# ---------------------------------------------------------------- lists and exposures


def lists_for_staff(user: User | AnonymousUser) -> QuerySet[RedBlackList]:
    return scope_filter(user, RedBlackList.objects.select_related("region"), roles=METRIC_ROLES)


def list_get_for_staff(user: User | AnonymousUser, pk: int) -> RedBlackList:
    found = lists_for_staff(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def lists_published() -> QuerySet[RedBlackList]:
    """Published lists, newest period first; a list replaced by a published correction is
    still reachable (it is history) but flagged through `corrections`."""
    return RedBlackList.objects.filter(status=ListStatus.PUBLISHED).select_related("region")


def list_superseded_by(lst: RedBlackList) -> RedBlackList | None:
    return lst.corrections.filter(status=ListStatus.PUBLISHED).order_by("-version").first()


def exposures_for_staff(user: User | AnonymousUser) -> QuerySet[Exposure]:
    return scope_filter(user, Exposure.objects.select_related("region", "case"), roles=METRIC_ROLES)


def exposures_published() -> QuerySet[Exposure]:
    return Exposure.objects.filter(status=ListStatus.PUBLISHED).select_related("region", "case")


@dataclass(frozen=True)
class FollowUp:
    at: object
    action: str
    note: str


def exposure_follow_up(exposure: Exposure) -> list[FollowUp]:
    """The case's public handling events after the report (the rectification follow-up, live
    from the case), with phones and plates in the notes redacted."""
    events: Iterable[CaseEvent] = (
        CaseEvent.objects.filter(case_id=exposure.case_id, visibility=Visibility.PUBLIC)
        .exclude(action=Action.SUBMIT)
        .order_by("created_at", "id")
    )
    return [FollowUp(e.created_at, e.get_action_display(), redact_text(e.note)) for e in events]


def unit_in_scope_or_404(user: User | AnonymousUser, code: str) -> Unit:
    found = units_in_scope(user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def regions_filter_choices(user: User | AnonymousUser) -> list[Region]:
    """Regions down to street level that the user may pick as a filter."""
    levels = [RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET]
    return list(regions_in_scope(user).filter(level__in=levels).order_by("path"))


def lists_filter(rows: QuerySet[RedBlackList], *, status: str, query: str) -> QuerySet:
    if status in ListStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(region__name__icontains=query))
    return rows


def daily_series(*, region: Region, start: date, end: date, kinds: Iterable[str]) -> dict:
    """{kind: {day: count}} of the region's subtree for [start, end) (trend lines)."""
    rows = (
        _in_period(Period("day", start, end))
        .filter(region_path__startswith=region.path, kind__in=list(kinds))
        .values("day", "kind")
        .annotate(total=Sum("count"))
        .order_by()
    )
    series: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        series[row["kind"]][row["day"]] = row["total"]
    return series
