"""The command dashboard in a real browser: with cases on file, a dispatcher sees the ECharts
charts drawn and the Leaflet map with the city's outlines, the heat of open cases and the
overdue dots, and the page logs no error."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wenming.accountability.rollup import rollups_refresh
from wenming.cases import services
from wenming.cases.deadlines import deadlines_scan
from wenming.cases.models import Category, CategoryKind, Channel
from wenming.org.models import Region, Unit

from .conftest import screenshot

pytestmark = pytest.mark.e2e

GRIDS = ["15020400100101", "15020400100103", "15020400100105"]
# Whether each canvas has a visible pixel (a chart or layer that drew nothing is transparent).
PAINTED = """canvases => canvases.map(c => {
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
  return false;
})"""
CHARTS = ["chart-state", "chart-channel", "chart-trend", "chart-categories"]


def file_cases(cast) -> None:  # type: ignore[no-untyped-def]
    """Five registered cases through the services; two dispatched and left to run overdue."""
    category = Category.objects.get(kind=CategoryKind.EVENT, code="0501")
    unit = Unit.objects.get(code="BT-150204001000")
    for n in range(5):
        grid = Region.objects.get(code=GRIDS[n % len(GRIDS)])
        case = services.case_submit(
            channel=[Channel.SNAPSHOT, Channel.HOTLINE][n % 2],
            title=f"占道经营{n + 1}",
            description="水果摊摆到人行道上",
            category=category,
            lat=grid.centroid_lat,
            lon=grid.centroid_lon,
        )
        services.case_register(case_id=case.pk, actor=cast.dispatcher)
        if n < 2:
            services.case_dispatch(case_id=case.pk, actor=cast.dispatcher, unit=unit)
    deadlines_scan(now=timezone.now() + timedelta(days=30))
    rollups_refresh()  # the periodic rollup job, which the dashboard reads


def test_the_dispatcher_sees_charts_and_the_map(staff, live_server, transactional_city, cast):
    file_cases(cast)
    dispatcher = staff("dispatcher")
    errors: list[str] = []
    dispatcher.on("pageerror", lambda e: errors.append(str(e)))
    dispatcher.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None
        ),
    )
    dispatcher.goto(f"{live_server.url}/staff/dashboard/")
    expect(dispatcher.locator("#wm-dash")).to_have_attribute("data-loaded", "true")
    for chart in CHARTS:
        canvas = dispatcher.locator(f"#{chart} canvas")
        expect(canvas.first).to_be_visible()
        assert all(canvas.evaluate_all(PAINTED)), f"{chart} drew nothing"
    assert int(dispatcher.locator("[data-kpi='live.open']").inner_text().replace(",", "")) >= 5
    assert int(dispatcher.locator("[data-kpi='live.overdue']").inner_text().replace(",", "")) >= 2

    board = dispatcher.locator("#wm-dash-map")
    expect(board).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(board.locator(".leaflet-overlay-pane canvas")).to_have_count(2)  # outlines, heat
    expect(board.locator(".leaflet-wm-overdue-pane canvas")).to_have_count(1)  # overdue dots
    painted = board.locator("canvas").evaluate_all(PAINTED)
    assert painted and all(painted), f"a map layer drew nothing: {painted}"
    screenshot(dispatcher, "dashboard-01-dispatcher")
    assert not errors, "the dashboard logged errors:\n" + "\n".join(errors)
