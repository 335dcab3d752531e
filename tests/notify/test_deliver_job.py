"""The queued fast path: with WENMING_NOTIFY_VIA_QUEUE the deliveries get jobs (in batches)
that a worker runs at once; the periodic sweep remains, and nothing is sent twice."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wenming.core import periodic
from wenming.notify.models import Delivery, DeliveryStatus
from wenming.notify.services import deliveries_send, notify
from wenming.notify.tasks import deliver


def test_the_deliveries_are_queued_and_sent_by_the_worker(
    transactional_db, cast, channels, settings, monkeypatch
):
    settings.WENMING_NOTIFY_VIA_QUEUE = True
    monkeypatch.setattr(periodic, "_registry", {})  # only the queued jobs run, not the sweep
    cast.handler.email = "handler@example.org"
    cast.handler.save()
    with transaction.atomic():
        notify(recipients=[cast.handler], kind="case.dispatched", title="New case")
        assert not DBTaskResult.objects.exists()  # queued only once the action commits
    assert DBTaskResult.objects.filter(task_path="wenming.notify.tasks.deliver").count() == 1
    call_command("worker", "--batch")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(channels.sent) == 2
    deliver.enqueue(Delivery.objects.first().pk)  # a duplicate job finds it sent already
    deliver.enqueue(list(Delivery.objects.values_list("pk", flat=True)))
    call_command("worker", "--batch")
    assert len(channels.sent) == 2


def test_a_batch_sends_only_what_is_still_pending_and_due(db, cast, channels):
    for user in (cast.handler, cast.dispatcher):
        user.email = f"{user.username}@example.org"
        user.save()
    notify(recipients=[cast.handler, cast.dispatcher], kind="case.dispatched", title="New case")
    first, later, taken = Delivery.objects.order_by("pk")[:3]
    Delivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    Delivery.objects.filter(pk=taken.pk).update(status=DeliveryStatus.SENDING)  # another worker's
    assert deliveries_send([first.pk, later.pk, taken.pk]) == 1
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=later.pk).status == DeliveryStatus.PENDING
    assert Delivery.objects.get(pk=taken.pk).status == DeliveryStatus.SENDING


def test_without_the_setting_nothing_is_queued(transactional_db, cast, channels, settings):
    settings.WENMING_NOTIFY_VIA_QUEUE = False
    cast.handler.email = "handler@example.org"
    cast.handler.save()
    notify(recipients=[cast.handler], kind="case.dispatched", title="New case")
    assert not DBTaskResult.objects.exists()
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
