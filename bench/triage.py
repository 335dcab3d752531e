"""Triage benchmark: training on 100,000 synthetic cases, prediction latency per case, and
duplicate search among 1,000,000 open cases on PostgreSQL.

    .venv/bin/python bench/triage.py [--train 100000] [--predict-runs 2000]
                                     [--cases 1000000] [--dup-runs 300] [--db-url URL]
                                     [--skip-train | --skip-db] [--keep] [--reuse]

Training and prediction need no database: messages come from wenming.triage.synthetic (the
catalogue's 100 minor classes, Zipf-skewed), the model is what `wenming triage train` fits
(wenming.triage.learn.train_calibrated: fit on 80 %, evaluate and calibrate on 20 %; below
20,000 samples it then refits on all). Prediction is `Suggester.predict_one` on held-out
phrasings, one case at a time, as intake does it; it prints p50/p99 of the wall-clock time
and of the call's CPU time (on a loaded machine the wall-clock p99 is mostly time spent
waiting for a core).

Duplicate search creates its own database (default
postgres://postgres@127.0.0.1:5432/wm_triage_bench; dropped at the end unless --keep;
--reuse keeps a filled one and only migrates and analyzes it), seeds the demo city's
regions, units and catalogue and COPYs --cases open cases (states submitted … in progress)
reported over the last 90 days: 75 % in 青山区's grids (around the grid centroid, ±400 m),
25 % around the centroids of the 9 other districts (±400 m: 9 hotspots of ≈28,000 cases
each, far denser than any real street — the slowest searches are there), minor classes
Zipf-skewed, texts from the synthetic generator. It times
`wenming.triage.duplicates.duplicate_candidates` (query + scoring) for --dup-runs cases of
the last week (wall-clock p50/p95 and the Python CPU time), then runs EXPLAIN (ANALYZE,
BUFFERS) of every probe's query and prints PostgreSQL's execution time p50/p95/max and the
plan of the slowest. Targets (issue #8): training < 5 min, prediction p99 < 10 ms, duplicate
search p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

from worklist import database_create, database_drop, django_setup  # noqa: E402

from wenming.core.generate import CASE_COLUMNS, PHONE_COLUMNS, _copy_text  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_triage_bench"
OPEN_STATES = ["submitted", "registered", "dispatched", "in_progress"]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


def bench_training(n: int, runs: int) -> None:
    from wenming.triage import learn, synthetic
    from wenming.triage.text import document

    started = time.perf_counter()
    samples = synthetic.generate(n, seed=1)
    docs = [document(s.title, s.description, s.region_codes) for s in samples]
    labels = {"category": [s.category for s in samples], "unit": [s.unit for s in samples]}
    print(f"generated {n:,} synthetic cases in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    model, report = learn.train_calibrated(docs, labels, seed=0)
    took = time.perf_counter() - started
    cat, unit = report["targets"]["category"], report["targets"]["unit"]
    print(
        f"training (fit 80 % + evaluate/calibrate on 20 %"
        f"{' + refit 100 %' if report['refit'] else ''}): {took:.1f} s  target < 300 s"
        f"\n  held-out category accuracy {cat['accuracy']:.3f}, macro-F1 {cat['macro_f1']:.3f}, "
        f"top-3 {cat['top3_accuracy']:.3f}; unit accuracy {unit['accuracy']:.3f}"
    )
    heldout = synthetic.generate(runs, seed=7, phrasing="heldout")
    hd = [document(s.title, s.description, s.region_codes) for s in heldout]
    for doc in hd[:50]:
        model.predict_one(doc)  # warm-up
    times, cpu, hits = [], [], 0
    for doc, s in zip(hd, heldout, strict=True):
        t, c = time.perf_counter(), time.thread_time()
        result = model.predict_one(doc)
        cpu.append(time.thread_time() - c)
        times.append(time.perf_counter() - t)
        hits += s.category in [k for k, _ in result["category"]]
    print(
        f"prediction per case ({runs} held-out phrasings): p50 {pct(times, 50):.2f} ms, "
        f"p99 {pct(times, 99):.2f} ms  target p99 < 10 ms; top-3 hit rate {hits / runs:.3f}"
        f"\n  CPU time of the call: p50 {pct(cpu, 50):.2f} ms, p99 {pct(cpu, 99):.2f} ms "
        "(wall minus CPU: waiting for a core)"
    )


def _fill(n: int) -> None:
    from django.db import connection

    from wenming.cases.models import Category
    from wenming.org.models import Region
    from wenming.triage import synthetic

    rng = random.Random(2026)
    started = time.perf_counter()
    minors = {f"{c.kind}:{c.code}": c.pk for c in Category.objects.filter(parent__isnull=False)}
    texts: dict[str, list[tuple[str, str]]] = {}
    for s in synthetic.balanced(40, seed=5):
        texts.setdefault(s.category, []).append((s.title, s.description.replace("\t", " ")))
    keys = [k for k in texts if k in minors]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(keys))]
    grids = list(Region.objects.filter(level="grid", centroid_lat__isnull=False))
    districts = list(Region.objects.filter(level="district", centroid_lat__isnull=False))
    now = datetime.now(UTC)
    rows = []
    for i in range(1, n + 1):
        key = rng.choices(keys, weights)[0]
        title, description = rng.choice(texts[key])
        region = rng.choice(grids) if rng.random() < 0.75 else rng.choice(districts)
        lat = region.centroid_lat + rng.uniform(-0.0036, 0.0036)
        lon = region.centroid_lon + rng.uniform(-0.0047, 0.0047)
        reported = now - timedelta(seconds=rng.uniform(0, 90 * 86400))
        stamp = reported.isoformat()
        row: dict[str, Any] = dict.fromkeys(CASE_COLUMNS)
        row.update(
            id=i, code=f"TB{i:010d}", channel="hotline", state=rng.choice(OPEN_STATES), version=1,
            last_action="", reporter_name="", is_anonymous="f", title=title,
            description=description, category_id=minors[key], nature="complaint",
            urgency="normal", lat=lat, lon=lon, address="", region_id=region.pk, is_public="t",
            rework_count=0, supervision_level=0, warning_level=0, reported_at=stamp,
            suspended_total="0", created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        row.update(dict.fromkeys(PHONE_COLUMNS, ""))  # no reporter phone
        rows.append([row[c] for c in CASE_COLUMNS])
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(
            f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN"
        ) as copy:
            for start in range(0, n, 100_000):
                copy.write(_copy_text(rows[start : start + 100_000]))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))"
        )
        cursor.execute("VACUUM (ANALYZE) cases_case")
    print(
        f"filled {n:,} open cases in {time.perf_counter() - started:.0f} s (generate {generated:.0f} s)"
    )


def _probes(n: int) -> list[Any]:
    from wenming.cases.models import Case

    latest = Case.objects.order_by("-reported_at").values_list("reported_at", flat=True)[0]
    rows = Case.objects.filter(reported_at__gte=latest - timedelta(days=7), lat__isnull=False)
    return list(rows.select_related("category", "region").order_by("?")[:n])


def _measure(probes: list[Any]) -> None:
    from wenming.triage import duplicates

    for case in probes[:10]:
        duplicates.duplicate_candidates(case=case)  # warm-up
    times, cpu, found = [], [], []
    for case in probes:
        t, c = time.perf_counter(), time.thread_time()
        found.append(len(duplicates.duplicate_candidates(case=case)))
        cpu.append(time.thread_time() - c)
        times.append(time.perf_counter() - t)
    print(
        f"duplicate search: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms"
        f"  target p95 < 50 ms; candidates per case: mean {statistics.mean(found):.1f}"
        f"\n  CPU time in Python: p50 {pct(cpu, 50):.1f} ms, p95 {pct(cpu, 95):.1f} ms"
    )


def _explain(probes: list[Any]) -> None:
    """PostgreSQL's own execution time of every probe's query, and the slowest one's plan."""
    from wenming.triage import duplicates
    from wenming.triage.models import TriageSettings

    knobs = TriageSettings.current()
    plans = []
    for probe in probes:
        major = probe.category.parent_id if probe.category else None
        plan = duplicates._pool(probe, major, knobs).explain(analyze=True, buffers=True)
        plans.append((float(plan.split("Execution Time: ")[1].split(" ms")[0]) / 1000, plan))
    times = [t for t, _ in plans]
    print(
        f"  the query in PostgreSQL (EXPLAIN ANALYZE): p50 {pct(times, 50):.1f} ms, "
        f"p95 {pct(times, 95):.1f} ms, max {max(times) * 1000:.1f} ms"
    )
    print("\nquery plan of the slowest search:\n" + max(plans)[1])


