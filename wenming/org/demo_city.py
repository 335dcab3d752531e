"""The demo city: 包头市 (Baotou) with its real districts and administrative codes, and 青山区
detailed down to grids. District boundaries are simplified boxes around the real districts;
青山区's streets, communities and grids are cut from one jittered lattice so that neighbours
share their edges exactly, like a real grid map. Names of streets and communities are real or
modelled on real ones; the codes below district level follow the national pattern.
"""

from __future__ import annotations

import hashlib
from typing import Any

from shapely.geometry import Polygon, mapping
from shapely.ops import unary_union

PROVINCE = ("150000000000", "内蒙古自治区")
CITY = ("150200000000", "包头市", (109.70, 40.45, 110.65, 41.85))
DISTRICTS = [  # code, name, (min lon, min lat, max lon, max lat)
    ("150202000000", "东河区", (110.00, 40.52, 110.12, 40.66)),
    ("150203000000", "昆都仑区", (109.70, 40.60, 109.85, 40.75)),
    ("150204000000", "青山区", (109.85, 40.62, 109.97, 40.72)),
    ("150205000000", "石拐区", (110.20, 40.62, 110.35, 40.75)),
    ("150206000000", "白云鄂博矿区", (109.90, 41.72, 110.05, 41.82)),
    ("150207000000", "九原区", (109.85, 40.50, 110.00, 40.62)),
    ("150221000000", "土默特右旗", (110.40, 40.45, 110.65, 40.65)),
    ("150222000000", "固阳县", (109.95, 40.95, 110.20, 41.15)),
    ("150223000000", "达尔罕茂明安联合旗", (110.30, 41.55, 110.60, 41.85)),
]
DETAILED_DISTRICT = "150204000000"
STREETS = [  # 青山区: name, communities (4 each), laid out 4 across × 2 down
    ("青山路街道", ["六合成社区", "青东社区", "青苑社区", "光荣社区"]),
    ("万青路街道", ["万新社区", "青年路社区", "富力社区", "兴业社区"]),
    ("幸福路街道", ["幸福社区", "和平社区", "团结社区", "康乐社区"]),
    ("先锋道街道", ["先锋社区", "钢铁社区", "北方社区", "友谊社区"]),
    ("富强路街道", ["富强社区", "繁荣社区", "胜利社区", "振华社区"]),
    ("自由路街道", ["自由社区", "民主社区", "文化社区", "阳光社区"]),
    ("科学路街道", ["科学社区", "科技社区", "开源社区", "创新社区"]),
    ("兴胜镇", ["兴胜村", "农丰村", "沙河村", "光明村"]),
]
GRIDS_PER_SIDE = 3  # each community is cut into 3 × 3 grids


def _box(bounds: tuple[float, float, float, float]) -> dict[str, Any]:
    minx, miny, maxx, maxy = bounds
    return mapping(Polygon([(minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy)]))


def _jitter(i: int, j: int, scale: float) -> float:
    digest = hashlib.sha256(f"{i},{j}".encode()).digest()
    return (digest[0] / 255 - 0.5) * scale


def _lattice(
    bounds: tuple[float, float, float, float], cols: int, rows: int
) -> list[list[tuple[float, float]]]:
    """Vertices of a cols × rows lattice; inner vertices move a little so cells look organic."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) / cols, (maxy - miny) / rows
    points = []
    for i in range(cols + 1):
        column = []
        for j in range(rows + 1):
            inner = 0 < i < cols and 0 < j < rows
            x = minx + i * dx + (_jitter(i, j, dx * 0.4) if inner else 0)
            y = miny + j * dy + (_jitter(j, i, dy * 0.4) if inner else 0)
            column.append((round(x, 6), round(y, 6)))
        points.append(column)
    return points


def _cell(points: list[list[tuple[float, float]]], i: int, j: int) -> Polygon:
    return Polygon([points[i][j], points[i + 1][j], points[i + 1][j + 1], points[i][j + 1]])


def _feature(code: str, name: str, level: str, parent: str | None, geometry: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
        "geometry": geometry,
    }


def demo_city_geojson() -> dict[str, Any]:
    """The whole demo region tree as one GeoJSON FeatureCollection (the import format)."""
    features = [
        _feature(PROVINCE[0], PROVINCE[1], "province", None, None),
        _feature(CITY[0], CITY[1], "city", PROVINCE[0], _box(CITY[2])),
    ]
    for code, name, bounds in DISTRICTS:
        features.append(_feature(code, name, "district", CITY[0], _box(bounds)))
    qingshan = next(d for d in DISTRICTS if d[0] == DETAILED_DISTRICT)
    g = GRIDS_PER_SIDE
    points = _lattice(qingshan[2], cols=4 * 2 * g, rows=2 * 2 * g)
    for s, (street_name, communities) in enumerate(STREETS):
        street_code = f"{DETAILED_DISTRICT[:6]}{s + 1:03d}000"
        street_cells = []
        for c, community_name in enumerate(communities):
            community_code = f"{street_code[:9]}{c + 1:03d}"
            ci, cj = (s % 4) * 2 + c % 2, (s // 4) * 2 + c // 2  # community's lattice block
            cells = [_cell(points, ci * g + a, cj * g + b) for b in range(g) for a in range(g)]
            for n, cell in enumerate(cells):
                features.append(
                    _feature(
                        f"{community_code}{n + 1:02d}",
                        f"{community_name}第{n + 1}网格",
                        "grid",
                        community_code,
                        mapping(cell),
                    )
                )
            union = unary_union(cells)
            street_cells.append(union)
            features.append(
                _feature(community_code, community_name, "community", street_code, mapping(union))
            )
        features.append(
            _feature(
                street_code,
                street_name,
                "street",
                DETAILED_DISTRICT,
                mapping(unary_union(street_cells)),
            )
        )
    return {"type": "FeatureCollection", "features": features}
