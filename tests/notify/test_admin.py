from django.urls import reverse

from wenming.notify.models import Delivery, DeliveryStatus
from wenming.notify.services import notify


def _failed_delivery(user) -> Delivery:  # type: ignore[no-untyped-def]
    user.email = "x@example.org"
    notify(recipients=[user], kind="k", title="t")
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=3, error="down"
    )
    return delivery


def test_admin_lists_deliveries_by_status(client, cast, channels):
    _failed_delivery(cast.dispatcher)
    client.force_login(cast.admin)
    url = reverse("admin:notify_delivery_changelist")
    assert "x@example.org" in client.get(url, {"status__exact": "failed"}).content.decode()
    assert "x@example.org" not in client.get(url, {"status__exact": "sent"}).content.decode()


def test_deliveries_are_read_only_in_the_admin(client, cast, channels):
    delivery = _failed_delivery(cast.dispatcher)
    client.force_login(cast.admin)
    assert client.get(reverse("admin:notify_delivery_add")).status_code == 403
    change = reverse("admin:notify_delivery_change", args=[delivery.pk])
    client.post(change, {"status": "sent", "address": "y@example.org"})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.address) == (DeliveryStatus.FAILED, "x@example.org")


def test_admin_action_queues_failed_deliveries_again(client, cast, channels):
    delivery = _failed_delivery(cast.dispatcher)
    client.force_login(cast.admin)
    client.post(
        reverse("admin:notify_delivery_changelist"),
        {"action": "retry", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_sms_addresses_are_masked_in_the_admin(client, cast, channels):
    notify(recipients=[cast.handler], kind="k", title="t")  # the recording phone lookup
    delivery = Delivery.objects.get(channel="sms")
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:notify_delivery_changelist")).content.decode()
    shown = client.get(reverse("admin:notify_delivery_change", args=[delivery.pk]))
    for body in (listing, shown.content.decode()):
        assert "138****5678" in body and "13812345678" not in body
