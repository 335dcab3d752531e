"""Duplicate candidates of a case: earlier cases of the same or a related category (the same
major class) within a radius and a time window, scored by text similarity and distance.

The query finds them through the place-cell index of the cases table (wenming.cases.places:
the cells around the point × the major class's categories × the window, the box checked on
the index entries), then scores the POOL most recent in Python: TF-IDF cosine over
character bigrams (robust to how Chinese is segmented, IDF from the candidate pool) and the
haversine distance. Merged and rejected cases never survive a merge, so they are no
candidates. See bench/triage.py for the latency.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from wenming.cases import places
from wenming.cases.models import Case, Category
from wenming.cases.states import State

from .models import TriageSettings

EARTH_RADIUS_M = places.EARTH_RADIUS_M
POOL = 100  # most recent rows scored; a real duplicate is rarely older than the 100th
# Fetched as tuples in the model's field order (Case.from_db builds the few proposed ones).
_POOL_NAMES = {"id", "code", "title", "description", "state", "lat", "lon", "category_id",
               "reported_at"}  # fmt: skip
POOL_FIELDS = tuple(f.attname for f in Case._meta.concrete_fields if f.attname in _POOL_NAMES)
_AT = {name: i for i, name in enumerate(POOL_FIELDS)}
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


def _pool(
    case: Case, major_id: int | None, knobs: TriageSettings
) -> QuerySet[Case, tuple[Any, ...]]:
    window = timedelta(days=knobs.duplicate_window_days)
    rows = Case.objects.filter(
        reported_at__gte=case.reported_at - window, reported_at__lte=case.reported_at
    ).exclude(Q(pk=case.pk) | Q(state__in=NO_DUPLICATE_STATES))
    # Not yet categorised reports (submitted without a category) may be the same problem.
    # Without a major class every category is named: the place index leads with them.
    related = Category.objects.filter(**({} if major_id is None else {"parent_id": major_id}))
    rows = places.of_categories(rows, related.values_list("pk", flat=True), uncategorised=True)
    if case.lat is not None and case.lon is not None:
        rows = places.near(rows, lat=case.lat, lon=case.lon, radius_m=knobs.duplicate_radius_m)
    else:  # no location: the same grid or region is the neighbourhood
        rows = rows.filter(region=case.region)
    return rows.order_by("-reported_at").values_list(*POOL_FIELDS)[:POOL]


def bigrams(title: str, description: str) -> list[str]:
    """The character bigrams of a text, without spaces, digits and punctuation."""
    text = _NOISE.sub("", f"{title}{description}")
    return list(map(operator.add, text, text[1:]))


def similarities(texts: Sequence[list[str]]) -> np.ndarray:
    """TF-IDF cosine of the first text's bigrams with each other's (sublinear tf, smoothed
    IDF over these texts), in a few numpy passes over all the bigrams at once."""
    n = len(texts)
    flat = np.array([gram for grams in texts for gram in grams], dtype="<U2")
    if not flat.size:
        return np.zeros(n - 1)
    vocabulary, gram = np.unique(flat, return_inverse=True)
    doc = np.repeat(np.arange(n), [len(grams) for grams in texts])
    pairs, tf = np.unique(doc * len(vocabulary) + gram, return_counts=True)  # (doc, gram)
    pair_doc, pair_gram = np.divmod(pairs, len(vocabulary))
    idf = np.log((1 + n) / (1 + np.bincount(pair_gram, minlength=len(vocabulary)))) + 1
    weight = (1 + np.log(tf)) * idf[pair_gram]
    norms = np.sqrt(np.bincount(pair_doc, weights=weight * weight, minlength=n))
    norms[norms == 0] = 1.0
    query = np.zeros(len(vocabulary))
    query[pair_gram[pair_doc == 0]] = weight[pair_doc == 0]
    dots = np.bincount(pair_doc, weights=weight * query[pair_gram], minlength=n)
    return np.asarray(dots[1:] / (norms[1:] * norms[0]))


def duplicate_candidates(
    *, case: Case, major_id: int | None = None, limit: int = 5
) -> list[Candidate]:
    """Best-scoring earlier cases that may report the same problem, best first. `major_id`
    is the major class to search (default: the case's category's; None searches all)."""
    knobs = TriageSettings.current()
    if major_id is None and case.category_id and case.category:
        major_id = case.category.parent_id
    pool = _pool(case, major_id, knobs)
    rows = list(pool)
    if not rows:
        return []
    texts = [bigrams(case.title, case.description)]
    texts += [bigrams(row[_AT["title"]], row[_AT["description"]]) for row in rows]
    scored = [
        (*_score(case, row, float(s), knobs), row)
        for row, s in zip(rows, similarities(texts), strict=True)
    ]
    kept = [x for x in scored if x[0] >= knobs.duplicate_min_score]
    kept = sorted(kept, key=lambda x: -x[0])[:limit]  # stable: the more recent first on ties
    return [
        Candidate(Case.from_db(pool.db, POOL_FIELDS, row), score, similarity, distance)
        for score, similarity, distance, row in kept
    ]


def _score(
    case: Case, row: tuple[Any, ...], similarity: float, knobs: TriageSettings
) -> tuple[float, float, float | None]:
    """(score, text similarity, distance in metres or None) of a pool row."""
    lat, lon = row[_AT["lat"]], row[_AT["lon"]]
    distance = None
    proximity = 0.5  # same region, no coordinates to compare
    if None not in (case.lat, case.lon, lat, lon):
        distance = haversine_m(case.lat, case.lon, lat, lon)  # type: ignore[arg-type]
        if distance > knobs.duplicate_radius_m:
            return 0.0, round(similarity, 4), distance  # the box's corners
        proximity = 1 - distance / max(knobs.duplicate_radius_m, 1)
    same = bool(case.category_id) and case.category_id == row[_AT["category_id"]]
    score = TEXT_WEIGHT * similarity + DISTANCE_WEIGHT * proximity + SAME_CATEGORY_BONUS * same
    return round(score, 4), round(similarity, 4), distance
