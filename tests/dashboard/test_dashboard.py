"""The command dashboard: its data endpoint agrees with the metric selectors; permissions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from wenming.accountability.models import PeriodKind
from wenming.accountability.periods import period_containing
from wenming.accountability.rollup import rollups_refresh
from wenming.accountability.selectors import metrics_total, ranking_for
from wenming.cases.models import Case
from wenming.cases.states import OPEN_STATES, State
from wenming.cases.states import Action as A
from wenming.org.models import Region

from ..accountability.conftest import Builder


@pytest.fixture
def today_cases(city):  # type: ignore[no-untyped-def]
    """Cases reported today: one open, one overdue and open, one closed today. The clock
    stands still until the test ends: its "today" must be the cases' day, also at midnight."""
    with time_machine.travel(timezone.now(), tick=False):
        yield _cases_of_today()


def _cases_of_today() -> tuple[Case, Case, Case]:
    b, now = Builder(), timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    start = max(now - timedelta(minutes=30), midnight)  # today, also just after midnight
    open_case = b.case(start, state=State.IN_PROGRESS, unit=b.unit, lat=40.66, lon=109.88)
    overdue = b.case(
        start, state=State.IN_PROGRESS, unit=b.unit, lat=40.661, lon=109.881, warning_level=2
    )
    closed = b.case(start, state=State.CLOSED, unit=b.unit)
    for case in (open_case, overdue, closed):
        b.event(case, A.SUBMIT, start)
        b.event(case, A.DISPATCH, start + timedelta(minutes=1), b.unit)
    b.event(closed, A.FEEDBACK, start + timedelta(minutes=5), b.unit)
    b.event(closed, A.CLOSE, start + timedelta(minutes=6), b.unit)
    rollups_refresh()
    return open_case, overdue, closed


def test_data_matches_the_metric_selectors(today_cases, cast, client):
    client.force_login(cast.dispatcher)
    data = client.get("/staff/dashboard/data/").json()
    today = timezone.localdate()
    city = Region.objects.get(code="150200000000")
    day = metrics_total(
        user=cast.dispatcher, period=period_containing(PeriodKind.DAY, today), region=city
    )
    month = metrics_total(
        user=cast.dispatcher, period=period_containing(PeriodKind.MONTH, today), region=city
    )
    assert data["today"] == {"received": day.cases_received, "closed": day.closed_count}
    assert day.cases_received >= 3 and day.closed_count >= 1  # the fixture's, and any seeded
    for key, value in month.values().items():
        assert data["month"][key] == value
    ranking = ranking_for(
        user=cast.dispatcher, period=period_containing(PeriodKind.MONTH, today), region=city
    )
    assert [r["name"] for r in data["ranking"]] == [s.row.name for s in ranking.ranked[:10]]
    assert data["trend"]["received"][-1] == day.cases_received
    assert data["trend"]["closed"][-1] == day.closed_count


def test_live_counts_and_map(today_cases, cast, client):
    open_case, overdue, _closed = today_cases
    client.force_login(cast.dispatcher)
    data = client.get("/staff/dashboard/data/").json()
    states = {s["key"]: s["count"] for s in data["live"]["by_state"]}
    assert states["in_progress"] == Case.objects.filter(state="in_progress").count() >= 2
    open_cases = Case.objects.filter(state__in=OPEN_STATES)  # with any the seeders made
    assert data["live"]["open"] == open_cases.count()
    assert data["live"]["overdue"] == open_cases.filter(warning_level=2).count() >= 1
    points = {p["code"]: p["overdue"] for p in data["map"]}
    assert (points[open_case.code], points[overdue.code]) == (False, True)
    streets = {h["name"]: h["count"] for h in data["hotspots"]}
    assert streets["青山路街道"] >= 3


def test_region_filter_and_scope(today_cases, cast, client):
    client.force_login(cast.inspector)  # scope 青山区
    data = client.get("/staff/dashboard/data/").json()
    assert data["region"]["code"] == "150204000000"
    assert client.get("/staff/dashboard/data/?region=150202000000").status_code == 404
    assert client.get("/staff/dashboard/?region=150202000000").status_code == 404


def test_wrong_role_is_refused(cast, client):
    for user in (cast.handler, cast.nobody):
        client.force_login(user)
        assert client.get("/staff/dashboard/").status_code == 403
        assert client.get("/staff/dashboard/data/").status_code == 403


def test_anonymous_goes_to_login(client):
    assert client.get("/staff/dashboard/data/").status_code == 302


def test_page_polls_the_data_endpoint(cast, client):
    client.force_login(cast.dispatcher)
    page = client.get("/staff/dashboard/").content.decode()
    assert 'data-url="/staff/dashboard/data/?region=150200000000"' in page
    assert 'data-refresh="30"' in page
    assert "vendor/echarts/echarts.min.js" in page and "wenming/dashboard.js" in page
    assert "<script>" not in page  # no inline scripts
