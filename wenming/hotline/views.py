"""The 12345 console (受理) with its htmx helpers, and the knowledge base's staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wenming.cases.models import Category
from wenming.cases.views.common import require_role
from wenming.core.errors import IllegalTransition, InvalidInput

from . import selectors, services
from .forms import CallForm, KnowledgeForm, new_token
from .models import Ending, KnowledgeItem
from .phones import validate_caller_phone

KNOWLEDGE_PAGE_SIZE = 30
DONE_MESSAGES: dict[str, Any] = {
    Ending.ANSWER: gettext_lazy("Call filed as {code} and answered directly (closed)."),
    Ending.REGISTER: gettext_lazy("Call filed and registered as {code}."),
    Ending.DISPATCH: gettext_lazy("Call filed as {code}, registered and dispatched to {unit}."),
}


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _unit_context(form: CallForm) -> dict[str, Any]:
    """The dispatch select: the units, the routing proposal and the operator's choice."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    proposed = selectors.proposed_unit(
        category=data.get("category"), lat=data.get("lat"), lon=data.get("lon")
    )
    chosen = data.get("unit") or proposed
    return {
        "units": form.fields["unit"].queryset,  # type: ignore[attr-defined]
        "proposed": proposed,
        "chosen_id": chosen.pk if chosen else None,
        "unit_errors": form.errors.get("unit", []),
    }


def _done(request: HttpRequest, case: Any, ending: str, created: bool) -> HttpResponse:
    link = format_html(
        '<a class="alert-link" href="{}">{}</a>',
        reverse("cases:detail", args=[case.code]),
        case.code,
    )
    if created:
        unit = case.unit.name if case.unit else ""
        messages.success(request, format_html(str(DONE_MESSAGES[ending]), code=link, unit=unit))
    else:
        messages.info(request, format_html(_("This call was already filed as {code}."), code=link))
    return redirect("hotline:console")


@login_required
@require_http_methods(["GET", "POST"])
def console(request: HttpRequest) -> HttpResponse:
    """One page per call: fill it in, end it with one of three buttons, start the next."""
    require_role(request.user, *services.CALL_ROLES)
    form = CallForm(request.POST or None, initial={"token": new_token()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, created = services.call_take(
                token=data["token"],
                actor=request.user,  # type: ignore[arg-type]
                call=form.call(),
                ending=data["ending"],
                answer=data["answer"],
                knowledge_item=data["knowledge_item"],
                unit=data["unit"] if data["ending"] == Ending.DISPATCH else None,
            )
        except (InvalidInput, IllegalTransition) as error:
            form.add_error(None, str(error.message))
        else:
            return _done(request, case, data["ending"], created)
    context = {"form": form, **_unit_context(form)}
    if form.is_bound:
        context["caller"] = _caller_context(request, request.POST.get("phone", "").strip())
    return render(request, "hotline/console.html", context)


def _caller_context(request: HttpRequest, raw: str) -> dict[str, Any]:
    """The earlier-cases panel for a number: its cases in the user's scope, or the error."""
    context: dict[str, Any] = {"raw": raw}
    try:
        phone = validate_caller_phone(raw) if raw else ""
    except ValidationError as error:
        return {**context, "error": error.messages[0]}
    if phone:
        cases = selectors.caller_cases(request.user, phone=phone)
        context.update(
            phone=phone,
            cases=cases,
            total=selectors.caller_case_count(request.user, phone=phone) if cases else 0,
            known_name=next((c.reporter_name for c in cases if c.reporter_name), ""),
        )
    return context


@login_required
@require_GET
def caller(request: HttpRequest) -> HttpResponse:
    """The earlier-cases panel for the number typed so far (htmx)."""
    require_role(request.user, *services.CALL_ROLES)
    context = _caller_context(request, request.GET.get("phone", "").strip())
    return render(request, "hotline/_caller.html", context)


def _hits(request: HttpRequest, hits: list[selectors.Hit], list_id: str) -> HttpResponse:
    return render(request, "hotline/_hits.html", {"hits": hits, "list_id": list_id})


@login_required
@require_GET
def address_search(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *services.CALL_ROLES)
    hits = selectors.address_search(query=request.GET.get("address", ""))
    return _hits(request, hits, "address-hits")


@login_required
@require_GET
def category_search(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *services.CALL_ROLES)
    hits = selectors.categories_search(query=request.GET.get("category_query", ""))
    return _hits(request, hits, "category-hits")


def _category(value: str | None) -> Category | None:
    category_id = _int(value)
    if category_id is None:
        return None
    return Category.objects.filter(pk=category_id, is_active=True).first()


@login_required
@require_GET
def knowledge_search(request: HttpRequest) -> HttpResponse:
    """Valid knowledge items for the search box and the call's category (htmx)."""
    require_role(request.user, *services.CALL_ROLES)
    items = selectors.knowledge_search(
        query=request.GET.get("knowledge_query", ""),
        category=_category(request.GET.get("category")),
    )
    return render(request, "hotline/_knowledge_hits.html", {"items": items})


@login_required
@require_GET
def unit_proposal(request: HttpRequest) -> HttpResponse:
    """The dispatch select again, with the routing rules' unit for the category and place."""
    require_role(request.user, *services.CALL_ROLES)
    form = CallForm()
    proposed = selectors.proposed_unit(
        category=_category(request.GET.get("category")),
        lat=_float(request.GET.get("lat")),
        lon=_float(request.GET.get("lon")),
    )
    context = {
        "units": form.fields["unit"].queryset,  # type: ignore[attr-defined]
        "proposed": proposed,
        "chosen_id": proposed.pk if proposed else _int(request.GET.get("unit")),
    }
    return render(request, "hotline/_unit.html", context)


# ---------------------------------------------------------------- knowledge base


@login_required
@require_GET
def knowledge_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *services.KNOWLEDGE_ROLES)
    query, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    sort = request.GET.get("sort", "question")
    sort = sort if sort in selectors.KNOWLEDGE_SORTS else "question"
    items = selectors.knowledge_list(query=query, status=status, sort=sort)
    page = Paginator(items, KNOWLEDGE_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.status = selectors.knowledge_status(item)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "q": query,
        "status": status,
        "sort": sort,
        "statuses": selectors.KNOWLEDGE_STATUSES,
    }
    return render(request, "hotline/knowledge_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or change a knowledge item."""
    require_role(request.user, *services.KNOWLEDGE_ROLES)
    item = get_object_or_404(KnowledgeItem, pk=pk) if pk else None
    initial = model_to_dict(item) if item else None
    form = KnowledgeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.knowledge_item_save(
                actor=request.user,  # type: ignore[arg-type]
                data=form.knowledge(),
                item=item,
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved: %(q)s") % {"q": saved.question})
            return redirect("hotline:knowledge_list")
    return render(request, "hotline/knowledge_form.html", {"form": form, "item": item})
