"""Red and black lists in a real browser: the civilization office drafts a list from a month's
ranking, gives the reasons, approves and publishes it; anyone then reads it on a phone."""

import pytest
from playwright.sync_api import expect

from wenming.accountability.models import ListStatus, MetricWeights, RedBlackList
from wenming.accountability.rollup import rollups_refresh

from ..accountability.conftest import NOW, Builder, build_known_set
from .conftest import screenshot

pytestmark = pytest.mark.e2e

TITLE = "2026年3月包头市处置单位红黑榜"


@pytest.fixture
def ranked_march(transactional_city):  # type: ignore[no-untyped-def]
    """March 2026 cases of two street offices with known metrics (see tests/accountability)."""
    builder = Builder()
    build_known_set(builder)
    rollups_refresh(now=NOW)
    MetricWeights.objects.update_or_create(period_kind="month", defaults={"min_sample": 1})
    return builder


def test_the_office_publishes_a_list_and_a_phone_reads_it(
    staff, new_phone, live_server, ranked_march
):
    office = staff("admin")
    office.goto(f"{live_server.url}/staff/accountability/ranking/?period=month&date=2026-03-01")
    draft = office.locator("form", has=office.get_by_role("button", name="按此排名创建草稿"))
    draft.locator("#id_top").fill("1")
    draft.locator("#id_bottom").fill("1")
    draft.locator("#id_title").fill(TITLE)
    screenshot(office, "lists-01-ranking")
    with office.expect_navigation():
        draft.get_by_role("button", name="按此排名创建草稿").click()
    expect(office.get_by_role("heading", name=TITLE)).to_be_visible()
    lst = RedBlackList.objects.get(title=TITLE)
    assert lst.status == ListStatus.DRAFT
    units = {e.color: e.unit for e in lst.entries.select_related("unit")}
    assert set(units) == {"red", "black"}
    screenshot(office, "lists-02-draft")

    for color, reason in (
        ("red", "按期办结率高，群众满意。"),
        ("black", "超期未办结，群众不满意。"),
    ):
        entry = office.locator(f"[data-entry='{units[color].code}']")
        entry.get_by_label("原因").fill(reason)
        with office.expect_navigation():
            entry.get_by_role("button", name="保存理由").click()
    with office.expect_navigation():
        office.get_by_role("button", name="通过", exact=True).click()
    expect(office.get_by_text("榜单已审批通过。")).to_be_visible()
    screenshot(office, "lists-03-approved")
    with office.expect_navigation():
        office.get_by_role("button", name="在门户发布").click()
    expect(office.get_by_text("榜单已在门户发布。")).to_be_visible()
    expect(office.locator("[data-status]")).to_have_attribute("data-status", "published")
    screenshot(office, "lists-04-published")
    lst.refresh_from_db()
    assert lst.status == ListStatus.PUBLISHED and lst.published_by.username == "admin"

    reader = new_phone()  # anonymous
    reader.goto(f"{live_server.url}/lists/")
    card = reader.get_by_role("link", name=TITLE)
    expect(card).to_be_visible()
    screenshot(reader, "lists-05-portal-lists")
    card.click()
    for unit in units.values():
        expect(reader.get_by_text(unit.name).first).to_be_visible()
    expect(reader.get_by_text("超期未办结，群众不满意。")).to_be_visible()
    screenshot(reader, "lists-06-portal-list")
