"""The queued fast path: with WENMING_NOTIFY_VIA_QUEUE each delivery gets a job that a worker
runs at once; the periodic sweep remains, and nothing is sent twice."""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from wenming.core import periodic
from wenming.notify.models import Delivery, DeliveryStatus
from wenming.notify.services import notify
from wenming.notify.tasks import deliver


def test_each_delivery_is_queued_and_sent_by_the_worker(
    transactional_db, cast, channels, settings, monkeypatch
):
    settings.WENMING_NOTIFY_VIA_QUEUE = True
    monkeypatch.setattr(periodic, "_registry", {})  # only the queued jobs run, not the sweep
    cast.handler.email = "handler@example.org"
    cast.handler.save()
    with transaction.atomic():
        notify(recipients=[cast.handler], kind="case.dispatched", title="New case")
        assert not DBTaskResult.objects.exists()  # queued only once the action commits
    assert DBTaskResult.objects.filter(task_path="wenming.notify.tasks.deliver").count() == 2
    call_command("worker", "--batch")
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(channels.sent) == 2
    deliver.enqueue(Delivery.objects.first().pk)  # a duplicate job finds it sent already
    call_command("worker", "--batch")
    assert len(channels.sent) == 2


def test_without_the_setting_nothing_is_queued(transactional_db, cast, channels, settings):
    settings.WENMING_NOTIFY_VIA_QUEUE = False
    cast.handler.email = "handler@example.org"
    cast.handler.save()
    notify(recipients=[cast.handler], kind="case.dispatched", title="New case")
    assert not DBTaskResult.objects.exists()
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
