"""The command dashboard's data: live counts, top categories and hotspots from the dashboard
rollups (models.py, refreshed every minute with the metric rollups), the map from the case
table, everything that is a metric (today's intake and closures, the month's rates, trends,
the unit ranking) from the accountability selectors, so the screen and the metrics pages
never disagree. None of it scans the case table, so it stays fast at millions of cases."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet, Sum
from django.utils import timezone

from wenming.accountability import selectors as metrics
from wenming.accountability.models import FactKind, PeriodKind
from wenming.accountability.periods import period_containing
from wenming.cases.models import Case, Category, Channel, WarningLevel
from wenming.cases.states import OPEN_STATES, State
from wenming.core.errors import PermissionDenied
from wenming.core.scope import has_role
from wenming.livelihood.activities import dashboard_panel
from wenming.org.models import Region, RegionLevel, Role

from .models import RECENT_DAYS, LiveCount, RecentIntake

R = Role
DASHBOARD_ROLES = (R.ADMIN, R.DISPATCHER, R.OPERATOR, R.LIAISON, R.INSPECTOR, R.REVIEWER)
TREND_DAYS = RECENT_DAYS
MAP_LIMIT = 3000
TOP = 10


def require_dashboard_role(user: User | AnonymousUser) -> None:
    if not has_role(user, *DASHBOARD_ROLES):
        raise PermissionDenied()


def _cases(region: Region) -> QuerySet[Case]:  # the map's open cases
    # By region ids, not a join on the path: PostgreSQL cannot estimate how many regions a
    # path prefix matches and would then sort every open case (bench/metrics.py).
    subtree = Region.objects.filter(path__startswith=region.path).values_list("pk", flat=True)
    return Case.objects.filter(region_id__in=list(subtree))


def _live(region: Region) -> QuerySet[LiveCount]:
    return LiveCount.objects.filter(region_path__startswith=region.path)


def _recent(region: Region) -> QuerySet[RecentIntake]:
    return RecentIntake.objects.filter(region_path__startswith=region.path)


def _labelled(counts: Counter, labels: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": k, "label": str(label), "count": counts.get(k, 0)} for k, label in labels.items()
    ]


def live_counts(region: Region) -> dict[str, Any]:
    """Cases by state and by channel right now, and open / overdue / supervised totals (one
    query: the region's groups summed, a few hundred rows at most)."""
    groups = (
        _live(region)
        .values_list("state", "channel", "warning_level", "supervised")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_state: Counter = Counter()
    by_channel: Counter = Counter()
    totals = {"open": 0, "overdue": 0, "supervised": 0}
    for state, channel, warning_level, supervised, n in groups:
        by_state[state] += n
        by_channel[channel] += n
        if state in OPEN_STATES:
            totals["open"] += n
            totals["overdue"] += n if warning_level == WarningLevel.RED else 0
            totals["supervised"] += n if supervised else 0
    return {
        "by_state": _labelled(by_state, dict(State.choices)),
        "by_channel": _labelled(by_channel, dict(Channel.choices)),
        **totals,
    }


def top_categories(region: Region) -> list[dict[str, Any]]:
    """Major classes with the most cases reported in the last RECENT_DAYS days (most first,
    then by id)."""
    rows = (
        _recent(region)
        .filter(has_category=True)
        .values("major_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "major_id")[:TOP]
    )
    majors = list(Category.objects.filter(parent__isnull=True))
    taken = Counter(c.name for c in majors)
    # 市容环境 is both a component and an event class: say which when a name repeats.
    names: dict[Any, str] = {
        c.pk: c.name if taken[c.name] == 1 else f"{c.name}（{c.get_kind_display()}）"
        for c in majors
    }
    return [{"name": names.get(r["major_id"], "—"), "count": r["n"]} for r in rows]


def hotspots(region: Region) -> list[dict[str, Any]]:
    """Streets and grids with the most cases reported in the last RECENT_DAYS days (a grid's
    count also counts for its street)."""
    rows = _recent(region).values_list("region_path").annotate(n=Sum("count")).order_by()
    subtree: Counter = Counter()  # path → cases in the region with that path and below it
    for path, count in rows:
        for end in range(1, len(path)):  # every ancestor's path is a prefix ending in "/"
            if path[end] == "/":
                subtree[path[: end + 1]] += count
    levels = [RegionLevel.STREET, RegionLevel.GRID]
    areas = Region.objects.filter(path__startswith=region.path, level__in=levels)
    totals: list[dict[str, Any]] = []
    for area in areas.only("name", "path", "level", "parent"):
        if n := subtree[area.path]:
            totals.append({"name": area.name, "level": area.level, "count": n})
    totals.sort(key=lambda a: -a["count"])
    return totals[:TOP]


def map_points(region: Region) -> list[dict[str, Any]]:
    """Open cases with a location (newest first, at most MAP_LIMIT), overdue flagged."""
    rows = (
        _cases(region)
        .filter(state__in=OPEN_STATES, lat__isnull=False, lon__isnull=False)
        .order_by("-reported_at")
        .values("code", "title", "lat", "lon", "warning_level")[:MAP_LIMIT]
    )
    return [
        {
            "code": r["code"],
            "title": r["title"],
            "lat": r["lat"],
            "lon": r["lon"],
            "overdue": r["warning_level"] == WarningLevel.RED,
        }
        for r in rows
    ]


def trend(region: Region, today: date) -> dict[str, list]:
    """Cases received and closed per day over the last TREND_DAYS days (from the rollups)."""
    start = today - timedelta(days=TREND_DAYS - 1)
    series = metrics.daily_series(
        region=region,
        start=start,
        end=today + timedelta(days=1),
        kinds=[FactKind.SUBMITTED, FactKind.CLOSED],
    )
    days = [start + timedelta(days=i) for i in range(TREND_DAYS)]
    return {
        "days": [d.isoformat() for d in days],
        "received": [series[FactKind.SUBMITTED].get(d, 0) for d in days],
        "closed": [series[FactKind.CLOSED].get(d, 0) for d in days],
    }


def ranking_top(user: User | AnonymousUser, region: Region, today: date) -> list[dict[str, Any]]:
    ranking = metrics.ranking_for(
        user=user, period=period_containing(PeriodKind.MONTH, today), region=region
    )
    return [
        {"rank": s.rank, "name": s.row.name, "composite": s.composite, "grade": s.grade}
        for s in ranking.ranked[:TOP]
    ]


def dashboard_data(user: User | AnonymousUser, region: Region) -> dict[str, Any]:
    """Everything the dashboard shows, as one JSON-ready dict."""
    today = timezone.localdate()
    day = metrics.region_counts(period=period_containing(PeriodKind.DAY, today), region=region)
    month = metrics.metrics_total(
        user=user, period=period_containing(PeriodKind.MONTH, today), region=region
    )
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "region": {"code": region.code, "name": region.name},
        "today": {"received": day.cases_received, "closed": day.closed_count},
        "month": {"label": f"{today:%Y-%m}", **month.values(), "closed": month.closed_count},
        "live": live_counts(region),
        "top_categories": top_categories(region),
        "hotspots": hotspots(region),
        "map": map_points(region),
        "trend": trend(region, today),
        "ranking": ranking_top(user, region, today),
        "activities": dashboard_panel(region, today.replace(day=1), today),
    }


def base_layer(region: Region) -> dict[str, Any]:
    """GeoJSON of the region and its child areas: the map's base layer (no tiles needed)."""
    areas = [region, *Region.objects.filter(parent=region).exclude(level=RegionLevel.GRID)]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": area.boundary,
                "properties": {"name": area.name, "main": area.pk == region.pk},
            }
            for area in areas
            if area.boundary
        ],
    }
