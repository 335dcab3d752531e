"""Duplicate candidates of a case: earlier cases of the same or a related category (the same
major class) within a radius and a time window, scored by text similarity and distance.

The query uses what the cases table already indexes: `reported_at` (the window) and
(category, state) — then a bounding box on lat/lon, and the remaining few hundred rows are
scored in Python: TF-IDF cosine over character bigrams (robust to how Chinese is segmented,
IDF from the candidate pool) and the haversine distance. Merged and rejected cases never
survive a merge, so they are no candidates. See bench/triage.py for the latency.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from wenming.cases.models import Case, Category
from wenming.cases.states import State

from .models import TriageSettings

EARTH_RADIUS_M = 6_371_000.0
POOL = 100  # most recent rows scored; a real duplicate is rarely older than the 100th
POOL_FIELDS = ("id", "code", "title", "description", "state", "lat", "lon", "category_id",
               "reported_at")  # fmt: skip
_NOISE = re.compile(r"[\s\d\W_]+")
TEXT_WEIGHT, DISTANCE_WEIGHT, SAME_CATEGORY_BONUS = 0.6, 0.3, 0.1
NO_DUPLICATE_STATES = (State.MERGED, State.REJECTED)


@dataclass(frozen=True)
class Candidate:
    case: Case
    score: float
    text_similarity: float
    distance_m: float | None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a square around the point."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _pool(case: Case, major_id: int | None, knobs: TriageSettings) -> QuerySet[Case]:
    window = timedelta(days=knobs.duplicate_window_days)
    rows = Case.objects.filter(
        reported_at__gte=case.reported_at - window, reported_at__lte=case.reported_at
    ).exclude(Q(pk=case.pk) | Q(state__in=NO_DUPLICATE_STATES))
    if major_id is not None:
        # Not yet categorised reports (submitted without a category) may be the same problem.
        related = Category.objects.filter(parent_id=major_id)
        rows = rows.filter(Q(category__in=related) | Q(category__isnull=True))
    if case.lat is not None and case.lon is not None:
        lat0, lat1, lon0, lon1 = bounding_box(case.lat, case.lon, knobs.duplicate_radius_m)
        rows = rows.filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1))
    else:  # no location: the same grid or region is the neighbourhood
        rows = rows.filter(region=case.region)
    return rows.only(*POOL_FIELDS).order_by("-reported_at")[:POOL]


def _bigrams(case: Case) -> Counter[str]:
    text = _NOISE.sub("", f"{case.title}{case.description}")
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _similarities(case: Case, others: list[Case]) -> list[float]:
    """TF-IDF cosine over character bigrams, the IDF taken over the pool (a few hundred short
    texts: plain Python is faster here than building a scikit-learn matrix)."""
    bags = [_bigrams(c) for c in [case, *others]]
    df = Counter(gram for bag in bags for gram in bag)
    idf = {gram: math.log((1 + len(bags)) / (1 + n)) + 1 for gram, n in df.items()}
    vectors = [{g: (1 + math.log(n)) * idf[g] for g, n in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    query, query_norm = vectors[0], norms[0]
    return [
        sum(w * query.get(g, 0.0) for g, w in vec.items()) / (norm * query_norm)
        for vec, norm in zip(vectors[1:], norms[1:], strict=True)
    ]


def duplicate_candidates(
    *, case: Case, major_id: int | None = None, limit: int = 5
) -> list[Candidate]:
    """Best-scoring earlier cases that may report the same problem, best first. `major_id`
    is the major class to search (default: the case's category's; None searches all)."""
    knobs = TriageSettings.current()
    if major_id is None and case.category_id and case.category:
        major_id = case.category.parent_id
    others = list(_pool(case, major_id, knobs))
    if not others:
        return []
    similarities = _similarities(case, others)
    found = [
        _candidate(case, other, s, knobs) for other, s in zip(others, similarities, strict=True)
    ]
    found = [c for c in found if c.score >= knobs.duplicate_min_score]
    return sorted(found, key=lambda c: -c.score)[:limit]


def _candidate(case: Case, other: Case, similarity: float, knobs: TriageSettings) -> Candidate:
    distance = None
    proximity = 0.5  # same region, no coordinates to compare
    if None not in (case.lat, case.lon, other.lat, other.lon):
        distance = haversine_m(case.lat, case.lon, other.lat, other.lon)  # type: ignore[arg-type]
        if distance > knobs.duplicate_radius_m:
            return Candidate(other, 0.0, similarity, distance)  # the box's corners
        proximity = 1 - distance / max(knobs.duplicate_radius_m, 1)
    same = bool(case.category_id) and case.category_id == other.category_id
    score = TEXT_WEIGHT * similarity + DISTANCE_WEIGHT * proximity + SAME_CATEGORY_BONUS * same
    return Candidate(other, round(score, 4), round(similarity, 4), distance)
