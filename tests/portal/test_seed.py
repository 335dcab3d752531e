"""The demo message board (`seed_demo_board`, run by `wenming demo`): answered messages on the
public board, a message turned into a case, a private one, and a moderation queue with a
message held for a sensitive word; made once."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from wenming.cases.models import Channel
from wenming.portal.models import BoardMessage, MessageStatus
from wenming.portal.seed import MESSAGES, TOKEN_PREFIX

from .conftest import staff_client


def demo_messages():  # type: ignore[no-untyped-def]
    return BoardMessage.objects.filter(submit_token__startswith=TOKEN_PREFIX)


def test_the_demo_board_is_answered_in_public_and_has_a_moderation_queue(city, cast, client):
    call_command("seed_demo_board")
    call_command("seed_demo_board")  # once
    messages = demo_messages()
    assert messages.count() == len(MESSAGES)

    board = client.get(reverse("portal:board")).content.decode()
    published = messages.filter(status=MessageStatus.APPROVED, is_public=True)
    assert published.count() >= 4
    for message in published:
        assert message.title in board
    answered = published.exclude(reply="")
    assert answered.count() >= 3
    assert (
        answered.first().reply.split("。")[0]
        in client.get(
            reverse("portal:board_message", args=[answered.first().code])
        ).content.decode()
    )
    private = messages.get(is_public=False)
    assert private.title not in board

    converted = messages.get(case__isnull=False)
    assert converted.case.channel == Channel.BOARD
    assert messages.filter(status=MessageStatus.PENDING).count() == 1
    held = messages.get(status=MessageStatus.HELD)
    assert "代开发票" in held.flagged_words
    queue = staff_client(cast.operator).get(reverse("portal:board_queue"))
    assert queue.status_code == 200
    assert held.title in queue.content.decode()
