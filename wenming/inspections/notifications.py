"""Who hears about inspections. Called after commit; each function loads what it needs."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.notify.kinds import register_kind

from .models import InspectionRound

register_kind("inspection.assigned", gettext_lazy("Sites to inspect"))


def notify_assigned(*, round_id: int, inspector_id: int, count: int) -> None:
    from wenming.notify.services import notify

    inspection_round = InspectionRound.objects.get(pk=round_id)
    title = _("%(n)s sites to inspect in %(round)s") % {"n": count, "round": inspection_round.name}
    url = reverse("inspections:my_round", args=[round_id])
    notify(
        recipients=User.objects.filter(pk=inspector_id),
        kind="inspection.assigned",
        title=title,
        url=url,
    )
