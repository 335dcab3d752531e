"""The message board in a real browser: a citizen writes on a phone, a moderator approves and
replies on a desktop, and the reply appears on the public board."""

import pytest
from playwright.sync_api import expect

from wenming.portal.models import BoardMessage, MessageStatus

from .conftest import screenshot

pytestmark = pytest.mark.e2e

TITLE = "小区门口夜间施工噪音扰民"
REPLY = "已联系青山区城市管理综合执法局核查，夜间22时后停止施工。"


def citizen_writes(phone, live_server) -> str:  # type: ignore[no-untyped-def]
    phone.goto(f"{live_server.url}/board/")
    screenshot(phone, "board-01-public-board")
    phone.get_by_role("link", name="我要留言").click()
    phone.get_by_role("radio", name="投诉").check()
    phone.get_by_label("标题").fill(TITLE)
    phone.get_by_label("留言内容").fill("青山路某小区门口工地每晚施工到凌晨，影响居民休息。")
    expect(phone.get_by_role("radio", name="公开：审核通过后在留言板展示")).to_be_checked()
    phone.get_by_label("您的姓名").fill("张先生")
    phone.get_by_label("手机号码").fill("13800001234")
    screenshot(phone, "board-02-write")
    phone.get_by_role("button", name="发送").click()
    status = phone.locator("#wm-message-status")
    expect(status).to_contain_text("待审核")
    screenshot(phone, "board-03-sent")
    return status.locator("strong").first.inner_text()


def test_a_message_is_approved_and_answered_in_public(
    phone, new_phone, staff, live_server, transactional_city
):
    code = citizen_writes(phone, live_server)
    phone.goto(f"{live_server.url}/board/")
    expect(phone.get_by_role("heading", name=TITLE)).to_have_count(0)  # not before moderation

    operator = staff("operator")
    operator.goto(f"{live_server.url}/staff/board/")
    expect(operator.get_by_role("heading", name="留言审核")).to_be_visible()
    screenshot(operator, "board-04-moderation-queue")
    operator.get_by_role("link", name=TITLE).click()
    screenshot(operator, "board-05-moderation-message")
    operator.get_by_role("button", name="通过").click()
    expect(operator.get_by_text("已通过", exact=True)).to_be_visible()
    operator.get_by_label("官方回复").fill(REPLY)
    operator.get_by_role("button", name="发布回复").click()
    expect(operator.get_by_role("button", name="更新回复")).to_be_visible()
    screenshot(operator, "board-06-moderation-replied")

    message = BoardMessage.objects.get(code=code)
    assert (message.status, message.reply) == (MessageStatus.APPROVED, REPLY)

    reader = new_phone()  # anyone, not the author
    reader.goto(f"{live_server.url}/board/")
    card = reader.locator("article", has=reader.get_by_role("heading", name=TITLE))
    expect(card).to_contain_text("官方回复")
    expect(card).to_contain_text(REPLY)
    expect(card).to_contain_text("张**")  # the author's name is masked
    screenshot(reader, "board-07-public-reply")
