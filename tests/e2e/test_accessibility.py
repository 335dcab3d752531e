"""Accessibility of the public portal: axe-core (installed from npm by ./dev setup) checks each
page against WCAG 2.0/2.1 A and AA, and the report form works from the keyboard alone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import PHONE_WIDTH, page_width, screenshot

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PORTAL_PAGES = {
    "home": "/",
    "report": "/report/",
    "track": "/track/",
    "board": "/board/",
    "public-cases": "/cases/",
    "volunteer-hub": "/volunteers/",
}


def axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The serious and critical WCAG A/AA violations axe finds on the page, one line each."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run ./dev setup (npm ci)")
    # Evaluated, not added as a <script> tag: the page's CSP refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def test_the_portal_pages_pass_axe(phone, live_server, transactional_city):
    problems = []
    for name, path in PORTAL_PAGES.items():
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state("networkidle")
        problems += axe_problems(phone)
        screenshot(phone, f"a11y-{name}")

    phone.goto(f"{live_server.url}/report/")
    phone.get_by_role("button", name="提交上报").click()  # empty: every error is shown
    expect(phone.locator(".invalid-feedback").first).to_be_visible()
    problems += axe_problems(phone)
    phone.get_by_role("button", name="选择问题类别").click()
    expect(phone.get_by_role("dialog")).to_be_visible()
    problems += axe_problems(phone)
    screenshot(phone, "a11y-report-errors-and-picker")
    assert not problems, "\n".join(problems)


def focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || e.name || e.getAttribute('type') || e.tagName; }"
    )


REPORT_FIELDS = [
    "wm-category-button",
    "id_description",
    "id_photos",
    "wm-locate",
    "id_address",
    "id_use_photo_location",
    "id_reporter_name",
    "id_reporter_phone",
    "id_is_anonymous",
    "submit",
]


def test_the_report_form_works_from_the_keyboard(desktop, live_server, transactional_city):
    desktop.goto(f"{live_server.url}/report/")
    order, photo_ring = [], "none"
    while len(order) < 40 and (not order or order[-1] != "submit"):
        desktop.keyboard.press("Tab")
        order.append(focused(desktop))
        if order[-1] == "id_photos":  # hidden input: its label-button shows the focus
            photo_ring = desktop.locator(".wm-photo-add").evaluate(
                "e => getComputedStyle(e).boxShadow"
            )
    reached = [step for step in order if step in REPORT_FIELDS]
    assert reached == REPORT_FIELDS, order
    assert photo_ring != "none"

    # The category picker opens, takes a choice and gives the focus back, all by keyboard.
    desktop.locator("#wm-category-button").focus()
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_label("搜索问题类别")).to_be_focused()
    desktop.keyboard.type("路灯")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Space")
    expect(desktop.get_by_role("dialog")).to_be_hidden()
    expect(desktop.locator("#wm-category-chosen")).to_have_text("路灯")
    expect(desktop.locator("#wm-category-button")).to_be_focused()


LONG = "市民反映钢铁大街与青山路交叉口东北角人行道上的井盖缺失已经三天，夜间没有照明，行人和骑车的人很容易掉进去，请尽快处理"


def long_texts_published() -> str:
    """A public case in a listed state and an approved board message, both with long texts
    (no spaces to break at, as Chinese text has none); the case's code."""
    from django.contrib.auth import get_user_model

    from wenming.cases.models import Case, Channel
    from wenming.cases.services import case_submit
    from wenming.cases.states import State
    from wenming.portal.services import board_message_moderate, board_message_submit

    case = case_submit(
        channel=Channel.SNAPSHOT, title=LONG[:40], description=LONG * 2, address=LONG
    )
    # Registered by staff in the real loop; only the public pages are looked at here.
    Case.objects.filter(pk=case.pk).update(state=State.REGISTERED)
    message, _created = board_message_submit(
        token="long-texts", kind="question", title=LONG[:60], body=LONG * 3, is_public=True
    )
    moderator = get_user_model().objects.get(username="dispatcher")
    board_message_moderate(message_id=message.pk, actor=moderator, approve=True)
    return case.code


def test_the_portal_pages_fit_a_phone_s_width_with_long_texts(
    phone, live_server, transactional_city
):
    code = long_texts_published()
    pages = {**PORTAL_PAGES, "track-case": f"/track/{code}/"}
    too_wide = {}
    for name, path in pages.items():
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state("networkidle")
        width = page_width(phone)
        if width > PHONE_WIDTH:
            too_wide[name] = width
            screenshot(phone, f"too-wide-{name}")
    assert not too_wide, f"pages wider than the phone's {PHONE_WIDTH} px: {too_wide}"
    icon = phone.locator("link[rel=icon]").get_attribute("href")
    response = phone.request.get(f"{live_server.url}{icon}")  # the tab's and WeChat's icon
    assert response.ok and "svg" in response.headers["content-type"]
