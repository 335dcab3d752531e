"""Reads for the org app."""

from __future__ import annotations

from django.db.models import Q

from wenming.core.memo import Memo, kept_copy

from .geo import region_index
from .models import Region

# Every region by id, for lookups on the intake path (a city has a few thousand).
_regions: Memo[dict[int, Region]] = Memo(
    lambda: {r.pk: r for r in Region.objects.all()}, models=(Region,)
)


# Up to this many region ids go into a query as a list; a larger subtree (and its complement)
# is matched by joining the region table.
SUBTREE_IDS_MAX = 5_000


def in_region_subtree(path: str, *, field: str = "region") -> Q:
    """Rows whose `field` (a foreign key to Region) lies in the subtree at `path`: as the
    list of its region ids, or as any region but those outside it when that list is the
    shorter (a city-wide scope), from the regions kept in memory — not as a join on the
    region table.

    With the join, a case search whose other conditions PostgreSQL expects to match few rows
    re-read the region table for each match (bench/worklist.py at 10M, 22号附近 over 30 days:
    1,001 matches, 40 of its 50 ms). A list is a condition on the rows themselves. The
    shorter list: a city's 150 regions as a list cost the city's dispatcher 5–8 ms more
    on every query (planning), and the code prefix a plan of 900 ms. An admin's change to
    the regions reaches other processes within the memo's check (core.memo)."""
    inside: list[int] = []
    outside: list[int] = []
    for pk, region in _regions.get().items():
        (inside if region.path.startswith(path) else outside).append(pk)
    if len(inside) <= min(len(outside), SUBTREE_IDS_MAX):
        return Q(**{f"{field}_id__in": inside})
    if len(outside) <= SUBTREE_IDS_MAX:
        return Q(**{f"{field}_id__isnull": False}) & ~Q(**{f"{field}_id__in": outside})
    return Q(**{f"{field}__path__startswith": path})


def region_at(*, lat: float, lon: float) -> Region | None:
    """The smallest region whose boundary covers the WGS-84 point, or None outside them all.
    No query: the index and the regions are kept in memory (a copy is returned)."""
    region_id = region_index().lookup(lon, lat)
    if region_id is None:
        return None
    region = _regions.get().get(region_id)
    return kept_copy(region) if region else Region.objects.get(pk=region_id)


def region_ancestors(*, region: Region) -> list[Region]:
    """The region's ancestors from the root down, itself included (one query)."""
    codes = [code for code in region.path.strip("/").split("/") if code]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]
