"""Writes for notifications: the inbox, and the outbox of deliveries the worker sends.

`notify` writes inbox rows and `Delivery` rows in the caller's transaction, so a message exists
exactly when the action that caused it committed. The worker's periodic job
(`deliveries_send_due`) claims each due delivery with a compare-and-set UPDATE before sending
it, so two workers never send the same delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from wenming.core.errors import NotFound
from wenming.core.tasks import enqueue_on_commit

from .models import Delivery, DeliveryStatus, Notification
from .senders import DeliveryError, Sender, sender_for

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=1)  # 1, 2, 4, 8 … minutes between attempts
RETRY_MAX = timedelta(hours=6)
JOB_BATCH = 50  # deliveries per queued job
STALE_CLAIM = timedelta(minutes=10)  # a `sending` row this old belongs to a dead worker


def notify(
    *, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue its email/SMS deliveries.

    Runs in the caller's transaction (a savepoint), so the messages vanish if the action that
    caused them rolls back. Inactive users and duplicates are skipped. Extra channels come
    from `settings.WENMING_NOTIFY_CHANNELS`: "email" for users with an email address, "sms"
    for users `settings.WENMING_SMS_PHONE_FOR_USER(user)` gives a phone number.
    """
    users = list({u.pk: u for u in recipients if u.is_active}.values())
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(recipient=u, kind=kind, title=title, body=body, url=url) for u in users
        )
        deliveries = Delivery.objects.bulk_create(
            Delivery(notification=n, channel=channel, address=address)
            for n in notifications
            for channel, address in _channel_addresses(n.recipient)
        )
    if settings.WENMING_NOTIFY_VIA_QUEUE:  # sent at once by a worker; the sweep stays the net
        from .tasks import deliver

        ids = [delivery.pk for delivery in deliveries]
        # A job per batch, not per delivery: the job's own bookkeeping (claim, status
        # updates, commits) costs more than one send; batches keep two workers busy.
        for start in range(0, len(ids), JOB_BATCH):
            enqueue_on_commit(deliver, ids[start : start + JOB_BATCH])
    return notifications


def _channel_addresses(user: User) -> list[tuple[str, str]]:
    channels = settings.WENMING_NOTIFY_CHANNELS
    addresses = []
    if "email" in channels and user.email:
        addresses.append(("email", user.email))
    phone_for_user = _phone_lookup()
    if "sms" in channels and phone_for_user is not None and (phone := phone_for_user(user)):
        addresses.append(("sms", phone))
    return addresses


def _phone_lookup() -> Callable[[User], str | None] | None:
    configured = settings.WENMING_SMS_PHONE_FOR_USER
    if isinstance(configured, str):
        return import_string(configured)  # type: ignore[no-any-return]
    return configured  # type: ignore[no-any-return]


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own messages read; another user's message is NotFound."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread message of the user read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def deliveries_send_due(*, limit: int = 100) -> int:
    """Send up to `limit` due pending deliveries; returns how many went out.

    Must run outside a transaction (the claim has to be visible to other workers before the
    slow send). Failures are retried with exponential backoff and marked failed after
    `settings.WENMING_DELIVERY_MAX_ATTEMPTS` attempts, keeping the last error.
    """
    deliveries_release_stale()
    now = timezone.now()
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
        .values_list("id", flat=True)[:limit]
    )
    senders: dict[str, Sender] = {}
    sent = 0
    for delivery_id in list(due):
        if _claim(delivery_id, now):
            sent += _send(
                Delivery.objects.select_related("notification").get(pk=delivery_id), senders
            )
    return sent


def deliveries_send(delivery_ids: Iterable[int]) -> int:
    """Send these deliveries now if still pending and due (the queued job's fast path);
    returns how many went out — those another worker claimed first or not yet due are left.
    Must run outside a transaction, like the sweep."""
    now = timezone.now()
    claimed = [pk for pk in delivery_ids if _claim(pk, now, due_only=True)]
    senders: dict[str, Sender] = {}
    rows = Delivery.objects.select_related("notification").filter(pk__in=claimed).order_by("pk")
    return sum(_send(delivery, senders) for delivery in rows)


def _claim(delivery_id: int, now: datetime, *, due_only: bool = False) -> bool:
    # Compare-and-set: of two workers that read the same pending row, only one UPDATE matches
    # (PostgreSQL re-checks the WHERE after waiting for the other's row lock; SQLite
    # serialises writers), so a delivery is sent once.
    rows = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
    if due_only:
        rows = rows.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return rows.update(status=DeliveryStatus.SENDING, claimed_at=now) == 1


def _send(delivery: Delivery, senders: dict[str, Sender]) -> int:
    notification = delivery.notification
    try:
        if delivery.channel not in senders:
            senders[delivery.channel] = sender_for(delivery.channel)
        senders[delivery.channel].send(
            address=delivery.address,
            title=notification.title,
            body=notification.body,
            url=notification.url,
        )
    except Exception as exc:
        if not isinstance(exc, DeliveryError):
            logger.exception("sender for %s crashed on delivery %s", delivery.channel, delivery.pk)
        _record_failure(delivery, str(exc) or exc.__class__.__name__)
        return 0
    _finish(delivery, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return 1


def _record_failure(delivery: Delivery, error: str) -> None:
    attempts = delivery.attempts + 1
    if attempts >= settings.WENMING_DELIVERY_MAX_ATTEMPTS:
        logger.warning(
            "delivery %s failed for good after %s attempts: %s", delivery.pk, attempts, error
        )
        _finish(delivery, status=DeliveryStatus.FAILED, error=error)
        return
    delay = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_MAX)
    logger.info(
        "delivery %s failed (attempt %s), retry in %s: %s", delivery.pk, attempts, delay, error
    )
    _finish(
        delivery,
        status=DeliveryStatus.PENDING,
        next_attempt_at=timezone.now() + delay,
        claimed_at=None,
        error=error,
    )


def _finish(delivery: Delivery, **fields: object) -> None:
    # Only the claimant may finish: if the claim went stale and was released meanwhile, the
    # row is no longer ours to change.
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        attempts=F("attempts") + 1, **fields
    )


def deliveries_release_stale(*, now: datetime | None = None) -> int:
    """Give deliveries claimed over 10 minutes ago by a worker that died back to the queue.

    The interrupted try counts as an attempt, so a message that kills its worker each time
    ends as failed instead of looping forever. Returns how many rows were released.
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    error = "the worker stopped while sending"
    last_try = stale.filter(attempts__gte=settings.WENMING_DELIVERY_MAX_ATTEMPTS - 1)
    failed = last_try.update(status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, error=error)
    released = stale.update(
        status=DeliveryStatus.PENDING,
        attempts=F("attempts") + 1,
        claimed_at=None,
        next_attempt_at=now,
        error=error,
    )
    if failed or released:
        logger.warning("released %s stale deliveries, %s of them failed", released, failed)
    return failed + released


def deliveries_retry(*, delivery_ids: Iterable[int]) -> int:
    """Queue failed deliveries again with a fresh set of attempts (admin action)."""
    failed = Delivery.objects.filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED)
    return failed.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
