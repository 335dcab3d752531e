"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 conversion against published reference points.

Sources of the reference points:
* EVILTRANSFORM — the test vectors of googollee/eviltransform (BSD-2; identical in its Go,
  Python, JS and PHP ports): WGS-84 → GCJ-02 for Shanghai, Shenzhen and Beijing.
* GCOORD — hujiulong/gcoord's test fixture `test/fixtures/china-cities.json` (MIT): the same
  city centre in WGS-84, GCJ-02 and BD-09 as the map providers' own APIs return them, to
  7 decimals. We check within 1e-5° (about 1 m).
* TIANANMEN — the commonly cited Tiananmen pair WGS-84 (39.90734, 116.39089) → GCJ-02
  (39.90874539, 116.39713623), as returned by Amap's conversion API.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenming.core import coords
from wenming.core.errors import InvalidInput

EVILTRANSFORM = [
    # wgs lat, wgs lon, gcj lat, gcj lon
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]

GCOORD = {
    # (lat, lon) in WGS-84, GCJ-02, BD-09
    "锡林郭勒盟": ((43.9312805, 116.0414035), (43.9334573, 116.0482308), (43.9397782, 116.0546232)),
    "郑州市": ((34.7478004, 113.6192856), (34.7466173, 113.6253334), (34.7528605, 113.6317519)),
    "沈阳市": ((41.8032629, 123.4253306), (41.8057023, 123.4314787), (41.8114013, 123.438095)),
    "酒泉市": ((39.7319946, 98.4937175), (39.7328234, 98.4943595), (39.7388949, 98.5008441)),
}
ONE_METRE = 1e-5  # degrees, about 1.1 m of latitude


def close(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), EVILTRANSFORM)
def test_wgs84_to_gcj02_matches_the_eviltransform_vectors(wlat, wlon, glat, glon):
    assert close(coords.wgs84_to_gcj02(wlat, wlon), (glat, glon), 1e-9)


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), EVILTRANSFORM)
def test_gcj02_to_wgs84_inverts_exactly(wlat, wlon, glat, glon):
    assert close(coords.gcj02_to_wgs84(glat, glon), (wlat, wlon), 1e-8)


def test_tiananmen_wgs84_to_gcj02_is_within_a_metre_of_the_provider():
    assert close(coords.wgs84_to_gcj02(39.90734, 116.39089), (39.90874539, 116.39713623), ONE_METRE)


@pytest.mark.parametrize("city", sorted(GCOORD))
def test_provider_reference_points_within_a_metre(city):
    wgs, gcj, bd = GCOORD[city]
    assert close(coords.wgs84_to_gcj02(*wgs), gcj, ONE_METRE)
    assert close(coords.gcj02_to_bd09(*gcj), bd, 1e-6)
    assert close(coords.bd09_to_gcj02(*bd), gcj, 1e-6)
    assert close(coords.to_wgs84(*gcj, "gcj02"), wgs, ONE_METRE)
    assert close(coords.to_wgs84(*bd, "bd09"), wgs, ONE_METRE)


china = st.tuples(st.floats(18.5, 53.0), st.floats(74.0, 134.0))


@given(china)
def test_round_trips_return_the_point(point):
    assert close(coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(*point)), point, 1e-7)
    assert close(coords.bd09_to_gcj02(*coords.gcj02_to_bd09(*point)), point, 1e-7)
    for system in coords.SYSTEMS:
        assert close(coords.to_wgs84(*coords.from_wgs84(*point, system), system), point, 1e-7)


@pytest.mark.parametrize("point", [(51.5007, -0.1246), (48.8584, 2.2945), (-33.8568, 151.2153)])
def test_points_outside_china_are_unchanged(point):
    assert coords.wgs84_to_gcj02(*point) == point
    assert coords.gcj02_to_wgs84(*point) == point
    assert coords.to_wgs84(*point, "gcj02") == point


def test_the_offset_in_baotou_is_hundreds_of_metres():
    # A sanity check on the city we serve: GCJ-02 is visibly shifted there.
    lat, lon = coords.wgs84_to_gcj02(40.65, 109.84)
    assert 0.0005 < abs(lat - 40.65) + abs(lon - 109.84) < 0.02


def test_system_names_are_forgiving_and_wgs84_is_the_default():
    assert coords.to_wgs84(40.6, 109.8, "WGS-84") == (40.6, 109.8)
    assert coords.to_wgs84(40.6, 109.8, "") == (40.6, 109.8)
    assert coords.to_wgs84(40.6, 109.8, "GCJ-02") == coords.gcj02_to_wgs84(40.6, 109.8)


def test_an_unknown_system_is_a_clear_error():
    with pytest.raises(InvalidInput, match="Unknown coordinate system.*wgs84, gcj02 or bd09"):
        coords.to_wgs84(40.6, 109.8, "utm50n")
