"""Reads of the hotline console: the caller's earlier cases (in the operator's scope), address,
category and knowledge-base search, and the knowledge base's staff list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from wenming.cases.access import cases_visible
from wenming.cases.models import Case, Category
from wenming.cases.routing import unit_for
from wenming.cases.services import default_region
from wenming.core.personal import phone_hash
from wenming.org.models import Region, RegionLevel, Unit
from wenming.org.selectors import region_at

from .models import KnowledgeItem, Place

CALLER_CASES_LIMIT = 8
HITS_LIMIT = 8
ADDRESS_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


def caller_cases(user: User | AnonymousUser, *, phone: str) -> list[Case]:
    """The latest cases this (normalised) number reported, among those the user may see."""
    cases = cases_visible(user, Case.objects.select_related("category"))
    mine = cases.filter(reporter_phone_hash=phone_hash(phone))
    return list(mine.order_by("-reported_at", "-id")[:CALLER_CASES_LIMIT])


def caller_case_count(user: User | AnonymousUser, *, phone: str) -> int:
    return cases_visible(user).filter(reporter_phone_hash=phone_hash(phone)).count()


@dataclass(frozen=True)
class Hit:
    """One typeahead row: what it shows and which form fields picking it fills."""

    label: str
    detail: str
    fill: dict[str, object]
    kind: str = ""

    @property
    def fill_json(self) -> str:
        return json.dumps(self.fill, ensure_ascii=False)


def _terms(query: str) -> list[str]:
    return [t for t in query.replace(",", " ").replace("，", " ").split() if t][:4]


def _all_terms(fields: tuple[str, ...], terms: list[str]) -> Q:
    """Every term appears in one of the fields (terms may match different fields)."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _region_paths(regions: list[Region]) -> dict[int, str]:
    """ "青山区 › 青山路街道 › 青东社区" for each region, from the district down (one query)."""
    codes = {c for r in regions for c in r.path.strip("/").split("/")}
    names = {
        r.code: r.name
        for r in Region.objects.filter(code__in=codes, level__in=[*ADDRESS_LEVELS, "grid"])
    }
    return {
        r.pk: " › ".join(names[c] for c in r.path.strip("/").split("/") if c in names)
        for r in regions
    }


def places_search(*, query: str, limit: int = HITS_LIMIT) -> list[Hit]:
    """Active known places whose name or other names hold every term."""
    terms = _terms(query)
    if not terms:
        return []
    places = list(
        Place.objects.filter(_all_terms(("name", "aliases"), terms), is_active=True)
        .select_related("region")
        .order_by("name")[:limit]
    )
    paths = _region_paths([p.region for p in places if p.region])
    return [
        Hit(
            label=p.name,
            detail=paths.get(p.region_id or 0, ""),
            fill={"address": p.name, "lat": p.lat, "lon": p.lon, "located": p.name},
            kind="place",
        )
        for p in places
    ]


def regions_search(*, query: str, limit: int = HITS_LIMIT) -> list[Hit]:
    """Districts, streets and communities whose name holds every term; picking one locates the
    case at the region's centroid."""
    terms = _terms(query)
    if not terms:
        return []
    regions = list(
        Region.objects.filter(
            _all_terms(("name",), terms),
            level__in=ADDRESS_LEVELS,
            centroid_lat__isnull=False,
        ).order_by("path")[:limit]
    )
    paths = _region_paths(regions)
    return [
        Hit(
            label=paths[r.pk],
            detail=r.get_level_display(),
            fill={
                "address": paths[r.pk].replace(" › ", ""),
                "lat": r.centroid_lat,
                "lon": r.centroid_lon,
                "located": paths[r.pk],
            },
            kind="region",
        )
        for r in regions
    ]


def address_search(*, query: str) -> list[Hit]:
    """Known places first (they are precise), then regions, at most HITS_LIMIT in all."""
    places = places_search(query=query)
    return places + regions_search(query=query, limit=HITS_LIMIT - len(places))


