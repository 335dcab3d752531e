"""Honors pages: the public good-people list and nomination; the staff review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import InvalidInput

from . import selectors, services
from .forms import NominationForm, ReviewForm
from .models import HonorCategory, Honoree, HonoreeStatus, HonorLevel


def honor_list(request: HttpRequest) -> HttpResponse:
    """The public list (好人榜), searchable and filterable by category, level and year."""
    query = request.GET.get("q", "").strip()
    category, level = request.GET.get("category", ""), request.GET.get("level", "")
    year = request.GET.get("year", "")
    rows = selectors.honorees_public(
        query=query,
        category=category if category in HonorCategory.values else "",
        level=level if level in HonorLevel.values else "",
        year=int(year) if year.isdigit() else None,
    )
    return render(
        request,
        "honors/portal/list.html",
        {
            "page": Paginator(rows, 12).get_page(request.GET.get("page")),
            "q": query,
            "category": category,
            "level": level,
            "categories": HonorCategory.choices,
            "levels": HonorLevel.choices,
        },
    )


def honor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    honoree = get_object_or_404(selectors.honorees_public(), pk=pk)
    return render(request, "honors/portal/detail.html", {"honoree": honoree})


def nominate(request: HttpRequest) -> HttpResponse:
    """Anyone nominates a good person, with the story and photos."""
    form = NominationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.honoree_nominate(user=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you! The nomination will be reviewed."))
            return redirect("honors_portal:list")
    return render(request, "honors/portal/nominate.html", {"form": form})


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.honorees_for_staff(request.user)
    status, query = (
        request.GET.get("status", HonoreeStatus.NOMINATED),
        request.GET.get("q", "").strip(),
    )
    if status in HonoreeStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(name__contains=query) | Q(title__contains=query))
    sort = request.GET.get("sort", "-created_at")
    rows = rows.order_by(
        sort if sort.lstrip("-") in {"created_at", "name", "year"} else "-created_at", "-pk"
    )
    return render(
        request,
        "honors/staff/list.html",
        {
            "page": Paginator(rows, 30).get_page(request.GET.get("page")),
            "statuses": HonoreeStatus.choices,
            "status": status,
            "q": query,
            "sort": sort,
        },
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    honoree: Honoree = selectors.honoree_for_staff(request.user, pk)
    return render(request, "honors/staff/detail.html", {"honoree": honoree, "form": ReviewForm()})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    honoree = selectors.honoree_for_staff(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if request.POST.get("decision") == "approve":
        services.honoree_approve(
            honoree=honoree,
            actor=request.user,  # type: ignore[arg-type]
            level=data.get("level", ""),
            note=data.get("note", ""),
        )
        messages.success(request, _("%(name)s is on the list.") % {"name": honoree.name})
    else:
        services.honoree_reject(honoree=honoree, actor=request.user, note=data.get("note", ""))  # type: ignore[arg-type]
        messages.success(request, _("The nomination was turned down."))
    return redirect("honors:review_detail", pk=pk)
