"""Reads of campaign activities: who sees which, and the statistics (count and participants
per kind, per region and per practice center over any period) that the staff page, the
dashboard and the monthly report print."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from wenming.core.scope import has_role, scope_filter
from wenming.org.models import Region, RegionLevel, Role

from .models import ActivityKind, CampaignActivity
from .selectors import UNIT_ROLES, WATCH_ROLES, user_unit_ids

R = Role
CENTER_ROLES = (R.CENTER_STAFF, R.ADMIN)  # record and see activities in their regions
READ_ROLES = (*CENTER_ROLES, *WATCH_ROLES)


def activities_for_staff(user: User | AnonymousUser) -> QuerySet[CampaignActivity]:
    """Activities in the user's regions, or of their unit; 404 for other users."""
    if not has_role(user, *READ_ROLES, *UNIT_ROLES):
        raise Http404
    rows = CampaignActivity.objects.all()
    in_scope = scope_filter(user, rows, roles=READ_ROLES).values("pk")
    condition = Q(pk__in=in_scope) | Q(unit__in=user_unit_ids(user))
    return rows.filter(condition).select_related("region", "center", "unit")


def may_record(user: User | AnonymousUser) -> bool:
    return has_role(user, *CENTER_ROLES) or bool(user_unit_ids(user))


def in_period(rows: QuerySet[CampaignActivity], start: date, end: date) -> QuerySet:
    """Activities held in [start, end], both days included."""
    return rows.filter(held_on__gte=start, held_on__lte=end)


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    count: int
    participants: int


def by_kind(rows: QuerySet[CampaignActivity]) -> list[Line]:
    """Every kind, with zeros, in the kinds' order."""
    sums: dict[str, dict[str, int]] = {
        r["kind"]: {"n": r["n"], "p": r["p"] or 0}
        for r in rows.values("kind").annotate(n=Count("id"), p=Sum("participants"))
    }
    empty = {"n": 0, "p": 0}
    return [
        Line(k, str(label), sums.get(k, empty)["n"], sums.get(k, empty)["p"])
        for k, label in ActivityKind.choices
    ]


def by_center(rows: QuerySet[CampaignActivity]) -> list[Line]:
    """Practice centers with activities, most active first (unit-held ones left out)."""
    found = (
        rows.filter(center__isnull=False)
        .values("center_id", "center__name")
        .annotate(n=Count("id"), p=Sum("participants"))
        .order_by("-n", "center__name")
    )
    return [Line(str(r["center_id"]), r["center__name"], r["n"], r["p"] or 0) for r in found]


def by_region(rows: QuerySet[CampaignActivity], parent: Region) -> list[Line]:
    """The child areas of `parent` (not grids), each with the activities in its subtree."""
    paths = list(
        rows.filter(region__path__startswith=parent.path)
        .values("region__path")
        .annotate(n=Count("id"), p=Sum("participants"))
        .order_by()
    )
    children = Region.objects.filter(parent=parent).exclude(level=RegionLevel.GRID)
    lines = []
    for child in children.order_by("code"):
        inside = [r for r in paths if r["region__path"].startswith(child.path)]
        count = sum(r["n"] for r in inside)
        people = sum(r["p"] or 0 for r in inside)
        lines.append(Line(child.code, child.name, count, people))
    return lines


@dataclass(frozen=True)
class Totals:
    count: int
    participants: int


def totals(rows: QuerySet[CampaignActivity]) -> Totals:
    found = rows.aggregate(n=Count("id"), p=Sum("participants"))
    return Totals(found["n"] or 0, found["p"] or 0)


def region_activities(region: Region, start: date, end: date) -> QuerySet[CampaignActivity]:
    """Activities of a region's subtree in a period (for the dashboard and the report, whose
    callers already checked the user may read that region)."""
    rows = CampaignActivity.objects.filter(region__path__startswith=region.path)
    return in_period(rows, start, end)


def dashboard_panel(region: Region, start: date, end: date) -> dict[str, object]:
    """Counts and participants per kind for the dashboard (JSON-ready)."""
    rows = region_activities(region, start, end)
    total = totals(rows)
    return {
        "count": total.count,
        "participants": total.participants,
        "by_kind": [asdict(line) for line in by_kind(rows)],
    }
