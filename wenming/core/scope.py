"""Data scope (数据权限): one helper restricts any region-bound queryset to what a user may see.

A user's scope is the union of the region subtrees of their memberships (optionally only the
memberships with given roles). Superusers see everything. Objects outside the scope answer
404 exactly like missing ones (`get_in_scope_or_404`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

ALL = None  # marker: no restriction


def user_roles(user: User | AnonymousUser) -> set[str]:
    """Roles the user holds through any membership (cached on the user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_wenming_roles", None)
    if cached is None:
        cached = set(user.memberships.values_list("role", flat=True))
        user._wenming_roles = cached  # type: ignore[union-attr,attr-defined]
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(user_roles(user) & set(roles))


def scope_paths(user: User | AnonymousUser, roles: Iterable[str] | None = None) -> list[str] | None:
    """Region path prefixes the user may see, or ALL (None) for a superuser."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return ALL
    memberships = user.memberships.all()
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    paths = sorted(set(memberships.values_list("region_scope__path", flat=True)))
    # Drop paths already covered by a broader one; fewer OR terms, same rows.
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def scope_filter(
    user: User | AnonymousUser,
    queryset: QuerySet[M],
    *,
    region_field: str = "region",
    roles: Iterable[str] | None = None,
) -> QuerySet[M]:
    """Restrict a queryset of region-bound rows to the user's scope.

    `region_field` is the lookup path from the model to its Region ("region", "site__region",
    or "" when the queryset is of regions themselves).
    """
    paths = scope_paths(user, roles)
    if paths is ALL:
        return queryset
    if not paths:
        return queryset.none()
    lookup = f"{region_field}__path__startswith" if region_field else "path__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return queryset.filter(condition)


def get_in_scope_or_404(
    user: User | AnonymousUser,
    queryset: QuerySet[M],
    *,
    region_field: str = "region",
    roles: Iterable[str] | None = None,
    **lookup: object,
) -> M:
    """Fetch and authorise in one step: out of scope and missing both raise Http404."""
    try:
        return scope_filter(user, queryset, region_field=region_field, roles=roles).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
