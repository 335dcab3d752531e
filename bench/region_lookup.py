"""Point → region lookup speed: the STRtree index against a naive loop over every polygon.

    .venv/bin/python bench/region_lookup.py [--points 100000] [--cols 80 --rows 70]

Builds a jittered lattice of grid polygons (80 × 70 = 5,600 by default, like a large city's
grid map), draws random points over it and prints lookups per second for the indexed lookup
(one point at a time, and vectorised), for a naive loop over all polygons, and the ratios.
Target (issue #2): ≥ 50,000 lookups/s on one core. Runs without a database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

from wenming.org.demo_city import _cell, _lattice  # noqa: E402
from wenming.org.geo import RegionIndex  # noqa: E402


def grid_rows(cols: int, rows: int) -> list[tuple[int, str, dict]]:
    points = _lattice((109.0, 40.0, 111.0, 41.5), cols, rows)
    cells = [_cell(points, i, j) for i in range(cols) for j in range(rows)]
    return [(n, f"G{n:06d}", mapping(cell)) for n, cell in enumerate(cells)]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f} lookups/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--rows", type=int, default=70)
    parser.add_argument("--naive-points", type=int, default=2_000, help="naive loop sample size")
    args = parser.parse_args()

    rows = grid_rows(args.cols, args.rows)
    started = time.perf_counter()
    index = RegionIndex.build(rows)
    build = time.perf_counter() - started
    rng = np.random.default_rng(2026)
    lons = rng.uniform(108.9, 111.1, args.points)  # some points fall outside every grid
    lats = rng.uniform(39.9, 41.6, args.points)

    started = time.perf_counter()
    single = [index.lookup(x, y) for x, y in zip(lons, lats, strict=True)]
    single_s = time.perf_counter() - started

    started = time.perf_counter()
    batch = index.lookup_many(lons, lats)
    batch_s = time.perf_counter() - started
    assert batch == single, "vectorised and single lookups disagree"

    polygons = [shapely.geometry.shape(r[2]) for r in rows]
    shapely.prepare(polygons)
    n = min(args.naive_points, args.points)
    started = time.perf_counter()
    naive = []
    for x, y in zip(lons[:n], lats[:n], strict=True):
        point = shapely.Point(x, y)
        hits = [
            (p.area, r[1], r[0]) for p, r in zip(polygons, rows, strict=True) if p.covers(point)
        ]
        naive.append(min(hits)[2] if hits else None)
    naive_s = time.perf_counter() - started
    assert naive == single[:n], "naive loop and index disagree"

    found = sum(r is not None for r in single)
    print(f"grid polygons      {len(rows):>12,}   (index built in {build * 1000:.0f} ms)")
    print(f"random points      {args.points:>12,}   ({found:,} inside a grid)")
    print(f"indexed, one by one{rate(args.points, single_s)}")
    print(f"indexed, vectorised{rate(args.points, batch_s)}")
    print(f"naive loop ({n:,} pts){rate(n, naive_s)}")
    print(f"ratio one-by-one / naive  {(args.points / single_s) / (n / naive_s):>8,.0f}×")
    print(f"ratio vectorised / naive  {(args.points / batch_s) / (n / naive_s):>8,.0f}×")
    target = max(args.points / single_s, args.points / batch_s)
    print(f"target ≥ 50,000 lookups/s: {'met' if target >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
