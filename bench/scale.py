"""Scale: staff lists, metrics and the dashboard over N generated cases on PostgreSQL.

    .venv/bin/python bench/scale.py [--cases 1000000] [--runs 30] [--reuse] [--keep]
                                    [--db-url postgres://postgres@127.0.0.1:5432/wm_scale]

1. Creates the database (dropped at the end unless --keep; --reuse keeps a filled one),
   migrates it, seeds the demo city and adds --cases cases with `wenming generate`'s
   generator (wenming.core.generate: COPY, indexes rebuilt after), timing each step.
2. Builds the rollups: the metric facts, daily rollups and dashboard counts
   (`rollups_rebuild`, a streamed replay of every case's events); then times one incremental
   refresh with nothing new (what the minute job costs when idle; it includes the dashboard's
   counts, moved case by case since the watermark).
3. Times p50/p95 (after 3 warm-up runs) of: the staff console's main lists (bench/worklist.py's
   queries, count + first page), the month's metrics and ranking for the city, the whole
   dashboard data (what its page polls), and /metrics.
The rollup rebuild grows linearly with the cases; the minute's refresh and the reads do not. Extrapolating to 10,000,000 cases: multiply the fill and rebuild times by
10,000,000 / N, and check the read figures, which should stay flat.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from worklist import (  # noqa: E402
    database_create,
    database_drop,
    django_setup,
    evaluate,
    queries,
    seed_available,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_scale"
STAFF_LISTS = (
    "dispatcher: to register",
    "unit: to sign",
    "dispatcher: overdue",
    "search: category + state",
)


def timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = step()
    print(f"{label:<52} {time.perf_counter() - started:8.1f} s")
    return result


def measure(label: str, step: Callable[[], Any], runs: int) -> None:
    for _ in range(3):
        step()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"{label:<52} p50 {statistics.median(timings):8.1f} ms  p95 {p95:8.1f} ms")


def reads(runs: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from wenming.accountability import selectors as metrics
    from wenming.accountability.models import PeriodKind
    from wenming.accountability.periods import period_containing
    from wenming.dashboard.selectors import dashboard_data
    from wenming.org.models import Region

    wanted = [(name, make) for name, make in queries() if name in STAFF_LISTS]
    for name, make in wanted or queries()[:3]:
        measure(f"staff list: {name}", lambda make=make: evaluate(make()), runs)
    dispatcher = User.objects.get(username="dispatcher")
    city = Region.objects.get(level="city")
    month = period_containing(PeriodKind.MONTH, timezone.localdate())
    measure(
        "metrics: month total, city",
        lambda: metrics.metrics_total(user=dispatcher, period=month, region=city),
        runs,
    )
    measure(
        "metrics: month ranking, city",
        lambda: metrics.ranking_for(user=dispatcher, period=month, region=city),
        runs,
    )
    measure("dashboard: all data, city", lambda: dashboard_data(dispatcher, city), runs)
    client = Client()
    measure("/metrics", lambda: client.get("/metrics", REMOTE_ADDR="127.0.0.1"), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    fresh = database_create(args.db_url, reuse=args.reuse)
    django_setup(args.db_url)
    from django.core.management import call_command
    from django.db import connection

    from wenming.accountability.rollup import rollups_rebuild, rollups_refresh
    from wenming.cases.models import Case
    from wenming.core.generate import fill
    from wenming.core.seed import seed_demo_city

    try:
        timed("migrate", lambda: call_command("migrate", verbosity=0, skip_checks=True))
        if fresh:
            timed("seed the demo city", lambda: seed_available(seed_demo_city))
            timed(f"generate {args.cases:,} cases (COPY)", lambda: fill(args.cases, quiet=True))
            timed("rollups: rebuild (facts, daily rollups, dashboard)", rollups_rebuild)
        total = Case.objects.count()
        print(f"\nPostgreSQL {connection.pg_version}, {total:,} cases")  # type: ignore[attr-defined]
        timed("rollups: incremental refresh, nothing new", rollups_refresh)
        reads(args.runs)
    finally:
        if not args.keep:
            database_drop(args.db_url)


if __name__ == "__main__":
    main()
