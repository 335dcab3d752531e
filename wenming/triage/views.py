"""Staff pages of triage: suggestion models with production accuracy, and hotspots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenming.cases.views.common import page_of, require_role
from wenming.core.scope import has_role
from wenming.org.models import Role

from . import selectors, services
from .forms import HotspotFilterForm, default_period
from .hotspots import hotspots

R = Role
MODEL_ROLES = (R.ADMIN, R.DISPATCHER)
HOTSPOT_ROLES = (R.DISPATCHER, R.OPERATOR, R.ADMIN, R.LIAISON, R.INSPECTOR, R.UNIT_LEAD)
HOTSPOTS_PER_PAGE = 10


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Model versions (the active one's evaluation) and accuracy in production by week."""
    require_role(request.user, *MODEL_ROLES)
    models = page_of(request, selectors.models_list(), size=10)
    active = selectors.models_list().filter(is_active=True).first()
    context = {
        "page": models,
        "active": active,
        "weeks": selectors.accuracy_by_week(weeks=12),
        "is_admin": has_role(request.user, R.ADMIN),
    }
    return render(request, "triage/overview.html", context)


@login_required
@require_POST
def activate(request: HttpRequest, model_id: int) -> HttpResponse:
    services.suggestion_model_activate(model_id=model_id, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("That model version is active now."))
    return HttpResponseRedirect(reverse("triage:overview"))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


@login_required
@require_GET
def hotspot_list(request: HttpRequest) -> HttpResponse:
    """Hotspots in the user's scope over a period, ranked, each with its member cases."""
    require_role(request.user, *HOTSPOT_ROLES)
    form = HotspotFilterForm(request.GET or None)
    start, end = default_period()
    sort, major = "count", None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        sort, major = form.cleaned_data["sort"], form.cleaned_data["major"]
    found = (
        hotspots(
            start=_bounds(start, end)[0],
            end=_bounds(start, end)[1],
            limit=None,
            sort=sort,
            user=request.user,
            major_id=major.pk if major else None,
        )
        if not form.is_bound or form.is_valid()
        else []
    )
    page = Paginator(found, HOTSPOTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "start": start, "end": end, "sort": sort}
    return render(request, "triage/hotspots.html", context)
