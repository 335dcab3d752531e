"""Reads of the audit log for its staff page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries newest first, narrowed by actor, action, object and date (inclusive)."""
    entries = AuditEntry.objects.all()
    f = filters
    if f.actor:
        entries = entries.filter(actor_name__iexact=f.actor.strip())
    if f.action:
        entries = entries.filter(action=f.action)
    if f.object_type:
        entries = entries.filter(object_type__icontains=f.object_type.strip())
    if f.object_id:
        entries = entries.filter(object_id=f.object_id.strip())
    if f.date_from:
        entries = entries.filter(created_at__gte=_start_of(f.date_from))
    if f.date_to:
        entries = entries.filter(created_at__lt=_start_of(f.date_to + timedelta(days=1)))
    return entries.order_by("-seq")


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
