"""Coordinate systems used by Chinese map clients, converted to the WGS-84 we store.

* WGS-84 — GPS, `navigator.geolocation` in most browsers, OpenStreetMap tiles.
* GCJ-02 (国测局, "Mars coordinates") — Amap/Gaode, Tencent maps, WeChat's location API.
* BD-09 — Baidu maps: GCJ-02 with a further rotation/offset.

No maintained pure-Python package fits: `coordtransform` ships a compiled extension,
`coord-convert` pulls GDAL wheels, `eviltransform` (2018) and `prcoords` (2019) are no longer
released. So this module writes the well-known published algorithms, one small function each:

* WGS-84 → GCJ-02: the Krasovsky-ellipsoid offset formula from the leaked reference
  implementation, as published by googollee/eviltransform (BSD-2) and many ports.
* GCJ-02 → WGS-84: the inverse by fixed-point iteration (the forward offset is smooth and
  small, so a few steps reach < 1e-9°), as in eviltransform's `gcj2wgs_exact`.
* GCJ-02 ⇄ BD-09: Baidu's published conversion (bd_encrypt/bd_decrypt, x_pi = π·3000/180);
  the decrypt step is refined by iteration, like the GCJ-02 inverse.

Outside mainland China (a bounding box, like every implementation) GCJ-02 equals WGS-84.
Functions take and return (lat, lon) in degrees.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from .errors import InvalidInput

WGS84, GCJ02, BD09 = "wgs84", "gcj02", "bd09"
SYSTEMS = (WGS84, GCJ02, BD09)

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as in the GCJ-02 reference formula
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0  # Baidu's constant


def out_of_china(lat: float, lon: float) -> bool:
    """True outside the rough box where GCJ-02 applies (the box every implementation uses)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_delta(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 at a WGS-84 point (the published offset formula)."""
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (unchanged outside China)."""
    if out_of_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _gcj_delta(lat, lon)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration of the forward formula (< 1e-9° error)."""
    if out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _step in range(30):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        e_lat, e_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - e_lat, w_lon - e_lon
        if abs(e_lat) < 1e-10 and abs(e_lon) < 1e-10:
            break
    return w_lat, w_lon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → BD-09 (Baidu's bd_encrypt)."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 → GCJ-02: Baidu's bd_decrypt (about 10 cm off), refined by fixed-point
    iteration of bd_encrypt so that a round trip returns the point (< 1e-9°)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    g_lat, g_lon = z * math.sin(theta), z * math.cos(theta)
    for _step in range(10):
        b_lat, b_lon = gcj02_to_bd09(g_lat, g_lon)
        e_lat, e_lon = b_lat - lat, b_lon - lon
        g_lat, g_lon = g_lat - e_lat, g_lon - e_lon
        if abs(e_lat) < 1e-10 and abs(e_lon) < 1e-10:
            break
    return g_lat, g_lon


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


def _check_system(system: str) -> str:
    value = (system or WGS84).strip().lower().replace("-", "")
    if value not in SYSTEMS:
        raise InvalidInput(
            _("Unknown coordinate system “%(s)s”: use wgs84, gcj02 or bd09.") % {"s": system}
        )
    return value


def to_wgs84(lat: float, lon: float, system: str) -> tuple[float, float]:
    """A point given in `system` (wgs84, gcj02 or bd09) as WGS-84; InvalidInput for an
    unknown system. An empty system means WGS-84."""
    converters = {WGS84: lambda a, o: (a, o), GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}
    return converters[_check_system(system)](lat, lon)


def from_wgs84(lat: float, lon: float, system: str) -> tuple[float, float]:
    """A stored WGS-84 point in `system`, for clients that draw on Amap or Baidu tiles."""
    converters = {WGS84: lambda a, o: (a, o), GCJ02: wgs84_to_gcj02, BD09: wgs84_to_bd09}
    return converters[_check_system(system)](lat, lon)
