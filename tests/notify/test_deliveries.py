import contextlib
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from wenming.notify.models import Delivery, DeliveryStatus
from wenming.notify.senders import DeliveryError
from wenming.notify.services import (
    deliveries_release_stale,
    deliveries_retry,
    deliveries_send_due,
    notify,
)


def _email_delivery(user: User) -> Delivery:
    user.email = f"{user.username}@example.org"
    notify(recipients=[user], kind="case.dispatched", title="New case")
    return Delivery.objects.get(channel="email", address=user.email)


def test_due_deliveries_are_sent_and_marked(cast, channels):
    delivery = _email_delivery(cast.handler)
    assert deliveries_send_due() == 2  # the email and the SMS
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1 and delivery.sent_at is not None
    assert sorted(channels.sent) == [
        ("13812345678", "New case"),
        ("handler@example.org", "New case"),
    ]
    assert deliveries_send_due() == 0  # nothing is sent twice
    assert len(channels.sent) == 2


def test_a_failure_is_retried_with_growing_delays(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    channels.failure = DeliveryError("mail server down")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert deliveries_send_due() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.error == "mail server down"
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        deliveries_send_due()  # not yet due: no attempt
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == start + timedelta(minutes=3)  # then 2 minutes later


def test_it_gives_up_after_the_maximum_attempts_and_keeps_the_error(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    channels.failure = DeliveryError("mailbox unknown")
    moment = timezone.now()
    for _ in range(3):  # WENMING_DELIVERY_MAX_ATTEMPTS is 3 in these tests
        with time_machine.travel(moment, tick=False):
            deliveries_send_due()
        moment += timedelta(hours=1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.error == "mailbox unknown"
    channels.failure = None
    with time_machine.travel(moment, tick=False):
        assert deliveries_send_due() == 0  # failed rows stay failed


def test_a_crashing_sender_counts_as_a_failed_attempt(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    channels.failure = ValueError("bug in the provider library")
    deliveries_send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "bug in the provider library" in delivery.error


def test_an_unconfigured_channel_fails_the_delivery(cast, channels, settings):
    delivery = _email_delivery(cast.dispatcher)
    settings.WENMING_SENDERS = {}
    deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "no sender configured" in delivery.error


def test_failed_deliveries_can_be_retried(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=3)
    assert deliveries_retry(delivery_ids=[delivery.pk]) == 1
    assert deliveries_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_stale_claim_goes_back_to_the_queue(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    claimed = timezone.now() - timedelta(minutes=11)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=claimed
    )
    fresh = timezone.now() - timedelta(minutes=5)
    other = _email_delivery(cast.unitlead)
    Delivery.objects.filter(pk=other.pk).update(status=DeliveryStatus.SENDING, claimed_at=fresh)
    assert deliveries_send_due() == 1  # the stale one, released and sent; the fresh one waits
    delivery.refresh_from_db()
    other.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert other.status == DeliveryStatus.SENDING
    assert channels.sent == [("dispatcher@example.org", "New case")]


def test_a_stale_claim_on_the_last_attempt_fails(cast, channels):
    delivery = _email_delivery(cast.dispatcher)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        attempts=2,
        claimed_at=timezone.now() - timedelta(minutes=30),
    )
    assert deliveries_release_stale() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "worker stopped" in delivery.error


@pytest.mark.postgres
def test_two_workers_never_send_the_same_delivery(transactional_db, channels):
    """Two threads (two connections) run the sender at once. On PostgreSQL they really race
    for the rows; the compare-and-set claim lets exactly one send each delivery."""
    users = [User.objects.create(username=f"u{i}", email=f"u{i}@example.org") for i in range(30)]
    notify(recipients=users, kind="k", title="t")
    channels.delay = 0.005
    start = threading.Barrier(2)
    results: list[int] = []
    # An in-memory SQLite test database (shared cache) refuses a second writer at once
    # ("table is locked") where a real SQLite file waits on its busy timeout: there the
    # workers take turns.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    turns = threading.Lock() if in_memory else contextlib.nullcontext()

    def worker() -> None:
        try:
            start.wait()
            with turns:
                results.append(deliveries_send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 30
    assert sorted(address for address, _ in channels.sent) == sorted(u.email for u in users)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 30
