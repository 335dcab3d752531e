from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from . import nav
from .scope import user_roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home (工作台): the features this user's roles open, grouped by section."""
    sections: dict[str, list[nav.NavItem]] = {}
    for item in nav.items_for(request.user):
        sections.setdefault(str(item.section), []).append(item)
    memberships = request.user.memberships.select_related(  # type: ignore[union-attr]
        "unit", "region_scope", "center"
    )
    return render(
        request,
        "core/home.html",
        {"sections": sections, "memberships": memberships, "roles": user_roles(request.user)},
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the REST API answers in its one JSON error format (an unmatched API URL never
    reaches DRF's handler); everything else gets the site's page."""
    if request.path.startswith("/api/"):
        error = {"code": "not_found", "message": str(_("Not found.")), "fields": {}}
        return JsonResponse({"error": error}, status=404)
    return defaults.page_not_found(request, exception)
