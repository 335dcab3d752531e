"""Region boundaries: GeoJSON validation and the point → smallest-containing-region index.

Coordinates are WGS-84 (lon, lat) as in GeoJSON. The index is a shapely STRtree over every
region that has a boundary; it is rebuilt when the regions' fingerprint (count, last change)
differs, checked at most every few seconds so a hot path pays no query per lookup.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, shape

from wenming.core.errors import InvalidInput

FINGERPRINT_TTL_SECONDS = 5.0


def boundary_geometry(geojson: dict[str, Any]) -> Polygon | MultiPolygon:
    """Parse and check a GeoJSON (Multi)Polygon; raise InvalidInput with the reason."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidInput(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InvalidInput(
            _("The boundary is not well-formed GeoJSON: %(e)s") % {"e": exc}
        ) from exc
    if geometry.is_empty:
        raise InvalidInput(_("The boundary is empty."))
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise InvalidInput(_("The boundary is not a valid polygon: %(r)s") % {"r": reason})
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput(_("The boundary has coordinates outside longitude/latitude range."))
    return geometry


@dataclass(frozen=True)
class RegionIndex:
    """Region geometries in one STRtree; a lookup returns the smallest covering region.

    `rank` orders the geometries by (area, code): the smallest region wins, and a point on an
    edge shared by two regions of the same area goes to the lower code, so the answer never
    depends on insertion order.
    """

    ids: np.ndarray
    rank: np.ndarray
    tree: shapely.STRtree
    # The last point looked up and its answer: a submission checks its point twice (the
    # API's validation, then the service). A new index starts empty.
    _last: list[tuple[float, float, int | None]] = field(
        default_factory=lambda: [(math.nan, math.nan, None)], compare=False
    )

    @classmethod
    def build(cls, rows: list[tuple[int, str, Any]]) -> RegionIndex:
        geometries = np.array([shape(boundary) for _, _, boundary in rows], dtype=object)
        shapely.prepare(geometries)
        areas = shapely.area(geometries) if rows else np.array([])
        order = sorted(range(len(rows)), key=lambda i: (areas[i], rows[i][1]))
        rank = np.empty(len(rows), dtype=np.int64)
        rank[order] = np.arange(len(rows))
        ids = np.array([row[0] for row in rows], dtype=np.int64)
        return cls(ids=ids, rank=rank, tree=shapely.STRtree(geometries))

    def lookup(self, lon: float, lat: float) -> int | None:
        """Id of the smallest region covering the point (edges count as inside), or None."""
        last_lon, last_lat, last_found = self._last[0]  # NaN at first: equal to nothing
        if last_lon == lon and last_lat == lat:
            return last_found
        candidates = self.tree.query(shapely.Point(lon, lat), predicate="covered_by")
        found = (
            int(self.ids[candidates[np.argmin(self.rank[candidates])]]) if len(candidates) else None
        )
        self._last[0] = (lon, lat, found)  # one tuple, replaced whole: safe across threads
        return found

    def lookup_many(self, lons: np.ndarray, lats: np.ndarray) -> list[int | None]:
        """Vectorised lookup of many points with one STRtree query."""
        points = shapely.points(lons, lats)
        point_idx, geom_idx = self.tree.query(points, predicate="covered_by")
        # Sort hits by point, then rank; the first hit of each point is its smallest region.
        order = np.lexsort((self.rank[geom_idx], point_idx))
        point_idx, geom_idx = point_idx[order], geom_idx[order]
        first = np.unique(point_idx, return_index=True)[1]
        found: list[int | None] = [None] * len(points)
        for p, g in zip(point_idx[first].tolist(), geom_idx[first].tolist(), strict=True):
            found[p] = int(self.ids[g])
        return found


_lock = threading.Lock()
_cache: dict[str, Any] = {"index": None, "fingerprint": None, "checked_at": 0.0}


def _fingerprint() -> tuple[int, Any]:
    from .models import Region

    stats = Region.objects.filter(boundary__isnull=False).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    return stats["n"], stats["changed"]


def region_index(*, force_check: bool = False) -> RegionIndex:
    """The current index, rebuilt if the regions changed since it was built."""
    from .models import Region

    now = time.monotonic()
    with _lock:
        fresh = now - _cache["checked_at"] < FINGERPRINT_TTL_SECONDS
        if _cache["index"] is not None and fresh and not force_check:
            return _cache["index"]
        fingerprint = _fingerprint()
        _cache["checked_at"] = now
        if _cache["index"] is None or fingerprint != _cache["fingerprint"]:
            rows = list(
                Region.objects.filter(boundary__isnull=False).values_list("id", "code", "boundary")
            )
            _cache["index"] = RegionIndex.build(rows)
            _cache["fingerprint"] = fingerprint
        return _cache["index"]


def invalidate_region_index() -> None:
    with _lock:
        _cache["index"] = None
