"""Who hears about what happens to a case. Called after commit, so a rolled-back action sends
nothing; each function loads what it needs by id."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.org.models import Liaison, Role

from .models import Case, WarningLevel


def _unit_staff(case: Case, roles: tuple[str, ...] = (Role.HANDLER, Role.UNIT_LEAD)) -> list[User]:
    if not case.unit_id:
        return []
    return list(
        User.objects.filter(
            memberships__unit_id=case.unit_id, memberships__role__in=roles
        ).distinct()
    )


def _dispatchers(case: Case) -> list[User]:
    users = User.objects.filter(memberships__role=Role.DISPATCHER).distinct()
    path = case.region.path if case.region else ""
    return [
        u
        for u in users.prefetch_related("memberships__region_scope")
        if any(
            path.startswith(m.region_scope.path)
            for m in u.memberships.all()
            if m.role == Role.DISPATCHER
        )
    ]


def _liaison_leaders(case: Case) -> list[User]:
    if case.region is None:
        return []
    codes = [c for c in case.region.path.strip("/").split("/") if c]
    ids = Liaison.objects.filter(region__code__in=codes).values_list("leader_id", flat=True)
    return list(User.objects.filter(pk__in=ids))


def _send(users: list[User], case: Case, kind: str, title: str, body: str = "") -> None:
    from wenming.notify.services import notify

    if users:
        url = reverse("cases:detail", args=[case.code])
        notify(recipients=users, kind=kind, title=title, body=body or case.title, url=url)


def _load(case_id: int) -> Case:
    return Case.objects.select_related("region", "unit").get(pk=case_id)


def notify_dispatched(*, case_id: int) -> None:
    case = _load(case_id)
    _send(
        _unit_staff(case),
        case,
        "case.dispatched",
        _("New case to sign: %(code)s") % {"code": case.code},
    )


def notify_returned_for_rework(*, case_id: int) -> None:
    case = _load(case_id)
    _send(
        _unit_staff(case),
        case,
        "case.rework",
        _("Case %(code)s sent back for rework") % {"code": case.code},
    )


def notify_request(*, case_id: int, for_lead: bool) -> None:
    case = _load(case_id)
    users = _unit_staff(case, (Role.UNIT_LEAD,)) if for_lead else _dispatchers(case)
    _send(
        users,
        case,
        "case.request",
        _("A request on case %(code)s needs your decision") % {"code": case.code},
    )


def notify_request_decided(*, case_id: int, requester_id: int, approved: bool) -> None:
    case = _load(case_id)
    title = (
        _("Your request on case %(code)s was approved")
        if approved
        else _("Your request on case %(code)s was turned down")
    )
    _send(
        list(User.objects.filter(pk=requester_id)),
        case,
        "case.request_decided",
        title % {"code": case.code},
    )


def notify_returned(*, case_id: int) -> None:
    case = _load(case_id)
    _send(
        _dispatchers(case),
        case,
        "case.returned",
        _("Case %(code)s was returned and needs re-dispatch") % {"code": case.code},
    )


def notify_closed(*, case_id: int) -> None:
    case = _load(case_id)
    _send(
        _unit_staff(case), case, "case.closed", _("Case %(code)s is closed") % {"code": case.code}
    )


def notify_supervised(*, case_id: int) -> None:
    case = _load(case_id)
    users = _unit_staff(case) + _liaison_leaders(case)
    _send(
        users,
        case,
        "case.supervised",
        _("Case %(code)s is under supervision (督办)") % {"code": case.code},
    )


def notify_warning(*, case_id: int, level: int) -> None:
    case = _load(case_id)
    if level == WarningLevel.RED:
        users = _unit_staff(case) + _liaison_leaders(case)
        title = _("Case %(code)s is overdue and under supervision") % {"code": case.code}
    else:
        users = _unit_staff(case)
        title = _("Case %(code)s is due soon") % {"code": case.code}
    _send(users, case, "case.warning", title)
