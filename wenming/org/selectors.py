"""Reads for the org app."""

from __future__ import annotations

import copy

from wenming.core.memo import Memo

from .geo import region_index
from .models import Region

# Every region by id, for lookups on the intake path (a city has a few thousand).
_regions: Memo[dict[int, Region]] = Memo(
    lambda: {r.pk: r for r in Region.objects.all()}, models=(Region,)
)


def region_at(*, lat: float, lon: float) -> Region | None:
    """The smallest region whose boundary covers the WGS-84 point, or None outside them all.
    No query: the index and the regions are kept in memory (a copy is returned)."""
    region_id = region_index().lookup(lon, lat)
    if region_id is None:
        return None
    region = _regions.get().get(region_id)
    return copy.copy(region) if region else Region.objects.get(pk=region_id)


def region_ancestors(*, region: Region) -> list[Region]:
    """The region's ancestors from the root down, itself included (one query)."""
    codes = [code for code in region.path.strip("/").split("/") if code]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]
