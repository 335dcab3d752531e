"""The liaison leader's view (四级包联): the regions and sites in their packages, with open
problems, scores and overdue items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wenming.org.models import Liaison

from . import selectors
from .access import LIAISON_ROLES, require_role
from .views import paged, sorted_by


@login_required
def liaison_home(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *LIAISON_ROLES)
    packages = list(Liaison.objects.filter(leader_id=request.user.pk).select_related("region"))
    regions = [p.region for p in packages]
    sites = selectors.liaison_sites(user=request.user, regions=regions)
    if request.GET.get("problems") == "1":
        sites = sites.filter(open_findings__gt=0)  # type: ignore[misc]
    sites, sort = sorted_by(
        request,
        sites,
        {"code": "code", "score": "latest_score", "findings": "open_findings", "name": "name"},
        "-findings",
    )
    return render(
        request,
        "inspections/liaison.html",
        {
            "packages": [(p, selectors.liaison_summary(region=p.region)) for p in packages],
            "page": paged(request, sites),
            "sort": sort,
            "problems": request.GET.get("problems") == "1",
        },
    )