def bench_duplicates(args: argparse.Namespace) -> None:
    fresh = database_create(args.db_url, reuse=args.reuse)
    django_setup(args.db_url)
    from django.core.management import call_command
    from django.db import connection

    from wenming.cases.models import Case
    from wenming.cases.seed import seed_demo as seed_catalogue
    from wenming.org.seed import seed_demo as seed_org
    from wenming.triage.models import TriageSettings

    try:
        call_command("migrate", verbosity=0, skip_checks=True)
        if not fresh:  # a new index from the migration needs its statistics
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_case")
        if fresh:
            seed_org()  # regions, units; then the catalogue and routing rules: all it needs
            seed_catalogue()
            _fill(args.cases)
        probes = _probes(args.dup_runs)
        knobs = TriageSettings.current()
        print(
            f"\nPostgreSQL {connection.pg_version}, {Case.objects.count():,} open cases; "  # type: ignore[attr-defined]
            f"radius {knobs.duplicate_radius_m} m, window {knobs.duplicate_window_days} days; "
            f"{len(probes)} cases of the last week, query + scoring"
        )
        _measure(probes)
        _explain(probes)
    finally:
        if not args.keep:
            database_drop(args.db_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=100_000)
    parser.add_argument("--predict-runs", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--dup-runs", type=int, default=300)
    parser.add_argument("--db-url", default=os.environ.get("WM_TRIAGE_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--skip-db", action="store_true", help="training and prediction only")
    parser.add_argument("--skip-train", action="store_true", help="duplicate search only")
    parser.add_argument("--reuse", action="store_true", help="keep an existing filled database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()
    if not args.skip_db:  # before django.setup(): settings read it once
        os.environ["DATABASE_URL"] = args.db_url
    if not args.skip_train:
        import django

        django.setup()
        bench_training(args.train, args.predict_runs)
    if not args.skip_db:
        bench_duplicates(args)


if __name__ == "__main__":
    main()
