"""Work queues: the dispatcher's workspace, the unit's worklist and the verification queue.

Tabs switch with htmx: a tab link asks for the same page with `?tab=`, and the view answers an
htmx request with only the pane (tabs with fresh counts + the paged list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wenming.core.scope import has_role
from wenming.org.models import Role

from .. import selectors
from ..models import RequestStatus
from .common import (
    DISPATCH_ROLES,
    UNIT_ROLES,
    VERIFY_ROLES,
    page_of,
    queue_paginator,
    require_role,
)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    items: Callable[[User], QuerySet]  # type: ignore[type-arg]
    kind: str = "cases"  # "cases" or "requests": which table the pane shows
    roles: tuple[str, ...] = ()  # empty: everyone who may open the page
    quick: str = ""  # an inline form on each row: "dispatch" or "sign"


def _to_dispatch(user: User) -> QuerySet:  # type: ignore[type-arg]
    return selectors.queue_to_dispatch(user).select_related("proposed_unit")


def _returned(user: User) -> QuerySet:  # type: ignore[type-arg]
    return selectors.queue_returned(user).select_related("proposed_unit")


WORKSPACE_TABS = (
    Tab("to_register", _("To register"), selectors.queue_to_register),
    Tab("to_dispatch", _("To dispatch"), _to_dispatch, quick="dispatch"),
    Tab("returned", _("Returned"), _returned, quick="dispatch"),
    Tab(
        "requests",
        _("Requests"),
        lambda user: selectors.requests_waiting(user, status=RequestStatus.PENDING_DISPATCHER),
        kind="requests",
        roles=(Role.DISPATCHER,),
    ),
    Tab("overdue", _("Overdue"), selectors.queue_overdue),
)
WORKLIST_TABS = (
    Tab(
        "to_sign", _("To sign"), lambda user: selectors.worklist(user, tab="to_sign"), quick="sign"
    ),
    Tab("in_progress", _("In progress"), lambda user: selectors.worklist(user, tab="in_progress")),
    Tab("due_soon", _("Due soon"), lambda user: selectors.worklist(user, tab="due_soon")),
    Tab("rework", _("Returned for rework"), lambda user: selectors.worklist(user, tab="rework")),
    Tab(
        "requests",
        _("Requests"),
        lambda user: selectors.requests_waiting(user, status=RequestStatus.PENDING_LEAD),
        kind="requests",
        roles=(Role.UNIT_LEAD,),
    ),
)


def _tabbed(
    request: HttpRequest, tabs: tuple[Tab, ...], title: str | Promise, template: str
) -> HttpResponse:
    user = request.user
    shown = [t for t in tabs if not t.roles or has_role(user, *t.roles)]
    current = next((t for t in shown if t.key == request.GET.get("tab")), shown[0])
    # Each tab's badge is its paginator's (capped) count; the open tab's is counted once.
    paginators = [(t, queue_paginator(t.items(user))) for t in shown]  # type: ignore[arg-type]
    opened = next(p for t, p in paginators if t is current)
    context = {
        "title": title,
        "tabs": paginators,
        "tab": current,
        "page": opened.get_page(request.GET.get("page")),
        "units": selectors.units_for_dispatch() if current.quick == "dispatch" else None,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_queue_pane.html", context)
    return render(request, template, context)


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """调度工作台: the dispatcher's queues with counts."""
    require_role(request.user, *DISPATCH_ROLES)
    return _tabbed(request, WORKSPACE_TABS, _("Dispatch workspace"), "cases/queues.html")


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    """The unit's worklist (待办): to sign, in progress, due soon, rework, lead's requests."""
    require_role(request.user, *UNIT_ROLES)
    return _tabbed(request, WORKLIST_TABS, _("Unit worklist"), "cases/queues.html")


@login_required
@require_GET
def verification(request: HttpRequest) -> HttpResponse:
    """核查队列: handled cases waiting for an on-site check, oldest deadline first."""
    require_role(request.user, *VERIFY_ROLES)
    context = {
        "title": _("Verification queue"),
        "page": page_of(request, selectors.queue_to_verify(request.user)),  # type: ignore[arg-type]
    }
    return render(request, "cases/verification.html", context)
