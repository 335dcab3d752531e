"""Hotspots: clusters of cases by place and topic over a period.

Per major class (the topic), cases with coordinates are clustered with DBSCAN on lat/lon
(haversine metric, eps = the admin's hotspot radius, at least `hotspot_min_cases` cases);
cases without coordinates form a cluster per grid/community region when there are enough of
them. Each hotspot is ranked by its count, its growth against the previous period of the same
length (cases of the same major class within the cluster's reach then) and its support: its
reports plus the duplicates merged into them. Rejected and merged cases are not counted as
reports; cases without a category have no topic and are left out.

`hotspots(start=, end=, limit=)` returns plain dicts (JSON-ready apart from datetimes), for the
command-center dashboard and the staff list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet
from sklearn.cluster import DBSCAN

from wenming.cases.models import Case
from wenming.cases.states import State
from wenming.core.scope import scope_filter

from .duplicates import EARTH_RADIUS_M, haversine_m
from .models import TriageSettings
from .text import key_words

SORTS = ("count", "growth", "support")
FIELDS = ("id", "code", "title", "lat", "lon", "region_id", "region__name", "region__level",
          "category_id", "category__name", "category__parent_id", "category__parent__name",
          "category__parent__code", "reported_at", "address")  # fmt: skip


def _cases(start: datetime, end: datetime, user: User | AnonymousUser | None) -> QuerySet[Case]:
    rows = Case.objects.filter(
        reported_at__gte=start, reported_at__lt=end, category__parent__isnull=False
    ).exclude(state__in=[State.MERGED, State.REJECTED])
    return scope_filter(user, rows) if user is not None else rows


def _clusters(
    rows: list[dict[str, Any]], radius_m: float, min_cases: int
) -> list[list[dict[str, Any]]]:
    located = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
    groups: list[list[dict[str, Any]]] = []
    if len(located) >= min_cases:
        points = np.radians([[r["lat"], r["lon"]] for r in located])
        labels = DBSCAN(
            eps=radius_m / EARTH_RADIUS_M,
            min_samples=min_cases,
            metric="haversine",
            algorithm="ball_tree",
        ).fit_predict(points)
        by_label: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for label, row in zip(labels, located, strict=True):
            if label >= 0:
                by_label[int(label)].append(row)
        groups += by_label.values()
    by_region: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["lat"] is None and r["region__level"] in ("grid", "community"):
            by_region[r["region_id"]].append(r)
    groups += [g for g in by_region.values() if len(g) >= min_cases]
    return groups


def _reach(
    members: list[dict[str, Any]], radius_m: float
) -> tuple[float | None, float | None, float]:
    located = [m for m in members if m["lat"] is not None]
    if not located:
        return None, None, 0.0
    lat = float(np.mean([m["lat"] for m in located]))
    lon = float(np.mean([m["lon"] for m in located]))
    spread = max(haversine_m(lat, lon, m["lat"], m["lon"]) for m in located)
    return lat, lon, spread + radius_m


def _previous_count(hotspot: dict[str, Any], previous: list[dict[str, Any]]) -> int:
    if hotspot["lat"] is None:
        return sum(
            1 for p in previous if p["lat"] is None and p["region_id"] == hotspot["region_id"]
        )
    return sum(
        1
        for p in previous
        if p["lat"] is not None
        and haversine_m(hotspot["lat"], hotspot["lon"], p["lat"], p["lon"]) <= hotspot["reach_m"]
    )


def _topic(members: list[dict[str, Any]]) -> str:
    words: Counter[str] = Counter()
    for m in members:
        words.update(key_words(m["title"]))
    return " ".join(w for w, _ in words.most_common(3))


def _hotspot(
    major: tuple[int, str, str], members: list[dict[str, Any]], radius_m: float
) -> dict[str, Any]:
    lat, lon, reach = _reach(members, radius_m)
    members = sorted(members, key=lambda m: m["reported_at"], reverse=True)
    places = Counter(m["region__name"] for m in members if m["region__name"])
    return {
        "major_class": {"id": major[0], "code": major[1], "name": major[2]},
        "categories": [
            name for name, _ in Counter(m["category__name"] for m in members).most_common()
        ],
        "topic": _topic(members),
        "place": places.most_common(1)[0][0] if places else "",
        "address": next((m["address"] for m in members if m["address"]), ""),
        "lat": lat,
        "lon": lon,
        "reach_m": round(reach),
        "region_id": members[0]["region_id"],
        "count": len(members),
        "case_ids": [m["id"] for m in members],
        "case_codes": [m["code"] for m in members],
        "cases": [
            {"code": m["code"], "title": m["title"], "reported_at": m["reported_at"]}
            for m in members
        ],
        "first_reported": members[-1]["reported_at"],
        "last_reported": members[0]["reported_at"],
    }


def hotspots(
    *,
    start: datetime,
    end: datetime,
    limit: int | None = 20,
    sort: str = "count",
    user: User | AnonymousUser | None = None,
    major_id: int | None = None,
) -> list[dict[str, Any]]:
    """Hotspots of cases reported in [start, end), best first by `sort` (count, growth or
    support; ties by the others). `user` restricts to their data scope (None: everything,
    for system use such as the dashboard's own scoping). Each dict: major_class {id, code,
    name}, categories, topic (key words), place, address, lat/lon, reach_m, count,
    previous_count, growth (ratio vs the previous period; None when it had none), duplicates,
    support, cases [{code, title, reported_at}] newest first, case_ids, case_codes."""
    knobs = TriageSettings.current()
    radius, min_cases = float(knobs.hotspot_radius_m), max(2, knobs.hotspot_min_cases)
    current = _cases(start, end, user)
    previous = _cases(start - (end - start), start, user)
    if major_id is not None:
        current, previous = (
            current.filter(category__parent_id=major_id),
            previous.filter(category__parent_id=major_id),
        )
    found = []
    by_major = _by_major(current)
    before = _by_major(previous)
    for major, rows in by_major.items():
        for members in _clusters(rows, radius, min_cases):
            spot = _hotspot(major, members, radius)
            spot["previous_count"] = _previous_count(spot, before.get(major, []))
            found.append(spot)
    _add_support(found)
    key = sort if sort in SORTS else "count"
    order = [key, *[s for s in SORTS if s != key]]
    found.sort(key=lambda h: tuple(-(h[k] if h[k] is not None else float("inf")) for k in order))
    return found[:limit] if limit else found


def _by_major(rows: QuerySet[Case]) -> dict[tuple[int, str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values(*FIELDS):
        major = (
            row["category__parent_id"],
            row["category__parent__code"],
            row["category__parent__name"],
        )
        grouped[major].append(row)
    return grouped


def _add_support(found: list[dict[str, Any]]) -> None:
    ids = [i for h in found for i in h["case_ids"]]
    merged = dict(
        Case.objects.filter(merged_into_id__in=ids, state=State.MERGED)
        .values("merged_into_id")
        .annotate(n=Count("id"))
        .values_list("merged_into_id", "n")
    )
    for h in found:
        h["duplicates"] = sum(merged.get(i, 0) for i in h["case_ids"])
        h["support"] = h["count"] + h["duplicates"]
        prev = h["previous_count"]
        h["growth"] = round((h["count"] - prev) / prev, 2) if prev else None
