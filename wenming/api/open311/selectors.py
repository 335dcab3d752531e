"""Reads of the Open311 endpoint. Only public cases under public (or no) categories, and only
public fields: no reporter name, phone or email ever leaves; phone numbers and plates written
into a description are masked.

Service codes are `<kind>-<code>` of a minor class (e.g. `event-0501`): stable across
databases and exports (ids are not), readable, and unique by the catalogue's (kind, code)
constraint."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wenming.api.models import Open311ApiKey, ServiceAttribute
from wenming.cases.models import Case, CaseAttachment, Category, Visibility
from wenming.cases.states import TERMINAL_STATES, State
from wenming.core.masking import redact_text


def service_code(category: Category | None) -> str | None:
    return f"{category.kind}-{category.code}" if category else None


def services() -> QuerySet[Category]:
    """The services: active public minor classes, with `has_attributes` for `metadata`."""
    attributes = ServiceAttribute.objects.filter(category=OuterRef("pk"))
    return (
        Category.objects.filter(is_active=True, is_public=True, parent__isnull=False)
        .select_related("parent")
        .annotate(has_attributes=Exists(attributes))
        .order_by("kind", "code")
    )


def service_get(code: str) -> Category | None:
    """The service with this code, or None (unknown, inactive or not public)."""
    kind, _sep, number = code.partition("-")
    return services().filter(kind=kind, code=number).first()


def services_changeset() -> str:
    """When the service list or a definition last changed (discovery's `changeset`)."""
    latest = Category.objects.aggregate(latest=Max("updated_at"))["latest"]
    count = ServiceAttribute.objects.count()
    stamp = timezone.localtime(latest) if latest else timezone.localtime()
    return f"{stamp:%Y-%m-%d %H:%M}" + (f" ({count})" if count else "")


def api_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_check(raw: str) -> Open311ApiKey | None:
    """The active key matching `raw`, or None."""
    if not raw:
        return None
    return Open311ApiKey.objects.filter(key_hash=api_key_hash(raw), is_active=True).first()


def public_requests() -> QuerySet[Case]:
    """Cases Open311 may show, with what the output needs (no N+1)."""
    # Photos the intake job has not re-encoded yet have no public file.
    photos = (
        CaseAttachment.objects.filter(event__visibility=Visibility.PUBLIC)
        .exclude(file="")
        .order_by("created_at", "id")
    )
    return (
        Case.objects.filter(is_public=True)
        .filter(Q(category__isnull=True) | Q(category__is_public=True))
        .select_related("category", "unit", "open311_submission")
        .prefetch_related(Prefetch("attachments", queryset=photos, to_attr="public_photos"))
        .order_by("-reported_at", "-id")
    )


def w3(value: datetime | None) -> str | None:
    """w3/ISO 8601 with the UTC offset, as the spec requires."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _media_url(case: Case, request: HttpRequest) -> str | None:
    photos = getattr(case, "public_photos", None)
    if photos:
        return request.build_absolute_uri(photos[0].file.url)
    submission = getattr(case, "open311_submission", None)
    return (submission.media_url or None) if submission else None


def request_payload(case: Case, request: HttpRequest) -> dict[str, object]:
    """One service request as GET requests shows it (spec field order)."""
    closed = case.state in TERMINAL_STATES
    return {
        "service_request_id": case.code,
        "status": "closed" if closed else "open",
        "status_notes": f"{case.state}: {State(case.state).label}",
        "service_name": case.category.name if case.category else None,
        "service_code": service_code(case.category),
        "description": redact_text(case.description),
        "agency_responsible": case.unit.name if case.unit else None,
        "service_notice": None,
        "requested_datetime": w3(case.reported_at),
        "updated_datetime": w3(case.closed_at if closed and case.closed_at else case.updated_at),
        "expected_datetime": w3(case.handle_deadline),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": _media_url(case, request),
    }
