"""Who may see and act on a case (data scope + role + unit), in one place.

Region roles (dispatcher, operator, admin, inspector, reviewer, liaison) see the cases whose
region lies in their membership's region subtree. Unit roles (handler, unit_lead) see the cases
of their unit inside their scope. An action needs a membership whose role is allowed for it
and which covers the case; a case the user cannot see at all answers 404 (NotFound), a case
they can see but may not act on answers 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from wenming.core.errors import NotFound, PermissionDenied
from wenming.core.scope import has_role
from wenming.org.models import Membership, Role
from wenming.org.selectors import in_region_subtree

from .models import Case

REGION_ROLES = {
    Role.ADMIN,
    Role.OPERATOR,
    Role.DISPATCHER,
    Role.INSPECTOR,
    Role.REVIEWER,
    Role.LIAISON,
}
UNIT_ROLES = {Role.HANDLER, Role.UNIT_LEAD}


def _memberships(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_wenming_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("region_scope"))
        user._wenming_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def _covers(membership: Membership, case: Case) -> bool:
    region_path = case.region.path if case.region else ""
    if not region_path.startswith(membership.region_scope.path):
        return False
    return membership.role not in UNIT_ROLES or membership.unit_id == case.unit_id


def visibility_filter(user: User | AnonymousUser, roles: Iterable[str] | None = None) -> Q | None:
    """A Q restricting cases to those the user may see (None: everything; superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    wanted = set(roles) if roles is not None else None
    condition = Q(pk__in=[])
    for m in _memberships(user):
        if wanted is not None and m.role not in wanted:
            continue
        if m.role in UNIT_ROLES:
            condition |= in_region_subtree(m.region_scope.path) & Q(unit_id=m.unit_id)
        elif m.role in REGION_ROLES:
            condition |= in_region_subtree(m.region_scope.path)
    return condition


def cases_visible(
    user: User | AnonymousUser, queryset: QuerySet[Case] | None = None
) -> QuerySet[Case]:
    queryset = queryset if queryset is not None else Case.objects.all()
    condition = visibility_filter(user)
    return queryset if condition is None else queryset.filter(condition)


def can_see(user: User | AnonymousUser, case: Case) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(_covers(m, case) for m in _memberships(user) if m.role in REGION_ROLES | UNIT_ROLES)


def can_act(user: User | AnonymousUser | None, case: Case, roles: Iterable[str]) -> bool:
    if user is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    allowed = set(roles)
    return any(m.role in allowed and _covers(m, case) for m in _memberships(user))


def authorize(user: User | AnonymousUser | None, case: Case, roles: Iterable[str]) -> None:
    """Raise NotFound when the case is invisible to the user, PermissionDenied when the user's
    roles do not allow the action; return quietly otherwise."""
    if user is None or not user.is_authenticated or not can_see(user, case):
        raise NotFound()
    if not can_act(user, case, roles):
        raise PermissionDenied()


# Roles that call reporters back and so may reveal a reporter's full phone (each reveal is
# audited); the case's own handler may too. Everyone else, and every list and export by
# default, sees the masked number.
PHONE_ROLES = (Role.DISPATCHER, Role.OPERATOR, Role.ADMIN)


def may_reveal_phone(user: User | AnonymousUser, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    return has_role(user, *PHONE_ROLES) or case.handler_id == user.pk
