"""Who sees and acts on assessment tasks (data scope + role + unit), in one place.

Unit roles (handler, unit_lead) see their own unit's tasks; region roles see the tasks of units
based inside their region scope (a reviewer with the city's scope sees every unit's). A task the
user cannot see answers 404; one they see but may not act on answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from wenming.core.errors import NotFound, PermissionDenied
from wenming.org.models import Membership, Role

from .models import Task

UNIT_ROLES = {Role.HANDLER, Role.UNIT_LEAD}
REGION_ROLES = {Role.ADMIN, Role.REVIEWER, Role.LIAISON, Role.DISPATCHER}
EVIDENCE_ROLES = (Role.HANDLER, Role.UNIT_LEAD)
REVIEW_ROLES = (Role.REVIEWER,)
MANAGE_ROLES = (Role.ADMIN,)


def _memberships(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_wenming_assessment_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("region_scope"))
        user._wenming_assessment_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def _condition(m: Membership) -> Q | None:
    if m.role in UNIT_ROLES:
        return Q(unit_id=m.unit_id)
    if m.role in REGION_ROLES:
        return Q(unit__region__path__startswith=m.region_scope.path)
    return None


def task_filter(user: User | AnonymousUser, roles: Iterable[str] | None = None) -> Q | None:
    """A Q restricting tasks to the user's (None: everything, for a superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    wanted = set(roles) if roles is not None else None
    condition = Q(pk__in=[])
    for m in _memberships(user):
        part = _condition(m) if wanted is None or m.role in wanted else None
        if part is not None:
            condition |= part
    return condition


def tasks_visible(
    user: User | AnonymousUser, queryset: QuerySet[Task] | None = None
) -> QuerySet[Task]:
    queryset = queryset if queryset is not None else Task.objects.all()
    condition = task_filter(user)
    return queryset if condition is None else queryset.filter(condition)


def _covers(m: Membership, task: Task) -> bool:
    if m.role in UNIT_ROLES:
        return m.unit_id == task.unit_id
    return m.role in REGION_ROLES and task.unit.region.path.startswith(m.region_scope.path)


def authorize_task(user: User | AnonymousUser | None, task: Task, roles: Iterable[str]) -> None:
    """NotFound when the task is invisible to the user, PermissionDenied when no covering
    membership has one of `roles`."""
    if user is None or not user.is_authenticated:
        raise NotFound()
    if getattr(user, "is_superuser", False):
        return
    covering = [m for m in _memberships(user) if _covers(m, task)]
    if not covering:
        raise NotFound()
    if not any(m.role in set(roles) for m in covering):
        raise PermissionDenied()
