"""Every kind of page works under the strict Content-Security-Policy (the autouse check in
conftest fails a test on any CSP refusal), and a staff member enrols a second factor and
signs in with it in a real browser."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from wenming.org.seed import DEMO_PASSWORD

from .conftest import CSP_VIOLATIONS, screenshot

pytestmark = pytest.mark.e2e

PUBLIC = ["/", "/report/", "/track/", "/cases/", "/board/", "/volunteers/", "/honors/"]
STAFF = [
    "/staff/",
    "/staff/cases/",
    "/staff/dashboard/",
    "/staff/inspections/",
    "/staff/assessment/",
    "/staff/accountability/",
    "/staff/hotline/",
    "/staff/triage/",
    "/accounts/security/",
    "/accounts/security/history/",
    "/admin/",
    "/admin/auth/user/",
    "/api/docs/",
]


def visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status < 400, url
    assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
    page.wait_for_load_state("networkidle")


def test_public_pages_work_under_the_csp(transactional_city, live_server, phone):
    for path in PUBLIC:
        visit(phone, live_server.url + path)


def test_staff_pages_work_under_the_csp(transactional_city, live_server, staff):
    page = staff("admin")
    for path in STAFF:
        visit(page, live_server.url + path)


def test_the_watcher_catches_a_refused_inline_script(transactional_city, live_server, phone):
    """The check itself can fail: an injected inline script is refused and reported."""
    phone.goto(live_server.url + "/")
    with pytest.raises(Exception):  # noqa: B017 (Playwright raises its own Error type)
        phone.add_script_tag(content="document.title = 'injected'")
    phone.wait_for_timeout(200)
    assert any("inline script" in text for text in CSP_VIOLATIONS)
    assert phone.title() != "injected"
    CSP_VIOLATIONS.clear()


def test_a_staff_member_turns_on_two_step_verification_and_signs_in_with_it(
    transactional_city, live_server, staff, browser
):
    page = staff("dispatcher", locale="en-US")
    page.goto(live_server.url + "/accounts/security/")
    page.get_by_role("link", name="Turn on two-step verification").click()
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    screenshot(page, "security-totp-enrol")
    secret = page.locator("code.user-select-all").inner_text()
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(8)
    screenshot(page, "security-recovery-codes")

    other = browser.new_context(locale="en-US").new_page()
    other.goto(live_server.url + "/accounts/login/")
    other.locator("#id_username").fill("dispatcher")
    other.locator("#id_password").fill(DEMO_PASSWORD)
    other.locator("form button[type=submit]").click()
    expect(other.get_by_role("heading", name="Two-step verification")).to_be_visible()
    other.locator("#id_code").fill("000000")
    other.get_by_role("button", name="Verify and sign in").click()
    expect(other.get_by_text("This code is not right, or it was used already.")).to_be_visible()
    screenshot(other, "security-login-code")
    other.context.close()


def test_a_user_reads_their_login_history(transactional_city, live_server, staff):
    page = staff("handler", locale="en-US")
    page.goto(live_server.url + "/accounts/security/history/")
    expect(page.get_by_role("heading", name="My login history")).to_be_visible()
    expect(page.get_by_text("Signed in").first).to_be_visible()
    screenshot(page, "security-login-history")
