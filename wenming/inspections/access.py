"""Who may do what with point sites, rounds and findings (one table), and the scoped fetches.

Everything here is region-bound: a site by its grid, a round by its area, a finding by its
site. Region scope comes from `wenming.core.scope`; out of scope answers 404 like missing.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from wenming.core.errors import NotFound, PermissionDenied
from wenming.core.scope import has_role, scope_filter
from wenming.org.models import Role

from .models import Assignment, InspectionRound, ItemResult, PointSite

R = Role
MANAGE_ROLES = (R.ADMIN, R.DISPATCHER)  # sites, checklists, rounds; they register findings
INSPECT_ROLES = (R.INSPECTOR,)
VIEW_ROLES = (R.ADMIN, R.DISPATCHER, R.INSPECTOR, R.LIAISON, R.REVIEWER)
LIAISON_ROLES = (R.LIAISON, R.ADMIN)


def require_role(user: User | AnonymousUser | None, *roles: str) -> None:
    """PermissionDenied (403) unless the user holds one of the roles."""
    if user is None or not has_role(user, *roles):
        raise PermissionDenied()


def sites_in_scope(
    user: User | AnonymousUser, roles: tuple[str, ...] = VIEW_ROLES
) -> QuerySet[PointSite]:
    return scope_filter(user, PointSite.objects.all(), roles=roles)


def rounds_in_scope(user: User | AnonymousUser) -> QuerySet[InspectionRound]:
    return scope_filter(user, InspectionRound.objects.all(), roles=MANAGE_ROLES)


def findings_in_scope(
    user: User | AnonymousUser, roles: tuple[str, ...] = VIEW_ROLES
) -> QuerySet[ItemResult]:
    return scope_filter(
        user,
        ItemResult.objects.filter(outcome="fail"),
        region_field="inspection__site__region",
        roles=roles,
    )


def assignment_for_inspector(user: User | AnonymousUser, assignment_id: int) -> Assignment:
    """The assignment when it is the user's own (as an inspector); NotFound otherwise — an
    inspector cannot see, let alone submit for, a site outside their round."""
    if not user.is_authenticated or not has_role(user, *INSPECT_ROLES):
        raise NotFound()
    found = (
        Assignment.objects.select_related("round", "site__site_type", "site__unit", "site__region")
        .filter(pk=assignment_id, inspector_id=user.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found
