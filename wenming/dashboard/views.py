"""The command dashboard (大屏): one page that fetches its data every 30 seconds."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wenming.accountability.selectors import region_get, regions_filter_choices

from . import selectors

REFRESH_SECONDS = 30


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    selectors.require_dashboard_role(request.user)
    region = region_get(request.user, request.GET.get("region") or None)
    context = {
        "region": region,
        "regions": regions_filter_choices(request.user),
        "base_layer": selectors.base_layer(region),
        "refresh_seconds": REFRESH_SECONDS,
        "tiles": settings.WENMING_MAP_TILES,
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_GET
@never_cache
def dashboard_data(request: HttpRequest) -> JsonResponse:
    """The dashboard's numbers as JSON (the page polls it)."""
    selectors.require_dashboard_role(request.user)
    region = region_get(request.user, request.GET.get("region") or None)
    return JsonResponse(selectors.dashboard_data(request.user, region))
