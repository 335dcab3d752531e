"""Small helpers for scores shared by assessment and inspections: means by key, and the
district and street a region lies in (region scores are kept at those two levels)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from wenming.org.models import Region, RegionLevel

SCORE_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET)


def rounded(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_regions(paths: Iterable[str]) -> dict[str, list[int]]:
    """For each region path, the ids of the district and street it lies in (one query)."""
    paths = set(paths)
    codes = {code for path in paths for code in path.strip("/").split("/") if code}
    found = dict(
        Region.objects.filter(code__in=codes, level__in=SCORE_LEVELS).values_list("code", "pk")
    )
    return {
        path: [found[code] for code in path.strip("/").split("/") if code in found]
        for path in paths
    }


def means(pairs: Iterable[tuple[int, Any]]) -> dict[int, float]:
    """{key: mean of its values}, rounded to one decimal."""
    totals: dict[int, list[float]] = defaultdict(list)
    for key, value in pairs:
        totals[key].append(float(value))
    return {key: float(rounded(sum(v) / len(v))) for key, v in totals.items()}


def means_by_region(pairs: Iterable[tuple[str, Any]]) -> dict[int, float]:
    """{district or street id: mean of the values whose region path lies inside it}."""
    pairs = list(pairs)
    regions = score_regions(path for path, _value in pairs)
    return means((rid, value) for path, value in pairs for rid in regions[path])
