"""Reads of the public portal. Nothing here is scoped to a user: every query returns only
what the public may see (public cases past registration, approved public messages), and
personal data is masked by the templates' callers (see `public_case_row`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from wenming.cases import places
from wenming.cases.models import AttachmentKind, Case, CaseAttachment, Category
from wenming.cases.states import OPEN_STATES, State
from wenming.core.masking import redact_text
from wenming.org.models import Region, RegionLevel

from .models import BoardMessage, MessageStatus

# Public lists show cases the centre has accepted: not unvetted submissions, not refusals.
LISTED_STATES = (*OPEN_STATES, State.CLOSED)
EARTH_RADIUS_M = 6_371_000.0


def public_categories() -> dict[Category, list[Category]]:
    """Minor classes a citizen may choose, grouped under their major class (2 queries)."""
    minors = (
        Category.objects.filter(is_public=True, is_active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__kind", "parent__code", "code")
    )
    groups: dict[Category, list[Category]] = {}
    for minor in minors:
        assert minor.parent is not None
        groups.setdefault(minor.parent, []).append(minor)
    return groups


def public_category(category_id: object) -> Category | None:
    try:
        return Category.objects.get(
            pk=int(str(category_id)), is_public=True, is_active=True, parent__isnull=False
        )
    except (Category.DoesNotExist, ValueError, TypeError):
        return None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Nearby:
    case: Case
    distance: float


def nearby_open_cases(
    *, category: Category, lat: float, lon: float, radius_m: float = 300, days: int = 30
) -> list[Nearby]:
    """Open public cases of the category within `radius_m` reported in the last `days`,
    nearest first: "is it one of these?" before a citizen files a duplicate."""
    candidates = Case.objects.filter(
        is_public=True,
        state__in=(State.SUBMITTED, *OPEN_STATES),
        reported_at__gte=timezone.now() - timedelta(days=days),
    ).select_related("category")
    candidates = places.of_categories(candidates, [category.pk])
    candidates = places.near(candidates, lat=lat, lon=lon, radius_m=radius_m)
    found = [Nearby(c, distance_m(lat, lon, c.lat, c.lon)) for c in candidates[:200]]  # type: ignore[arg-type]
    return sorted((n for n in found if n.distance <= radius_m), key=lambda n: n.distance)[:5]


def case_for_tracking(code: str) -> Case | None:
    """The case with this code (any channel), with what the track page shows."""
    return (
        Case.objects.select_related("category", "region", "merged_into")
        .filter(code=code.strip().upper())
        .first()
    )


def phone_digits_match(phone: str, digits: str) -> bool:
    """The last four digits of the phone on record, compared; never true without a phone."""
    tail = "".join(ch for ch in phone or "" if ch.isdigit())[-4:]
    given = (digits or "").strip()
    return len(tail) == 4 and len(given) == 4 and tail == given


def case_photos(case: Case) -> dict[str, list[CaseAttachment]]:
    """Before and after photos of a case (staff evidence photos are not public)."""
    photos: dict[str, list[CaseAttachment]] = {AttachmentKind.BEFORE: [], AttachmentKind.AFTER: []}
    for photo in case.attachments.filter(kind__in=list(photos)).order_by("created_at", "id"):
        photos[photo.kind].append(photo)
    return photos


SORTS = {"new": "-reported_at", "old": "reported_at"}


def public_cases(
    *, category: int | None = None, closed: bool | None = None, sort: str = "new"
) -> QuerySet[Case]:
    """Recent public cases for the public list and map, with their first photo prefetched."""
    cases = Case.objects.filter(is_public=True, state__in=LISTED_STATES)
    if category:
        cases = cases.filter(Q(category__parent_id=category) | Q(category_id=category))
    if closed is not None:
        cases = cases.filter(state=State.CLOSED) if closed else cases.exclude(state=State.CLOSED)
    # Photos still being re-encoded are not shown in lists (file empty until then).
    before = (
        CaseAttachment.objects.filter(kind=AttachmentKind.BEFORE).exclude(file="").order_by("id")
    )
    return (
        cases.select_related("category", "region")
        .prefetch_related(Prefetch("attachments", queryset=before, to_attr="before_photos"))
        .order_by(SORTS.get(sort, "-reported_at"), "-id")
    )


def public_case_row(case: Case) -> dict[str, object]:
    """What a public list or map may show of a case: no names, phones or exact spots."""
    return {
        "code": case.code,
        "title": redact_text(case.title),
        "description": redact_text(case.description),
        "category": case.category.name if case.category else "",
        "region": case.region.name if case.region else "",
        "state": case.get_state_display(),
        "closed": case.state == State.CLOSED,
        "reported_at": case.reported_at,
        # ~100 m: enough for the map, not a doorstep.
        "lat": round(case.lat, 3) if case.lat is not None else None,
        "lon": round(case.lon, 3) if case.lon is not None else None,
        "thumb": next(iter(getattr(case, "before_photos", [])), None),
    }


def city_boundaries() -> dict[str, object]:
    """City, district and street boundaries as GeoJSON: the base layer when there are no
    tiles, so a citizen can still place a pin."""
    regions = Region.objects.filter(
        level__in=[RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET],
        boundary__isnull=False,
    ).only("code", "name", "level", "boundary")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.boundary,
                "properties": {"name": r.name, "main": r.level == RegionLevel.CITY},
            }
            for r in regions
        ],
    }


def board_public_messages() -> QuerySet[BoardMessage]:
    """Approved public messages, newest first, for the public board."""
    return BoardMessage.objects.filter(status=MessageStatus.APPROVED, is_public=True).order_by(
        "-created_at", "-id"
    )


def board_queue(
    *, status: str = "", query: str = "", newest: bool = False
) -> QuerySet[BoardMessage]:
    """Messages for moderators: waiting ones by default (held first, then oldest first, the
    order they should be handled in), or those of one status; `newest` sorts by time only."""
    messages = BoardMessage.objects.select_related("case", "moderated_by", "replied_by")
    if query:
        messages = messages.filter(Q(title__icontains=query) | Q(code=query.strip().upper()))
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    else:
        messages = messages.filter(status__in=[MessageStatus.HELD, MessageStatus.PENDING])
    if newest:
        return messages.order_by("-created_at", "-id")
    # "held" sorts before "pending": flagged messages first.
    return messages.order_by("status", "created_at", "id")


def board_message_by_code(code: str) -> BoardMessage | None:
    return BoardMessage.objects.filter(code=code.strip().upper()).select_related("case").first()
