from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
