"""Helpers shared by the volunteer services: human-readable numbers, roles, the geofence."""

from __future__ import annotations

import math

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from wenming.core.errors import InvalidInput
from wenming.org.models import Region

from ..models import Center, Counter

STAFF_ROLES = ("center_staff", "admin")
EARTH_RADIUS_M = 6_371_008.8


def next_number(prefix: str, width: int) -> str:
    """The next `prefix` + zero-padded sequence; the counter row lock serialises callers."""
    counter, _ = Counter.objects.select_for_update().get_or_create(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:0{width}d}"


def actor_label(user: User | AnonymousUser | None) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name() or user.get_username()


def invalid(error: ValidationError) -> InvalidInput:
    """A validator's ValidationError as the domain error services raise."""
    return InvalidInput(" ".join(str(m) for m in error.messages))


def center_for_region(region: Region) -> Center | None:
    """The most local practice center serving a region: its own or its nearest ancestor's."""
    codes = [code for code in region.path.strip("/").split("/") if code]
    centers = list(Center.objects.filter(region__code__in=codes).select_related("region"))
    return max(centers, key=lambda c: len(c.region.path), default=None)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
