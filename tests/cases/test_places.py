"""Cases near a point (wenming.cases.places): the database and Python agree on the place cell,
a box finds every case inside it wherever the cell borders fall, and the query uses the
index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from wenming.cases import places, services
from wenming.cases.models import Case, Channel

from .conftest import grid_point

NEAR_BORDER = 1 / places.CELLS_PER_DEGREE / 1000  # ≈ 0.4 m


def at(case: Case, lat: float, lon: float) -> Case:
    """Move a case (test set-up only) to a point."""
    Case.objects.filter(pk=case.pk).update(lat=lat, lon=lon)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(city, category) -> Case:
    lat, lon = grid_point()
    return services.case_submit(
        channel=Channel.SNAPSHOT,
        title="垃圾堆放",
        description="路边垃圾堆了好几天。",
        category=category,
        lat=lat,
        lon=lon,
    )


def near_ids(lat: float, lon: float, radius_m: float = 300) -> set[int]:
    rows = places.near(Case.objects.all(), lat=lat, lon=lon, radius_m=radius_m)
    return set(rows.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "point", [(40.65, 109.9), (40.0 + NEAR_BORDER, 110.0 - NEAR_BORDER), (-33.87, 151.21)]
)
def test_the_database_computes_the_same_cell_as_python(case, point):
    at(case, *point)
    stored = Case.objects.annotate(cell=places.PlaceCell()).get(pk=case.pk).cell
    assert int(stored) == places.cell_of(*point)


def test_a_case_just_across_a_cell_border_is_found(case):
    border_lat = round(40.65 * places.CELLS_PER_DEGREE) / places.CELLS_PER_DEGREE
    at(case, border_lat + NEAR_BORDER, 109.9)
    assert places.cell_of(border_lat - NEAR_BORDER, 109.9) != places.cell_of(case.lat, case.lon)
    assert near_ids(border_lat - NEAR_BORDER, 109.9, radius_m=50) == {case.pk}


def test_the_box_leaves_out_cases_farther_than_the_radius(case):
    at(case, 40.65, 109.9)
    assert near_ids(40.65 + 400 / 111_195, 109.9) == set()
    assert near_ids(40.65 + 250 / 111_195, 109.9) == {case.pk}


def test_a_radius_of_kilometres_still_finds_the_case(case):
    at(case, 40.65, 109.9)  # more cells than MAX_CELLS: lat/lon bounds only
    assert len(places.cells_of_box(*places.bounding_box(40.65, 109.9, 5000))) > places.MAX_CELLS
    assert near_ids(40.65 + 4000 / 111_195, 109.9, radius_m=5000) == {case.pk}


def test_categories_and_the_uncategorised(case, category):
    uncategorised = services.case_submit(
        channel=Channel.SNAPSHOT, title="垃圾", description="路边垃圾。", lat=case.lat, lon=case.lon
    )
    rows = Case.objects.all()
    assert set(places.of_categories(rows, [category.pk]).values_list("pk", flat=True)) == {case.pk}
    both = places.of_categories(rows, [category.pk], uncategorised=True)
    assert set(both.values_list("pk", flat=True)) == {case.pk, uncategorised.pk}


def test_the_search_uses_the_place_index(case, category):
    rows = places.near(
        places.of_categories(Case.objects.filter(reported_at__lte=timezone.now()), [category.pk]),
        lat=case.lat,
        lon=case.lon,
        radius_m=300,
    ).values_list("pk", flat=True)
    if connection.vendor == "postgresql":  # a handful of rows: make the planner show its hand
        with connection.cursor() as cursor:
            # Bitmap scans only: with one row and no statistics, walking the report-time
            # index costs the same as the place index, and the planner may take either.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
    assert "case_place_cell" in rows.explain()
