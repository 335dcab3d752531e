"""留言板 end to end: a citizen writes, every message is moderated (sensitive words hold it),
staff approve, reply and publish, or turn it into a case; private messages reach only their
author; moderation pages need the operator, dispatcher or admin role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.cases.models import Case, Channel, Nature
from wenming.portal.models import BoardMessage, MessageStatus, SensitiveWord

from .conftest import staff_client

NEW = reverse("portal:board_new")
BOARD = reverse("portal:board")


def message_data(**overrides) -> dict[str, str]:
    data = {
        "token": "m-1",
        "kind": "question",
        "title": "小区供暖什么时候开始",
        "body": "今年青山区的供暖从哪天开始？家里已经很冷了。",
        "visibility": "public",
        "author_name": "王先生",
        "author_phone": "13812340000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def moderator(cast):
    return staff_client(cast.operator)


def post_message(browser, **overrides) -> BoardMessage:
    response = browser.post(NEW, message_data(**overrides))
    message = BoardMessage.objects.get(submit_token=overrides.get("token", "m-1"))
    assert response["Location"] == reverse("portal:board_message", args=[message.code])
    return message


def moderate(client, message: BoardMessage, decision: str = "approve", note: str = ""):
    return client.post(
        reverse("portal:board_queue_moderate", args=[message.pk]),
        {"decision": decision, "note": note},
        follow=True,
    )


def test_a_new_message_waits_for_moderation_and_is_not_listed(browser):
    message = post_message(browser)
    assert message.status == MessageStatus.PENDING and message.flagged_words == ""
    assert message.code.startswith("LY") and message.is_public
    assert message.title not in browser.get(BOARD).content.decode()
    # its author sees it (and its code) right away; another browser does not
    mine = browser.get(reverse("portal:board_message", args=[message.code])).content.decode()
    assert message.code in mine and "Waiting for moderation" in mine


def test_a_message_with_a_sensitive_word_is_held_and_flagged(browser, moderator, city):
    SensitiveWord.objects.create(word="暴力")
    SensitiveWord.objects.create(word="停用词", is_active=False)
    message = post_message(browser, body="物业用暴力手段催缴，停用词")
    assert message.status == MessageStatus.HELD and message.flagged_words == "暴力"
    queue = moderator.get(reverse("portal:board_queue"))
    assert list(queue.context["page"])[0] == message  # held ones come first
    assert "暴力" in queue.content.decode()


def test_approve_reply_and_publish(browser, moderator, client):
    message = post_message(browser)
    assert "Message approved" in moderate(moderator, message).content.decode()
    moderator.post(
        reverse("portal:board_queue_reply", args=[message.pk]),
        {"reply": "今年供暖自11月1日起，热力公司电话0472-1234567。"},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.APPROVED and message.moderated_by is not None
    board = client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert message.title in board and "今年供暖自11月1日起" in board and "Official reply" in board
    assert "13812340000" not in board and "王先生" not in board and "王**" in board
    single = client.get(reverse("portal:board_message", args=[message.code]))
    assert single.status_code == 200


def test_a_moderated_message_cannot_be_moderated_again(browser, moderator):
    message = post_message(browser)
    moderate(moderator, message)
    again = moderate(moderator, message, "reject", "重复")
    assert "already been moderated" in again.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.APPROVED


def test_not_publishing_needs_a_reason_and_blocks_replies(browser, moderator):
    message = post_message(browser)
    assert "Give the reason" in moderate(moderator, message, "reject").content.decode()
    moderate(moderator, message, "reject", "含有个人隐私信息")
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    response = moderator.post(
        reverse("portal:board_queue_reply", args=[message.pk]), {"reply": "答复"}, follow=True
    )
    assert "cannot be replied to" in response.content.decode()
    assert message.title not in browser.get(BOARD).content.decode()


def test_a_private_message_is_never_listed_but_its_author_can_read_it(browser, moderator, client):
    message = post_message(browser, visibility="private")
    moderate(moderator, message)
    assert message.title not in client.get(BOARD).content.decode()
    url = reverse("portal:board_message", args=[message.code])
    assert client.get(url).status_code == 404
    lookup = reverse("portal:board_lookup")
    wrong = client.post(lookup, {"code": message.code, "digits": "1111"})
    assert "No message matches" in " ".join(wrong.context["form"].non_field_errors())
    assert client.get(url).status_code == 404
    right = client.post(lookup, {"code": message.code.lower(), "digits": "0000"})
    assert right["Location"] == url
    assert message.body in client.get(url).content.decode()


def test_a_private_message_needs_a_phone(browser, city):
    response = browser.post(NEW, message_data(visibility="private", author_phone=""))
    assert "needs your phone number" in " ".join(response.context["form"].errors["author_phone"])
    assert not BoardMessage.objects.exists()


def test_board_form_checks_the_phone_and_the_kind(browser, city):
    response = browser.post(NEW, message_data(author_phone="110", kind="rant"))
    errors = response.context["form"].errors
    assert "mainland mobile number" in " ".join(errors["author_phone"]) and "kind" in errors
    assert not BoardMessage.objects.exists()


def test_a_resubmitted_message_form_makes_one_message(browser, city):
    browser.post(NEW, message_data())
    browser.post(NEW, message_data(title="重复提交"))
    assert BoardMessage.objects.count() == 1


def test_turn_a_message_into_a_case(browser, moderator, cast, category):
    message = post_message(browser, kind="complaint")
    response = moderator.post(
        reverse("portal:board_queue_to_case", args=[message.pk]),
        {"category": category.pk},
        follow=True,
    )
    assert "A case was filed" in response.content.decode()
    message.refresh_from_db()
    case = Case.objects.get()
    assert message.case == case
    assert case.channel == Channel.BOARD and case.category == category
    assert case.nature == Nature.COMPLAINT and case.reporter_phone == "13812340000"
    assert case.title == message.title and case.state == "submitted"
    again = moderator.post(reverse("portal:board_queue_to_case", args=[message.pk]), follow=True)
    assert "already been turned into a case" in again.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize("role", ["operator", "dispatcher", "admin"])
def test_moderators_open_the_queue_and_a_message(browser, cast, role):
    message = post_message(browser)
    client = staff_client(cast[role])
    assert client.get(reverse("portal:board_queue")).status_code == 200
    assert client.get(reverse("portal:board_queue_message", args=[message.pk])).status_code == 200
    assert "Message board moderation" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", ["handler", "inspector", "volunteer", "nobody"])
def test_other_staff_get_403_and_change_nothing(browser, cast, category, role):
    message = post_message(browser)
    client = staff_client(cast[role])
    assert client.get(reverse("portal:board_queue")).status_code == 403
    assert client.get(reverse("portal:board_queue_message", args=[message.pk])).status_code == 403
    for name, data in [
        ("portal:board_queue_moderate", {"decision": "approve"}),
        ("portal:board_queue_reply", {"reply": "x"}),
        ("portal:board_queue_to_case", {"category": category.pk}),
    ]:
        assert client.post(reverse(name, args=[message.pk]), data).status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and not message.reply and not message.case
    assert "Message board moderation" not in client.get(reverse("home")).content.decode()


def test_anonymous_users_are_sent_to_log_in(browser):
    message = post_message(browser)
    response = browser.get(reverse("portal:board_queue"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    response = browser.post(
        reverse("portal:board_queue_moderate", args=[message.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_a_missing_message_is_404_for_moderators(moderator):
    assert moderator.get(reverse("portal:board_queue_message", args=[999999])).status_code == 404
    response = moderator.post(
        reverse("portal:board_queue_moderate", args=[999999]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_queue_filters_by_status_and_searches(browser, moderator):
    first = post_message(browser)
    second = post_message(browser, token="m-2", title="路灯不亮")
    moderate(moderator, first)
    queue = reverse("portal:board_queue")
    assert list(moderator.get(queue).context["page"]) == [second]
    assert list(moderator.get(queue, {"status": "approved"}).context["page"]) == [first]
    assert list(moderator.get(queue, {"q": "路灯"}).context["page"]) == [second]
    third = post_message(browser, token="m-3", title="噪音扰民")
    assert list(moderator.get(queue).context["page"]) == [second, third]
    assert list(moderator.get(queue, {"sort": "new"}).context["page"]) == [third, second]


def test_public_board_pages_and_filters(browser, moderator):
    for i in range(12):
        message = post_message(
            browser,
            token=f"m-{i}",
            title=f"问题{i:02d}",
            kind="question" if i % 2 else "suggestion",
        )
        moderate(moderator, message)
    first = browser.get(BOARD)
    assert len(first.context["items"]) == 10 and first.context["page"].has_next()
    assert len(browser.get(BOARD, {"page": 2}).context["items"]) == 2
    assert len(browser.get(BOARD, {"kind": "suggestion"}).context["items"]) == 6
    assert [i["title"] for i in browser.get(BOARD, {"q": "问题03"}).context["items"]] == ["问题03"]
