"""Choosing the sites of a round: by type and region, N at random per type, reproducibly.

The same (region, types, per_type, seed) and the same set of active sites always give the same
sample: candidates are ordered by code before `random.Random(seed)` draws from them, so a
round's sample can be re-drawn and checked later from the parameters it stores.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from itertools import groupby

from wenming.org.models import Region

from .models import PointSite, SiteType


def sites_sample(
    *,
    region: Region,
    types: Iterable[SiteType],
    per_type: int | None,
    seed: int,
) -> list[PointSite]:
    """Active sites in the region's subtree of the given types; `per_type` of each type drawn
    at random with `seed` (None or 0: all of them). Returned in code order."""
    candidates = (
        PointSite.objects.filter(
            is_active=True, region__path__startswith=region.path, site_type__in=list(types)
        )
        .select_related("site_type")
        .order_by("site_type__order", "site_type__code", "code")
    )
    rng = random.Random(seed)
    chosen: list[PointSite] = []
    for _type, group in groupby(candidates, key=lambda s: s.site_type_id):
        sites = list(group)
        chosen += rng.sample(sites, min(per_type, len(sites))) if per_type else sites
    return sorted(chosen, key=lambda s: s.code)
