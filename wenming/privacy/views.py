"""个人信息: the citizen proves a phone with an SMS code, then sees what was reported from it,
downloads a copy (JSON) or asks for deletion; the office (admin) reviews deletions."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenming.cases.views.common import require_role
from wenming.core.errors import DomainError
from wenming.core.masking import mask_phone
from wenming.org.models import Role

from . import services
from .forms import CodeForm, DecideForm, DeletionForm, PhoneForm
from .models import DataRequest, RequestKind, RequestStatus

SESSION_KEY = "wm_privacy"
PROOF_SECONDS = 30 * 60
OFFICE_ROLES = (Role.ADMIN,)


# ---------------------------------------------------------------- citizen


def _proof(request: HttpRequest) -> dict[str, str] | None:
    proof = request.session.get(SESSION_KEY)
    if not proof or proof.get("until", 0) < time.time():
        return None
    return proof  # type: ignore[no-any-return]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone, to which a code is texted; step 2: the code."""
    if _proof(request) and request.method == "GET":
        return redirect("privacy:mine")
    phone_form, code_form = PhoneForm(), None
    if request.method == "POST" and "code" in request.POST:
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            phone = code_form.cleaned_data["phone"]
            try:
                digest = services.verification_check(
                    phone=phone, code=code_form.cleaned_data["code"]
                )
            except DomainError as error:
                code_form.add_error("code", str(error.message))
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {
                    "hash": digest,
                    "masked": mask_phone(phone),
                    "until": time.time() + PROOF_SECONDS,
                }
                return redirect("privacy:mine")
    elif request.method == "POST":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            phone = phone_form.cleaned_data["phone"]
            try:
                services.verification_send(phone=phone)
            except DomainError as error:
                phone_form.add_error("phone", str(error.message))
            else:
                code_form = CodeForm(initial={"phone": phone})
                messages.info(
                    request, _("A code was sent to %(phone)s.") % {"phone": mask_phone(phone)}
                )
    return render(request, "privacy/start.html", {"phone_form": phone_form, "code_form": code_form})


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    proof = _proof(request)
    if proof is None:
        return redirect("privacy:start")
    digest = proof["hash"]
    context = {
        "masked": proof["masked"],
        "cases": services.cases_of(digest).order_by("-reported_at")[:200],
        "board_messages": services.messages_of(digest).order_by("-created_at")[:200],
        "requests": services.requests_of(digest)[:20],
        "deletion_form": DeletionForm(),
    }
    return render(request, "privacy/mine.html", context)


@require_POST
def export(request: HttpRequest) -> HttpResponse:
    proof = _proof(request)
    if proof is None:
        return redirect("privacy:start")
    data = services.citizen_export(digest=proof["hash"], masked=proof["masked"], request=request)
    name = f"my-data-{timezone.localtime():%Y%m%d}.json"
    return HttpResponse(
        data,
        content_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    proof = _proof(request)
    if proof is None:
        return redirect("privacy:start")
    form = DeletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the deletion request."))
        return redirect("privacy:mine")
    try:
        data_request = services.deletion_request(
            digest=proof["hash"],
            masked=proof["masked"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Your request %(code)s was filed. The office reviews it within 15 working days.")
            % {"code": data_request.code},
        )
    return redirect("privacy:mine")


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:home")


# ---------------------------------------------------------------- office


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICE_ROLES)
    status = request.GET.get("status", RequestStatus.PENDING)
    requests = DataRequest.objects.filter(kind=RequestKind.DELETION).select_related("decided_by")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": RequestStatus.choices}
    return render(request, "privacy/staff/list.html", context)


def _deletion(pk: int) -> DataRequest:
    return get_object_or_404(DataRequest, pk=pk, kind=RequestKind.DELETION)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICE_ROLES)
    data_request = _deletion(pk)
    context = {
        "item": data_request,
        "case_count": services.cases_of(data_request.phone_hash).count(),
        "message_count": services.messages_of(data_request.phone_hash).count(),
        "form": DecideForm(),
    }
    return render(request, "privacy/staff/detail.html", context)


@login_required
@require_POST
def staff_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICE_ROLES)
    data_request = _deletion(pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("privacy:staff_detail", pk=pk)
    services.deletion_decide(
        request_id=data_request.pk,
        actor=request.user,  # type: ignore[arg-type]
        approve=form.cleaned_data["decision"] == "approve",
        note=form.cleaned_data["note"],
        request=request,
    )
    messages.success(request, _("The request was decided."))
    return redirect("privacy:staff_detail", pk=pk)
