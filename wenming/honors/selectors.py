"""Reads for honors: the public list (approved only) and the staff review queue (scoped)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from wenming.core.scope import get_in_scope_or_404, has_role, scope_filter

from .models import Honoree, HonoreeStatus

STAFF_ROLES = ("center_staff", "admin")


def honorees_public(
    *, query: str = "", category: str = "", level: str = "", year: int | None = None
) -> QuerySet[Honoree]:
    """Approved honorees, searchable by name, headline and story."""
    rows = Honoree.objects.filter(status=HonoreeStatus.APPROVED).select_related("region")
    if query:
        rows = rows.filter(
            Q(name__contains=query) | Q(title__contains=query) | Q(story__contains=query)
        )
    if category:
        rows = rows.filter(category=category)
    if level:
        rows = rows.filter(level=level)
    if year:
        rows = rows.filter(year=year)
    return rows.prefetch_related("photos")


def honorees_for_staff(user: User | AnonymousUser) -> QuerySet[Honoree]:
    """Nominations in the reviewer's region scope (center staff and admins; others 404)."""
    if not has_role(user, *STAFF_ROLES):
        raise Http404
    return scope_filter(user, Honoree.objects.all(), roles=STAFF_ROLES).select_related("region")


def honoree_for_staff(user: User | AnonymousUser, pk: int) -> Honoree:
    return get_in_scope_or_404(user, honorees_for_staff(user), pk=pk)
