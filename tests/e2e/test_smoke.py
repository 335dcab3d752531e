import pytest

from wenming.org.seed import DEMO_PASSWORD

from .conftest import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_a_dispatcher_logs_in_and_sees_the_workbench(desktop, live_server, transactional_city):
    log_in(desktop, live_server, "dispatcher", DEMO_PASSWORD)
    assert desktop.get_by_role("heading", name="工作台").is_visible()
    assert desktop.get_by_role("link", name="行政区划与网格").is_visible()
    path = screenshot(desktop, "staff-home-dispatcher")
    assert path.stat().st_size > 10_000


def test_the_region_map_draws_the_grids(desktop, live_server, transactional_city):
    log_in(desktop, live_server, "handler", DEMO_PASSWORD)
    desktop.goto(f"{live_server.url}/org/regions/150204001001/")
    desktop.wait_for_selector(".leaflet-interactive")
    assert desktop.locator("path.leaflet-interactive").count() == 10  # the community + 9 grids
    screenshot(desktop, "region-community-map")
