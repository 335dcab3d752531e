"""A civilization inspection round in a real browser: the inspector opens the round on a phone,
walks one site's checklist item by item, fails one item with a photo and submits; the failed
item becomes a case."""

import pytest
from playwright.sync_api import expect

from wenming.inspections.models import Outcome
from wenming.inspections.selectors import my_assignments

from .conftest import log_in, make_jpeg, screenshot

pytestmark = pytest.mark.e2e

PROBLEM = "现场检查此项不达标，详见照片。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_inspector_fails_an_item_and_a_case_is_filed(
    new_phone, live_server, transactional_city, cast, tmp_path
):
    assignment = my_assignments(cast.inspector).filter(result__isnull=True).first()
    assert assignment is not None, "the demo seed assigns this month's round to the inspector"
    site = assignment.site
    phone = new_phone(
        geolocation={"latitude": site.lat, "longitude": site.lon}, permissions=["geolocation"]
    )
    log_in(phone, live_server, "inspector")

    phone.goto(f"{live_server.url}/staff/inspections/mine/")
    expect(phone.get_by_role("heading", name="我的暗访")).to_be_visible()
    screenshot(phone, "inspection-01-my-rounds")
    phone.get_by_role("link", name=assignment.round.name).click()
    screenshot(phone, "inspection-02-round")
    phone.get_by_role("link", name=site.name).click()
    expect(phone.get_by_role("heading", name=site.name)).to_be_visible()
    expect(phone.locator("#wm-location-status")).to_contain_text("已记录位置")

    steps = phone.locator("fieldset.wm-step")
    failed = steps.nth(0)
    item_ids = [int(s.get_attribute("data-item")) for s in steps.all()]
    failed.locator("label", has_text="不合格").click()
    failed.get_by_label("存在的问题（用于生成案件）").fill(PROBLEM)
    failed.locator(".wm-photo-input").set_input_files(make_jpeg(tmp_path / "bin.jpg"))
    expect(failed.locator(".wm-thumbs img")).to_have_count(1)
    screenshot(phone, "inspection-03-item-failed")
    failed.get_by_role("button", name="下一页").click()
    for step in steps.all()[1:]:
        expect(step).to_be_visible()
        step.locator("label", has_text="通过").click()
    final = phone.locator(".wm-final")
    expect(final).to_be_visible()
    screenshot(phone, "inspection-04-finish")
    with phone.expect_navigation(url=f"**/staff/inspections/mine/{assignment.round_id}/"):
        final.get_by_role("button", name="提交检查结果").click()
    expect(phone.locator(".alert-success")).to_contain_text(f"已提交：{site.name} 得分")
    screenshot(phone, "inspection-05-submitted")

    assignment.refresh_from_db()
    results = {r.item_id: r for r in assignment.result.results.select_related("case")}
    assert set(results) == set(item_ids)
    finding = results[item_ids[0]]
    assert finding.outcome == Outcome.FAIL and finding.case is not None
    assert PROBLEM in finding.case.description
    assert finding.photos.count() == 1
    assert all(r.case is None for i, r in results.items() if i != item_ids[0])
    assert assignment.result.lat == pytest.approx(site.lat, abs=1e-5)

    phone.get_by_role("link", name=site.name).click()  # the site now shows the finding
    expect(phone.get_by_text(finding.item.text)).to_be_visible()
    screenshot(phone, "inspection-06-site-done")
