"""Who hears about assessment tasks. Called after commit; each function loads what it needs."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.notify.kinds import register_kind
from wenming.org.models import Role

from .models import Cycle, Task

for _kind, _label in [
    ("task.new", gettext_lazy("New assessment tasks")),
    ("task.reviewed", gettext_lazy("Task reviewed")),
    ("task.overdue", gettext_lazy("Task overdue")),
]:
    register_kind(_kind, _label)


def unit_staff(unit_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__unit_id__in=list(unit_ids),
            memberships__role__in=[Role.HANDLER, Role.UNIT_LEAD],
        ).distinct()
    )


def _send(users: list[User], kind: str, title: str, url: str, body: str = "") -> None:
    from wenming.notify.services import notify

    if users:
        notify(recipients=users, kind=kind, title=title, body=body, url=url)


def notify_new_tasks(*, cycle_id: int, unit_ids: list[int]) -> None:
    cycle = Cycle.objects.get(pk=cycle_id)
    title = _("New assessment tasks for %(month)s, evidence due %(due)s") % {
        "month": f"{cycle.month:%Y-%m}",
        "due": f"{cycle.due_on:%Y-%m-%d}",
    }
    _send(unit_staff(unit_ids), "task.new", title, reverse("assessment:my_tasks"))


def _task(task_id: int) -> Task:
    return Task.objects.select_related("indicator", "cycle").get(pk=task_id)


def notify_reviewed(*, task_id: int) -> None:
    task = _task(task_id)
    if task.status == "passed":
        title = _("Task %(code)s passed the review") % {"code": task.indicator.code}
    else:
        title = _("Task %(code)s failed the review: rectify by %(date)s") % {
            "code": task.indicator.code,
            "date": f"{task.rectify_by:%Y-%m-%d}" if task.rectify_by else "—",
        }
    url = reverse("assessment:task_detail", args=[task.pk])
    _send(unit_staff([task.unit_id]), "task.reviewed", title, url, task.indicator.name)


def notify_overdue(*, task_id: int) -> None:
    task = _task(task_id)
    title = _("Task %(code)s is overdue") % {"code": task.indicator.code}
    url = reverse("assessment:task_detail", args=[task.pk])
    _send(unit_staff([task.unit_id]), "task.overdue", title, url, task.indicator.name)
