"""Cases near a point: the place cell the cases table indexes (`case_place_cell`) and the
filters that use it. Duplicate search (wenming.triage.duplicates) and the portal's "is it
one of these?" list ask for "cases of these categories within r metres, reported in this
window" — a box on two coordinates, which a B-tree on (lat, lon) serves badly: it reads the
whole band of latitudes (every longitude) and then the table for each row of the window.

The index key is (category or 0, cell, reported_at, lat, lon): the categories asked for and
the cells a box touches are equality keys, so each (category, cell) pair is one short range
on reported_at, and the box's exact lat/lon bounds are checked on the index entries, before
any table row is read. The category leads because PostgreSQL may drop an IN list on a later
column from the index condition when it underestimates the rows (it did for 118 of 300
searches with the cell first, each then reading hundreds of rows of other categories); so a
query must name its categories (`of_categories`) — all of them to search every category.
Both expressions are written out with their constants in the SQL (no query parameters), so
that SQLite and PostgreSQL match them with the index expressions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import F, FloatField, Func, IntegerField, QuerySet

EARTH_RADIUS_M = 6_371_000.0
CELLS_PER_DEGREE = 300  # 1/300° ≈ 370 m north–south, ≈ 280 m east–west at 40° N
_ROW = 1_000_000  # cell = lat row × _ROW + lon column (columns span ±54,000)
MAX_CELLS = 400  # a larger box (a radius of kilometres) filters on lat/lon only
NO_CATEGORY = 0  # what the index stores for a case without a category


class _Column(Func):
    """floor(x·300): the cell row of a latitude or the cell column of a longitude."""

    output_field = FloatField()
    template = f"FLOOR(%(expressions)s * {CELLS_PER_DEGREE})"


class PlaceCell(Func):
    """The cell of a case's point: floor(lat·300)·10⁶ + floor(lon·300) (NULL without one)."""

    output_field = FloatField()
    template = "(%(expressions)s)"
    arg_joiner = f" * {_ROW} + "

    def __init__(self) -> None:
        super().__init__(_Column(F("lat")), _Column(F("lon")))


class CategoryOrNone(Func):
    """The case's category id, NO_CATEGORY without one (NULL would need an OR, and an OR
    turns the index's equality keys into two scans)."""

    output_field = IntegerField()
    template = f"COALESCE(%(expressions)s, {NO_CATEGORY})"

    def __init__(self) -> None:
        super().__init__(F("category"))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a square around the point."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def cell_of(lat: float, lon: float) -> int:
    """PlaceCell in Python (the same IEEE arithmetic as the database's)."""
    return math.floor(lat * CELLS_PER_DEGREE) * _ROW + math.floor(lon * CELLS_PER_DEGREE)


def cells_of_box(lat0: float, lat1: float, lon0: float, lon1: float) -> list[int]:
    """Every cell the box touches (floor is monotonic, so the corner cells bound them)."""
    n = CELLS_PER_DEGREE
    rows = range(math.floor(lat0 * n), math.floor(lat1 * n) + 1)
    columns = range(math.floor(lon0 * n), math.floor(lon1 * n) + 1)
    return [row * _ROW + column for row in rows for column in columns]


def near(rows: QuerySet[Any], *, lat: float, lon: float, radius_m: float) -> QuerySet[Any]:
    """Cases whose point lies in the square of side 2·radius_m around (lat, lon) — the
    caller checks the true distance, which cuts the corners. With `of_categories` for the
    index to serve it."""
    lat0, lat1, lon0, lon1 = bounding_box(lat, lon, radius_m)
    rows = rows.filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1))
    cells = cells_of_box(lat0, lat1, lon0, lon1)
    if len(cells) > MAX_CELLS:
        return rows
    return rows.alias(place_cell=PlaceCell()).filter(place_cell__in=cells)


def of_categories(
    rows: QuerySet[Any], category_ids: Iterable[int], *, uncategorised: bool = False
) -> QuerySet[Any]:
    """Cases of these categories (and, if asked, cases without one), in the index's terms."""
    keys = [*category_ids, *([NO_CATEGORY] if uncategorised else [])]
    return rows.alias(category_key=CategoryOrNone()).filter(category_key__in=keys)
