"""Staff pages opened on a phone: grid and street workers handle cases and inspectors file
findings from their phones, and a dashboard may be looked at anywhere. The page must not be
wider than the phone (wide tables scroll inside their card), and the dashboard's clock
shows the city's time whatever the phone's time zone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PHONE, PHONE_WIDTH, log_in, page_width, screenshot, watched

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone_in_utc(browser):  # type: ignore[no-untyped-def]
    page = watched(browser.new_context(**(PHONE | {"timezone_id": "UTC"}))).new_page()
    yield page
    page.context.close()


@pytest.mark.parametrize(
    ("username", "path"),
    [("handler", "/staff/cases/worklist/"), ("inspector", "/staff/inspections/findings/")],
)
def test_staff_lists_fit_a_phone(phone, live_server, transactional_city, username, path):
    log_in(phone, live_server, username)
    phone.goto(f"{live_server.url}{path}")
    phone.wait_for_load_state("networkidle")
    width = page_width(phone)
    if width > PHONE_WIDTH:
        screenshot(phone, f"too-wide-{username}")
    assert width <= PHONE_WIDTH, f"{path} is {width} px wide on a {PHONE_WIDTH} px phone"


@pytest.mark.real_clock
def test_the_dashboard_fits_a_phone_and_shows_the_city_s_time(
    phone_in_utc, live_server, transactional_city
):
    log_in(phone_in_utc, live_server, "dispatcher")
    before = timezone.localtime()  # the city's time zone (settings.TIME_ZONE), not UTC
    phone_in_utc.goto(f"{live_server.url}/staff/dashboard/")
    expect(phone_in_utc.locator("#wm-dash")).to_have_attribute("data-loaded", "true")
    clock = phone_in_utc.locator("#wm-dash-clock").inner_text()
    after = timezone.localtime()
    assert page_width(phone_in_utc) <= PHONE_WIDTH
    assert before.utcoffset() != timedelta(0), "the test needs a city time zone other than UTC"
    assert any(f"{t.month}月{t.day}日 {t:%H}:" in clock for t in (before, after)), clock
    screenshot(phone_in_utc, "dashboard-phone")
