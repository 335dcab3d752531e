"""The dashboard rollups give the same answers as counting the case table directly."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from wenming.accountability.rollup import rollups_rebuild, rollups_refresh
from wenming.cases import services
from wenming.cases.models import Case, WarningLevel
from wenming.cases.states import OPEN_STATES, State
from wenming.core.generate import fill
from wenming.dashboard import selectors
from wenming.dashboard.models import RECENT_DAYS, LiveCount, RecentIntake
from wenming.org.models import Region, RegionLevel


@pytest.fixture
def many_cases(city):  # type: ignore[no-untyped-def]
    fill(2500, seed=7, quiet=True)
    rollups_rebuild()


def direct_live(region: Region) -> dict:
    cases = Case.objects.filter(region__path__startswith=region.path)
    open_cases = cases.filter(state__in=OPEN_STATES)
    return {
        "state": Counter(dict(cases.values_list("state").annotate(n=Count("id")).order_by())),
        "channel": Counter(dict(cases.values_list("channel").annotate(n=Count("id")).order_by())),
        "open": open_cases.count(),
        "overdue": open_cases.filter(warning_level=WarningLevel.RED).count(),
        "supervised": open_cases.filter(supervision_level__gt=0).count(),
    }


def direct_majors(region: Region, since) -> Counter:  # type: ignore[no-untyped-def]
    rows = (
        Case.objects.filter(region__path__startswith=region.path)
        .filter(reported_at__date__gte=since, category__isnull=False)
        .values_list("category__parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter(dict(rows))


def direct_paths(region: Region, since) -> Counter:  # type: ignore[no-untyped-def]
    rows = (
        Case.objects.filter(region__path__startswith=region.path, reported_at__date__gte=since)
        .values_list("region__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter(dict(rows))


REGIONS = ["150200000000", "150204000000", "150204001000"]  # city, district, street


@pytest.mark.parametrize("code", REGIONS)
def test_live_counts_match_the_case_table(many_cases, code):
    region = Region.objects.get(code=code)
    live, direct = selectors.live_counts(region), direct_live(region)
    assert {s["key"]: s["count"] for s in live["by_state"] if s["count"]} == direct["state"]
    assert {c["key"]: c["count"] for c in live["by_channel"] if c["count"]} == direct["channel"]
    for key in ("open", "overdue", "supervised"):
        assert live[key] == direct[key]
    assert sum(direct["state"].values()) > 0


@pytest.mark.parametrize("code", REGIONS)
def test_top_categories_and_hotspots_match_the_case_table(many_cases, code):
    region = Region.objects.get(code=code)
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    majors = direct_majors(region, since)
    top = selectors.top_categories(region)
    expected = sorted(majors.values(), reverse=True)[: selectors.TOP]
    assert [t["count"] for t in top] == expected and expected
    paths = direct_paths(region, since)
    areas = Region.objects.filter(
        path__startswith=region.path, level__in=[RegionLevel.STREET, RegionLevel.GRID]
    )
    totals = {a.name: sum(n for p, n in paths.items() if p.startswith(a.path)) for a in areas}
    for spot in selectors.hotspots(region):
        assert spot["count"] == totals[spot["name"]]


def by_state(region: Region) -> dict[str, int]:
    return {s["key"]: s["count"] for s in selectors.live_counts(region)["by_state"]}


def test_a_change_shows_after_the_next_refresh(many_cases, cast):
    city = Region.objects.get(code="150200000000")
    before = by_state(city)
    case = services.case_submit(channel="hotline", title="路灯不亮", description="整条街路灯不亮")
    assert by_state(city) == before  # at most a minute behind
    rollups_refresh()
    assert by_state(city) == {**before, "submitted": before["submitted"] + 1}
    services.case_reject(case_id=case.pk, actor=cast.dispatcher, reason="不属于受理范围")
    rollups_refresh()
    assert by_state(city) == {**before, "rejected": before["rejected"] + 1}


def test_metrics_endpoint_reads_the_rollup(many_cases):
    text = Client().get("/metrics").content.decode()
    closed = Case.objects.filter(state=State.CLOSED).count()
    assert f'wenming_cases{{state="closed"}} {closed}' in text
    overdue = Case.objects.filter(state__in=OPEN_STATES, warning_level=WarningLevel.RED).count()
    assert f"wenming_cases_overdue {overdue}" in text


def test_a_rebuild_leaves_the_planner_statistics_of_the_dashboard_counts(many_cases):
    """Without them PostgreSQL guesses a few rows for a region's path prefix and sorts the
    whole table where it should hash it (the live counts at 10M cases: 35 ms, not 13)."""
    from django.db import connection

    assert LiveCount.objects.exists()
    if connection.vendor != "postgresql":  # no planner statistics to keep
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_stats WHERE tablename IN (%s, %s) AND attname = 'region_path'",
            [LiveCount._meta.db_table, RecentIntake._meta.db_table],
        )
        assert sorted(row[0] for row in cursor.fetchall()) == [
            "dashboard_livecount",
            "dashboard_recentintake",
        ]