def categories_search(*, query: str, limit: int = HITS_LIMIT) -> list[Hit]:
    """Active minor classes, public or not, matching code, name, keywords or major class;
    names that start with the query first."""
    terms = _terms(query)
    if not terms:
        return []
    minors = (
        Category.objects.filter(
            _all_terms(("code", "name", "keywords", "parent__name"), terms),
            is_active=True,
            parent__isnull=False,
        )
        .select_related("parent")
        .annotate(
            rank=When_(
                When(name__istartswith=terms[0], then=Value(0)),
                When(name__icontains=terms[0], then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "kind", "code")[:limit]
    )
    return [
        Hit(
            label=f"{c.code} {c.name}",
            detail=f"{c.parent.name if c.parent else ''} · {c.get_kind_display()}",
            fill={
                "category": c.pk,
                "category_query": f"{c.code} {c.name}",
                "nature": c.default_nature,
            },
            kind="category" if c.is_public else "internal",
        )
        for c in minors
    ]


def _valid_on(day: date) -> Q:
    return (
        Q(is_active=True)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def knowledge_valid(*, day: date | None = None) -> QuerySet[KnowledgeItem]:
    """Items an operator may answer from today: active and inside their validity period."""
    return KnowledgeItem.objects.filter(_valid_on(day or timezone.localdate()))


def knowledge_search(
    *, query: str, category: Category | None = None, limit: int = HITS_LIMIT
) -> list[KnowledgeItem]:
    """Valid items matching every term (question, answer, keywords or category name); the
    items of the call's category (or its major class) first. With no query, that category's
    items alone."""
    terms = _terms(query)
    items = knowledge_valid().select_related("category")
    if terms:
        fields = ("question", "answer", "keywords", "category__name")
        items = items.filter(_all_terms(fields, terms))
    elif category is None:
        return []
    family = [i for i in (category.pk, category.parent_id) if i] if category else []
    if not terms:
        items = items.filter(category_id__in=family)
    rank = When_(
        When(category_id__in=family, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(items.annotate(rank=rank).order_by("rank", "question")[:limit])


def knowledge_offered(item_id: object) -> KnowledgeItem | None:
    """The item with this id when it may be offered today, else None."""
    try:
        return knowledge_valid().get(pk=int(str(item_id)))
    except (KnowledgeItem.DoesNotExist, ValueError, TypeError):
        return None


KNOWLEDGE_SORTS = {
    "question": "question",
    "-question": "-question",
    "until": "valid_until",
    "-until": "-valid_until",
    "updated": "updated_at",
    "-updated": "-updated_at",
}
KNOWLEDGE_STATUSES = ("valid", "upcoming", "expired", "inactive")


def knowledge_list(
    *, query: str = "", status: str = "", sort: str = "question"
) -> QuerySet[KnowledgeItem]:
    """The staff list of the knowledge base, filtered by text and validity status."""
    today = timezone.localdate()
    items = KnowledgeItem.objects.select_related("category", "updated_by")
    terms = _terms(query)
    if terms:
        items = items.filter(
            _all_terms(("question", "answer", "keywords", "category__name"), terms)
        )
    by_status = {
        "valid": _valid_on(today),
        "upcoming": Q(is_active=True, valid_from__gt=today),
        "expired": Q(is_active=True, valid_until__lt=today),
        "inactive": Q(is_active=False),
    }
    if status in by_status:
        items = items.filter(by_status[status])
    return items.order_by(KNOWLEDGE_SORTS.get(sort, "question"), "pk")


def knowledge_status(item: KnowledgeItem, *, day: date | None = None) -> str:
    """valid / upcoming / expired / inactive, for the list's badges."""
    day = day or timezone.localdate()
    if not item.is_active:
        return "inactive"
    if item.valid_from and item.valid_from > day:
        return "upcoming"
    if item.valid_until and item.valid_until < day:
        return "expired"
    return "valid"


def proposed_unit(
    *, category: Category | None, lat: float | None, lon: float | None
) -> Unit | None:
    """The unit the routing rules propose for a call: the location's grid (the city when the
    call has none), the call's category (wenming.cases.routing.unit_for)."""
    if category is None:
        return None
    located = region_at(lat=lat, lon=lon) if lat is not None and lon is not None else None
    return unit_for(category=category, region=located or default_region())
