"""One journey in English: a browser that asks for en-US gets the English site, reports and
tracks a case, switches to Chinese and back; a dispatcher finds the case in the English
workbench and switches its language too."""

import pytest
from playwright.sync_api import expect

from .conftest import drop_pin_in, screenshot

pytestmark = pytest.mark.e2e


def report_in_english(page, live_server) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Build a civilized Baotou together")).to_be_visible()
    screenshot(page, "english-01-portal-home")
    page.get_by_role("link", name="Snapshot report See a problem").click()  # the card
    page.get_by_role("button", name="Choose a category").click()
    page.get_by_role("radio", name="路灯").check()
    expect(page.locator("#wm-category-modal")).to_be_hidden()
    page.get_by_label("Description").fill("The street lamp outside the school is off at night.")
    drop_pin_in(page, "青山路街道")
    expect(page.locator("#wm-location-status")).to_have_text("Pin placed.")
    page.get_by_label("Mobile phone").fill("13700005678")
    screenshot(page, "english-02-report")
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_role("heading", name="Thank you, your report was received")).to_be_visible()
    screenshot(page, "english-03-report-done")
    return page.locator("#wm-case-code").inner_text().strip()


def test_a_citizen_and_a_dispatcher_use_the_english_site(
    new_phone, staff, live_server, transactional_city
):
    phone = new_phone(locale="en-US")
    code = report_in_english(phone, live_server)

    phone.get_by_role("link", name="Track a case", exact=True).click()  # the tab bar
    phone.get_by_label("Case code").fill(code)
    phone.get_by_label("Last 4 digits of your phone").fill("5678")
    phone.get_by_role("button", name="Look it up").click()
    expect(phone.locator("#wm-case-state")).to_have_text("Submitted")
    screenshot(phone, "english-04-track")

    phone.get_by_role("button", name="中文").click()
    expect(phone.locator("#wm-case-state")).to_have_text("已提交")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("#wm-case-state")).to_have_text("Submitted")

    dispatcher = staff("dispatcher", locale="en-US")
    expect(dispatcher.get_by_role("heading", name="Workbench")).to_be_visible()
    screenshot(dispatcher, "english-05-workbench")
    dispatcher.goto(f"{live_server.url}/staff/cases/")
    dispatcher.get_by_label("Case code").fill(code)
    dispatcher.get_by_role("button", name="Filter").click()
    row = dispatcher.locator("tbody tr", has_text=code)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Submitted")
    screenshot(dispatcher, "english-06-case-search")

    dispatcher.get_by_label("Language").select_option("zh-hans")
    expect(dispatcher.get_by_role("heading", name="案件查询")).to_be_visible()
    expect(dispatcher.locator("tbody tr", has_text=code)).to_contain_text("已提交")
