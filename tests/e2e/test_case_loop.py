"""The problem loop in a real browser: a citizen reports on a phone with a photo and a map pin,
staff move the case through the console on desktops, and the citizen tracks and rates it."""

import pytest
from playwright.sync_api import expect

from wenming.cases.models import Case, CaseRating
from wenming.org.models import Region, Unit

from .conftest import drop_pin_in, make_jpeg, screenshot

pytestmark = pytest.mark.e2e

STREET = "青山路街道"  # the handler's street, inside the inspector's district
PHONE = "13912345678"


def citizen_reports(phone, live_server, tmp_path) -> str:  # type: ignore[no-untyped-def]
    phone.goto(f"{live_server.url}/report/")
    phone.get_by_role("button", name="选择问题类别").click()
    phone.get_by_label("搜索问题类别").fill("井盖缺失")
    phone.get_by_role("radio", name="上水井盖").check()
    expect(phone.locator("#wm-category-chosen")).to_have_text("上水井盖")
    expect(phone.locator("#wm-category-modal")).to_be_hidden()
    phone.get_by_label("描述").fill("青山路与民族东路交叉口上水井盖缺失，行人容易踩空。")
    phone.locator("#id_photos").set_input_files(make_jpeg(tmp_path / "manhole.jpg"))
    expect(phone.locator("#wm-previews img")).to_have_count(1)
    drop_pin_in(phone, STREET)
    expect(phone.locator("#wm-location-status")).to_have_text("已标注位置。")
    phone.get_by_label("您的姓名").fill("李女士")
    phone.get_by_label("手机号码").fill(PHONE)
    screenshot(phone, "case-loop-01-report-filled")
    phone.get_by_role("button", name="提交上报").click()
    expect(phone.get_by_role("heading", name="感谢您的上报，我们已收到")).to_be_visible()
    screenshot(phone, "case-loop-02-report-done")
    return phone.locator("#wm-case-code").inner_text().strip()


def act(page, live_server, code: str, panel: str, shot: str, fill=None):  # type: ignore[no-untyped-def]
    """Open the case in the staff console, fill one action panel and submit it."""
    page.goto(f"{live_server.url}/staff/cases/{code}/")
    form = page.locator(f"[data-panel={panel}] form")
    if fill:
        fill(form)
    screenshot(page, shot)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("[data-error]")).to_have_count(0)


def expect_state(page, label: str) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator("[data-state]")).to_have_text(label)


def test_a_report_goes_round_the_loop_and_is_rated(
    phone, staff, live_server, transactional_city, tmp_path, run_jobs
):
    code = citizen_reports(phone, live_server, tmp_path)
    assert run_jobs() >= 1  # what `wenming worker` does next: the photo re-encoded, triage
    case = Case.objects.get(code=code)
    assert case.region is not None and case.region.is_within(Region.objects.get(name=STREET))
    assert case.attachments.count() == 1

    dispatcher = staff("dispatcher")
    act(
        dispatcher,
        live_server,
        code,
        "register",
        "case-loop-03-console-submitted",
        lambda f: f.get_by_label("备注").fill("井盖缺失，属实，立案。"),
    )
    expect_state(dispatcher, "已立案")
    unit = Unit.objects.get(code="BT-150204001000")
    act(
        dispatcher,
        live_server,
        code,
        "dispatch",
        "case-loop-04-console-registered",
        lambda f: f.get_by_label("责任单位").select_option(str(unit.pk)),
    )
    expect_state(dispatcher, "已派遣")

    handler = staff("handler")
    act(handler, live_server, code, "sign", "case-loop-05-handler-dispatched")
    expect_state(handler, "处置中")

    def feedback(form):  # type: ignore[no-untyped-def]
        form.get_by_label("处置情况").fill("已补装新井盖并设置警示标志。")
        form.get_by_label("处置结果照片").set_input_files(
            make_jpeg(tmp_path / "fixed.jpg", (40, 120, 60))
        )

    act(handler, live_server, code, "feedback", "case-loop-06-handler-feedback", feedback)
    expect_state(handler, "已处置")

    inspector = staff("inspector")
    act(
        inspector,
        live_server,
        code,
        "verify",
        "case-loop-07-inspector-verify",
        lambda f: f.get_by_label("通过：问题已解决").check(),
    )
    expect_state(inspector, "已核查")

    act(dispatcher, live_server, code, "close", "case-loop-08-console-verified")
    expect_state(dispatcher, "已结案")
    screenshot(dispatcher, "case-loop-09-console-closed")

    phone.goto(f"{live_server.url}/track/")
    phone.get_by_label("案件编号").fill(code)
    phone.get_by_label("手机号后四位").fill(PHONE[-4:])
    screenshot(phone, "case-loop-10-track")
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#wm-case-state")).to_have_text("已结案")
    expect(phone.locator("#wm-private-details")).to_contain_text("李女士")
    expect(phone.locator(".wm-photo-grid img")).to_have_count(2)  # before and after
    rating = phone.locator("#wm-rating-form")
    rating.get_by_label("满意", exact=True).check()
    rating.get_by_role("group", name="问题是否已解决？").get_by_label("是").check()
    rating.get_by_label("评价意见").fill("处理很及时，谢谢！")
    screenshot(phone, "case-loop-11-track-closed")
    rating.get_by_role("button", name="提交评价").click()
    expect(phone.locator("#wm-rated")).to_contain_text("满意")
    screenshot(phone, "case-loop-12-rated")

    assert Case.objects.get(code=code).state == "closed"
    rated = CaseRating.objects.get(case__code=code)
    assert (rated.satisfaction, rated.resolved, rated.via_callback) == ("satisfied", True, False)
    assert rated.comment == "处理很及时，谢谢！"
