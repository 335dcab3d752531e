"""The case page: everything about one case, and the forms for the moves allowed now.

A form posts to `case_act` (or `request_decide`), which calls the service. On success the user
is sent back (to `next` when a queue posted the form). On a refused move the page is rendered
again with the message and the typed input kept; a concurrent change reloads the page instead,
because the form the user filled no longer matches the case.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wenming.core.errors import ConcurrentUpdate, DomainError
from wenming.triage import case_page as triage  # suggestions, duplicates, reply checks

from .. import deadlines, selectors, services
from ..access import may_reveal_phone
from ..forms import ActionForm, DecideForm
from ..models import AttachmentKind, Case, CaseRequest, RequestStatus
from ..reveal import case_phone_reveal, case_viewed
from ..states import Action
from .actions import BY_SLUG, ActionSpec, blank_form, specs_for
from .common import safe_next

DEADLINES = (
    ("sign_deadline", gettext_lazy("Sign by")),
    ("handle_deadline", gettext_lazy("Handle by")),
    ("verify_deadline", gettext_lazy("Verify by")),
)


@login_required
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.case_get_for(request.user, code)
    case_viewed(user=request.user, case=case, request=request)
    return render(request, "cases/detail.html", _context(request, case))


@login_required
@require_POST
def case_reveal_phone(request: HttpRequest, code: str) -> HttpResponse:
    """查看完整号码: the page again with the reporter's full phone, audited."""
    case = selectors.case_get_for(request.user, code)
    context = _context(request, case)
    context["reporter_phone"] = case_phone_reveal(user=request.user, case=case, request=request)
    context["revealed"] = True
    response = render(request, "cases/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def case_act(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """Make one move on the case with the posted form."""
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404
    case = selectors.case_get_for(request.user, code)
    form = spec.form(request.POST, request.FILES, prefix=spec.slug)
    if not form.is_valid():
        return _refused(request, case, _("Check the form."), (spec.slug, form), status=400)
    try:
        spec.perform(case, request.user, form.cleaned_data)  # type: ignore[arg-type]
    except DomainError as error:
        return _failed(request, case, error, (spec.slug, form))
    messages.success(request, _("Done: %(action)s.") % {"action": spec.title})
    return _done(request, code)


@login_required
@require_POST
def request_decide(request: HttpRequest, code: str, request_id: int) -> HttpResponse:
    """The unit lead's or the dispatcher's decision on a return/extension request."""
    case = selectors.case_get_for(request.user, code)
    case_request = _open_request(case, request_id)
    form = DecideForm(request.POST, prefix=f"decide-{request_id}")
    if not form.is_valid():
        key = f"decide-{request_id}"
        return _refused(request, case, _("Check the form."), (key, form), status=400)
    try:
        _decide(case_request, request.user, form.cleaned_data)  # type: ignore[arg-type]
    except DomainError as error:
        return _failed(request, case, error, (f"decide-{request_id}", form))
    done = _("Approved.") if form.cleaned_data["approve"] else _("Turned down.")
    messages.success(request, done)
    return _done(request, code)


def _decide(case_request: CaseRequest, user: User, data: dict[str, Any]) -> None:
    if case_request.status == RequestStatus.PENDING_LEAD:
        services.case_request_decide_lead(
            request_id=case_request.pk, actor=user, approve=data["approve"], note=data["note"]
        )
    else:
        services.case_request_decide(
            request_id=case_request.pk,
            actor=user,
            approve=data["approve"],
            note=data["note"],
            expected_version=data["expected_version"],
        )


def _open_request(case: Case, request_id: int) -> CaseRequest:
    for case_request in selectors.case_requests_open(case):
        if case_request.pk == request_id:
            return case_request
    raise Http404


def _done(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponseRedirect(safe_next(request) or reverse("cases:detail", args=[code]))


def _failed(
    request: HttpRequest, case: Case, error: DomainError, bound: tuple[str, ActionForm]
) -> HttpResponse:
    if isinstance(error, ConcurrentUpdate) or safe_next(request):
        # The page the user acted on is stale (or was a queue): show the message on a reload.
        messages.error(request, str(error.message))
        return _done(request, case.code)
    return _refused(request, case, str(error.message), bound, status=error.status)


def _refused(
    request: HttpRequest,
    case: Case,
    message: str,
    bound: tuple[str, ActionForm],
    *,
    status: int,
) -> HttpResponse:
    case = selectors.case_get_for(request.user, case.code)  # fresh: the move did not happen
    context = _context(request, case, bound=bound)
    context["error"] = message
    return render(request, "cases/detail.html", context, status=status)


# ---------------------------------------------------------------- page context


def _context(
    request: HttpRequest, case: Case, *, bound: tuple[str, ActionForm] | None = None
) -> dict[str, Any]:
    user = request.user
    moves = selectors.moves_for(user, case)
    photos = list(selectors.case_photos(case))
    open_requests = selectors.case_requests_open(case)
    panels = _panels(case, moves, bound, {r.kind for r in open_requests})
    triage.prefill(request, panels)  # a suggestion clicked: ?use_category= / ?use_unit=
    return {
        "case": case,
        "reporter_phone": case.reporter_phone_masked,
        "can_reveal": bool(case.reporter_phone_masked) and may_reveal_phone(user, case),
        "deadlines": _deadlines(case),
        "panels": panels,
        "triage": triage.case_panel(user, case, moves),
        "requests": _requests(case, open_requests, moves, bound),
        "before_photos": [p for p in photos if p.kind == AttachmentKind.BEFORE],
        "after_photos": [p for p in photos if p.kind != AttachmentKind.BEFORE],
        "events": selectors.timeline(case, audience="internal"),
        "ratings": selectors.case_ratings(case),
        "duplicates": case.duplicates.order_by("code"),
        "map_features": _features(case),
        "bound_key": bound[0] if bound else "",
    }


def _panels(
    case: Case, moves: list[str], bound: tuple[str, ActionForm] | None, open_kinds: set[str]
) -> list[tuple[ActionSpec, ActionForm]]:
    panels = []
    for spec in specs_for(moves, case):
        if spec.slug.removesuffix("_request") in open_kinds:
            continue  # one open request of a kind at a time
        # A refused form keeps what was typed, and the version it was filled against.
        form = bound[1] if bound and bound[0] == spec.slug else blank_form(spec, case)
        panels.append((spec, form))
    return panels


def _requests(
    case: Case,
    open_requests: list[CaseRequest],
    moves: list[str],
    bound: tuple[str, ActionForm] | None,
) -> list[tuple[CaseRequest, DecideForm | None]]:
    """Open requests, each with a decision form when this user decides it now."""
    rows = []
    for case_request in open_requests:
        key = f"decide-{case_request.pk}"
        form: DecideForm | None = None
        if _may_decide(case_request, moves):
            form = bound[1] if bound and bound[0] == key else None  # type: ignore[assignment]
            form = form or DecideForm(prefix=key, initial={"expected_version": case.version})
        rows.append((case_request, form))
    return rows


def _may_decide(case_request: CaseRequest, moves: list[str]) -> bool:
    if case_request.status == RequestStatus.PENDING_LEAD:
        return Action.RETURN_APPROVE_LEAD in moves or Action.EXTENSION_APPROVE_LEAD in moves
    final = Action.RETURN if case_request.kind == "return" else Action.EXTENSION_APPROVE
    return final in moves


def _deadlines(case: Case) -> list[dict[str, Any]]:
    """The case's deadlines; the one of the stage it is in now shows the time left."""
    now, stage = timezone.now(), deadlines.current_stage(case)
    rows = []
    for field, label in DEADLINES:
        moment = getattr(case, field)
        if moment is not None:
            current = stage is not None and stage.deadline == moment
            rows.append({"label": label, "at": moment, "current": current, "overdue": moment < now})
    return rows


def _features(case: Case) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    if case.region and case.region.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": case.region.boundary,
                "properties": {"name": case.region.name, "main": False},
            }
        )
    if case.lat is not None and case.lon is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
                "properties": {"name": case.address or case.title, "main": True},
            }
        )
    return {"type": "FeatureCollection", "features": features}
