"""Small helpers shared by the staff and portal views: paging, sorting, the current volunteer."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..models import Volunteer

PAGE_SIZE = 30


def paged(request: HttpRequest, rows: QuerySet | list, size: int = PAGE_SIZE) -> Page:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def sorted_by(
    request: HttpRequest, rows: QuerySet, allowed: dict[str, str], default: str
) -> tuple[QuerySet, str]:
    """Order rows by the `sort` parameter when it is one of `allowed` (name → field)."""
    key = request.GET.get("sort", default)
    if key.lstrip("-") not in allowed:
        key = default
    field = allowed[key.lstrip("-")]
    return rows.order_by(f"-{field}" if key.startswith("-") else field, "-pk"), key


def current_volunteer(request: HttpRequest) -> Volunteer:
    """The signed-in user's volunteer profile (404 for users who have none)."""
    volunteer = (
        Volunteer.objects.select_related("center", "home_region")
        .filter(user_id=request.user.pk)
        .first()
        if request.user.is_authenticated
        else None
    )
    if volunteer is None:
        raise Http404
    return volunteer


def float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
