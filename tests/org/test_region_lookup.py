import numpy as np
import pytest

from wenming.org.geo import RegionIndex
from wenming.org.selectors import region_at


def poly(*rings: list) -> dict:
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]] for ring in rings]}


LEFT = poly([[0, 0], [1, 0], [1, 1], [0, 1]])
RIGHT = poly([[1, 0], [2, 0], [2, 1], [1, 1]])
DONUT = poly([[10, 10], [14, 10], [14, 14], [10, 14]], [[11, 11], [13, 11], [13, 13], [11, 13]])
ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[20, 20], [21, 20], [21, 21], [20, 21], [20, 20]]],
        [[[25, 25], [26, 25], [26, 26], [25, 26], [25, 25]]],
    ],
}
BIG = poly([[-5, -5], [30, -5], [30, 30], [-5, 30]])  # a city around everything

INDEX = RegionIndex.build(
    [
        (1, "A-left", LEFT),
        (2, "B-right", RIGHT),
        (3, "donut", DONUT),
        (4, "islands", ISLANDS),
        (9, "city", BIG),
    ]
)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (0.5, 0.5, 1),  # inside
        (1.5, 0.5, 2),
        (1.0, 0.5, 1),  # on the shared edge: same area, lower code wins, every time
        (12, 12, 9),  # in the donut's hole: the city, not the donut
        (10.5, 12, 3),  # in the donut's ring
        (25.5, 25.5, 4),  # second polygon of a multipolygon
        (20.5, 20.5, 4),
        (3, 3, 9),  # only the city covers it
        (50, 50, None),  # outside everything
    ],
)
def test_lookup_returns_smallest_covering_region(lon, lat, expected):
    assert INDEX.lookup(lon, lat) == expected


def test_the_same_point_again_gets_the_same_answer_and_the_next_its_own():
    """The index remembers its last point (a submission checks its point twice)."""
    index = RegionIndex.build([(1, "A-left", LEFT), (2, "B-right", RIGHT)])
    for lon, lat, expected in [(0.5, 0.5, 1), (0.5, 0.5, 1), (1.5, 0.5, 2), (50, 50, None)]:
        assert index.lookup(lon, lat) == expected
    assert index.lookup(50, 50) is None and index.lookup(0.5, 0.5) == 1
    rebuilt = RegionIndex.build([(2, "B-right", RIGHT)])  # regions changed: a new index
    assert rebuilt.lookup(0.5, 0.5) is None


def test_vectorised_lookup_agrees_with_single_lookup():
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(-6, 31, 2000), rng.uniform(-6, 31, 2000)
    lons[:3], lats[:3] = [1.0, 12, 50], [0.5, 12, 50]
    assert INDEX.lookup_many(lons, lats) == [
        INDEX.lookup(x, y) for x, y in zip(lons, lats, strict=True)
    ]


def test_region_at_finds_the_demo_grid(city):
    from wenming.org.models import Region

    grid = Region.objects.get(code="15020400100105")  # 六合成社区, grid 5 (the middle one)
    found = region_at(lat=grid.centroid_lat, lon=grid.centroid_lon)
    assert found == grid
    assert found.level == "grid"
    assert region_at(lat=30.0, lon=120.0) is None  # Shanghai is not in Baotou


def test_index_is_rebuilt_when_a_boundary_changes(city):
    from wenming.org.geo import region_index
    from wenming.org.models import Region

    grid = Region.objects.get(code="15020400100105")
    far = poly([[100, 10], [100.1, 10], [100.1, 10.1], [100, 10.1]])
    grid.boundary = far
    grid.save()
    region_index(force_check=True)
    assert region_at(lat=10.05, lon=100.05) == grid
