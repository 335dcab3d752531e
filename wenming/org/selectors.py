"""Reads for the org app."""

from __future__ import annotations

from .geo import region_index
from .models import Region


def region_at(*, lat: float, lon: float) -> Region | None:
    """The smallest region whose boundary covers the WGS-84 point, or None outside them all."""
    region_id = region_index().lookup(lon, lat)
    return Region.objects.get(pk=region_id) if region_id is not None else None


def region_ancestors(*, region: Region) -> list[Region]:
    """The region's ancestors from the root down, itself included (one query)."""
    codes = [code for code in region.path.strip("/").split("/") if code]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]
