import pytest
from django.db import transaction

from wenming.core.errors import NotFound
from wenming.notify.models import Delivery, Notification
from wenming.notify.selectors import inbox, unread_count
from wenming.notify.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)


def test_notify_puts_one_message_in_each_inbox(cast):
    made = notify(
        recipients=[cast.handler, cast.unitlead, cast.handler],
        kind="case.dispatched",
        title="New case to sign",
        url="/cases/X/",
    )
    assert len(made) == 2
    assert [n.title for n in inbox(user=cast.handler)] == ["New case to sign"]
    assert inbox(user=cast.unitlead).get().url == "/cases/X/"
    assert not Delivery.objects.exists()  # no extra channel is configured by default


def test_notify_skips_inactive_users(cast):
    cast.handler.is_active = False
    notify(recipients=[cast.handler], kind="k", title="t")
    assert not Notification.objects.filter(recipient=cast.handler).exists()


def test_notify_queues_email_and_sms_for_users_who_have_them(cast, channels):
    cast.handler.email = "handler@example.org"
    cast.dispatcher.email = "dispatcher@example.org"
    cast.unitlead.email = ""
    notify(recipients=[cast.handler, cast.dispatcher, cast.unitlead], kind="k", title="t")
    deliveries = Delivery.objects.select_related("notification__recipient")
    assert {(d.notification.recipient.username, d.channel, d.address) for d in deliveries} == {
        ("handler", "email", "handler@example.org"),
        ("handler", "sms", "13812345678"),
        ("dispatcher", "email", "dispatcher@example.org"),
    }
    assert all(d.status == "pending" and d.attempts == 0 for d in deliveries)


def test_sms_needs_the_phone_lookup(cast, channels, settings):
    settings.WENMING_SMS_PHONE_FOR_USER = None
    notify(recipients=[cast.handler], kind="k", title="t")
    assert not Delivery.objects.filter(channel="sms").exists()


def test_a_rolled_back_action_leaves_no_message(cast, channels):
    cast.handler.email = "handler@example.org"
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[cast.handler], kind="k", title="t")
        raise RuntimeError("the action failed")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_mark_read_lowers_the_unread_count(cast):
    first, second = (notify(recipients=[cast.handler], kind="k", title=t)[0] for t in "ab")
    assert unread_count(user=cast.handler) == 2
    notification_mark_read(user=cast.handler, notification_id=first.pk)
    notification_mark_read(user=cast.handler, notification_id=first.pk)  # twice is harmless
    assert unread_count(user=cast.handler) == 1
    assert [n.pk for n in inbox(user=cast.handler, unread_only=True)] == [second.pk]


def test_mark_read_refuses_another_users_message(cast):
    theirs = notify(recipients=[cast.outsider], kind="k", title="t")[0]
    with pytest.raises(NotFound):
        notification_mark_read(user=cast.handler, notification_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_the_users_messages(cast):
    notify(recipients=[cast.handler, cast.outsider], kind="k", title="t")
    notify(recipients=[cast.handler], kind="k", title="u")
    assert notifications_mark_all_read(user=cast.handler) == 2
    assert unread_count(user=cast.handler) == 0
    assert unread_count(user=cast.outsider) == 1
