"""Staff console queries over a million cases on PostgreSQL: queues, worklists and search.

    .venv/bin/python bench/worklist.py [--cases 1000000] [--runs 200] [--db-url URL]
                                       [--reuse] [--keep] [--explain-slow]

Creates its own database (default postgres://postgres@127.0.0.1:5432/wm_bench; dropped at
the end unless --keep), migrates it, seeds the demo city (wenming.core.seed.seed_demo_city)
and fills it with --cases generated cases through COPY. Then it times each query of the
staff console the way the console evaluates it (the paginator's count, then the first page:
25 rows of a queue, 50 of the search): warm-up runs first, then p50/p95 over --runs runs.
Target (issue #3): p95 < 50 ms.
--reuse keeps an already filled database of the same size (still migrates it, so new indexes
apply); --explain-slow prints EXPLAIN (ANALYZE, BUFFERS) of the queries that miss the target.

What is generated (see `Generator`): reported_at over the last two years, volume growing
over time, mostly in the daytime; regions: 75 % in the 288 grids of 青山区 (location = the
grid's centroid, jittered), 20 % in the other districts (their centroid), 5 % without a
location (the city); minor categories with a Zipf-like spread; the unit from the demo routing
rules (wenming.cases.routing.unit_for; the region's district government when no rule
matches); channels (hotline 45 %, snapshot 30 %, patrol 10 %, inspection 8 %, board 4 %,
api 2 %, open311 1 %); states by age: cases older than 30 days are closed (≈95 %), rejected or
merged, except ≈0.3 % stuck open (overdue); recent cases are open with a probability that
decays with age, in a stage that follows their age (submitted, registered — 10 % of them
returned —, dispatched, in progress — some in rework —, handled, verified). Stage times and
deadlines follow from reported_at (sign 2 h, handle 3 days, 1 day if urgent, verify 1 day,
in wall-clock time, not working time); warning levels follow the deadlines (red when
overdue, yellow when less than half a day is left; 3 % of closed cases stayed red). Events:
every case gets its `submit` event, and every case past `submitted` an event for the move that
brought it to its current state (≈2 events per case).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_bench"
TARGET_MS = 50.0
PAGE_SIZE = 50


# ---------------------------------------------------------------- database


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def database_create(url: str, *, reuse: bool) -> bool:
    """Create the benchmark database (dropping an old one unless reusing). True if new."""
    import psycopg

    admin, name = _admin_url(url)
    if name in ("", "postgres", "wenming_ci"):
        raise SystemExit(f"refusing to use the database {name!r}")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def database_drop(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    # As in production (DEBUG on keeps a log of every query with its SQL text).
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


from wenming.core.generate import fill  # noqa: E402

# ---------------------------------------------------------------- queries


def evaluate(rows: Any) -> int:
    """What a console page does with a list: the Paginator's count, then the first page.
    `rows` is a queryset (Django's Paginator) or the console's CappedPaginator."""
    from django.core.paginator import Paginator

    paginator = rows if isinstance(rows, Paginator) else Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(1)
    return len(page.object_list)  # the count ran inside get_page (num_pages)


def found(rows: Any) -> str:
    """The count the page shows: "10,000+" past the cap."""
    from django.core.paginator import Paginator

    if isinstance(rows, Paginator):
        return f"{rows.count:,}{'+' if getattr(rows, 'count_capped', False) else ''}"
    return f"{rows.count():,}"


def samples() -> dict[str, Any]:
    """Realistic filter values taken from the data itself."""
    from django.db.models import Count

    from wenming.cases.models import Case, Category
    from wenming.org.models import Membership, Region

    recent = Case.objects.order_by("-reported_at").values_list("code", flat=True)[5000]
    # Phones are stored encrypted: group by their keyed hash, then decrypt one of them.
    frequent = (
        Case.objects.exclude(reporter_phone_hash="")
        .values("reporter_phone_hash")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("reporter_phone_hash", flat=True)[50]
    )
    phone = Case.objects.filter(reporter_phone_hash=frequent).first().reporter_phone
    major = (
        Category.objects.filter(parent__isnull=True)
        .annotate(n=Count("children__cases"))
        .order_by("-n")
        .first()
    )
    street = Region.objects.get(code="150204001000")
    unit = Membership.objects.filter(user__username="handler").values_list("unit", flat=True)[0]
    return {
        "code": recent[:10],
        "phone": phone,
        "major": major.pk,
        "street": street.code,
        "unit": unit,
    }


def queries() -> list[tuple[str, Callable[[], Any]]]:
    """(name, a function returning the queryset) for every console query measured."""
    from django.contrib.auth.models import User

    from wenming.cases import selectors as s
    from wenming.cases.models import RequestStatus
    from wenming.cases.selectors import CaseFilters as F
    from wenming.cases.views.common import queue_paginator as queue
    from wenming.core.paging import CappedPaginator

    users = {
        u.username: u
        for u in User.objects.filter(username__in=["dispatcher", "handler", "inspector"])
    }
    d, h = users["dispatcher"], users["handler"]
    v = samples()
    today = date.today()
    month_ago = today - timedelta(days=30)
    quarter = today - timedelta(days=90)
    two_years = today - timedelta(days=731)

    def search(filters: F, sort: str = "-reported") -> Callable[[], Any]:
        # As the console's search page: capped count, paged as selectors.search_paging says.
        return lambda: CappedPaginator(
            s.cases_search(d, filters, sort=sort),
            PAGE_SIZE,
            **s.search_paging(d, filters, sort=sort),
        )

    return [
        ("dispatcher: to register", lambda: queue(s.queue_to_register(d))),
        ("dispatcher: to dispatch", lambda: queue(s.queue_to_dispatch(d))),
        ("dispatcher: returned", lambda: queue(s.queue_returned(d))),
        ("dispatcher: overdue", lambda: queue(s.queue_overdue(d))),
        (
            "dispatcher: requests",
            lambda: queue(s.requests_waiting(d, status=RequestStatus.PENDING_DISPATCHER)),
        ),
        ("inspector: to verify", lambda: queue(s.queue_to_verify(users["inspector"]))),
        ("unit: to sign", lambda: queue(s.worklist(h, tab="to_sign"))),
        ("unit: in progress", lambda: queue(s.worklist(h, tab="in_progress"))),
        ("unit: due soon", lambda: queue(s.worklist(h, tab="due_soon"))),
        ("unit: rework", lambda: queue(s.worklist(h, tab="rework"))),
        ("search: no filter (page opened)", search(F())),
        (f"search: code prefix {v['code']}", search(F(code=v["code"]))),
        ("search: phone (full number)", search(F(phone=v["phone"]))),
        ("search: phone, last 4 digits (all time)", search(F(phone=v["phone"][-4:]))),
        ("search: phone, 3 digits (default: 30 days)", search(F(phone=v["phone"][-3:]))),
        ("search: text 垃 (1 character, default: 30 days)", search(F(text="垃"))),
        ("search: text 垃圾 (default: 30 days)", search(F(text="垃圾"))),
        ("search: text 垃圾, 30 days (dates given)", search(F(text="垃圾", date_from=month_ago))),
        ("search: text 垃圾, 90 days (dates given)", search(F(text="垃圾", date_from=quarter))),
        ("search: text 垃圾, two years (dates given)", search(F(text="垃圾", date_from=two_years))),
        ("search: text 乱停放 (3 characters, 30 days)", search(F(text="乱停放"))),
        ("search: text 噪音扰民 (4 characters, 30 days)", search(F(text="噪音扰民"))),
        ("search: text 22号附近 (digits + Chinese, 30 days)", search(F(text="22号附近"))),
        ("search: text LED屏 (no match, 30 days)", search(F(text="LED屏"))),
        ("search: category + state", search(F(category=v["major"], state="in_progress"))),
        (
            "search: region + 30 days",
            search(F(region=v["street"], date_from=month_ago, date_to=today)),
        ),
        ("search: overdue, by due date", search(F(overdue=True), sort="due")),
        (
            "search: channel + 30 days, by code",
            search(F(channel="board", date_from=month_ago), sort="code"),
        ),
        ("search: 30 days, by code", search(F(date_from=month_ago), sort="code")),
        ("search: state in progress, by code", search(F(state="in_progress"), sort="code")),
        ("search: unit + 30 days", search(F(unit=v["unit"], date_from=month_ago))),
        (
            "search: unit + state, by due date",
            search(F(unit=v["unit"], state="in_progress"), sort="due"),
        ),
        ("search: region (street) + state", search(F(region=v["street"], state="closed"))),
    ]


def measure(make: Callable[[], Any], runs: int, warmup: int = 5) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, runs) of evaluate(make()); slow queries get fewer runs (≥ 20)."""
    spent = []
    for _ in range(warmup):
        started = time.perf_counter()
        evaluate(make())
        spent.append(time.perf_counter() - started)
    if statistics.median(spent) > 0.2:
        runs = min(runs, 20)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        evaluate(make())
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], runs


def explain(make: Callable[[], Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        evaluate(make())
    for query in captured.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("    " + query["sql"][:400])
            for (line,) in cursor.fetchall():
                print("      " + line)


def bench(runs: int, explain_slow: bool, only: str, *, explain_all: bool = False) -> None:
    results = []
    for name, make in queries():
        if only and only not in name:
            continue
        p50, p95, n = measure(make, runs)
        rows = found(make())
        results.append((name, make, p50, p95, n, rows))
        print(
            f"{name:<46} {rows:>9} {p50:>9.1f} {p95:>9.1f} {n:>5}  {'yes' if p95 < TARGET_MS else 'NO'}",
            flush=True,
        )
    met = sum(p95 < TARGET_MS for *_x, p95, _n, _r in results)
    print(f"\n{met} of {len(results)} queries meet p95 < {TARGET_MS:.0f} ms")
    if explain_slow or explain_all:
        for name, make, _p50, p95, _n, _rows in results:
            if p95 >= TARGET_MS or explain_all:
                print(f"\n== EXPLAIN (ANALYZE, BUFFERS): {name}")
                explain(make)


def seed_available(seed: Callable[[], None]) -> None:
    """seed_demo_city, skipping seeders of apps still being written (they cannot be imported
    yet); the benchmark needs only the org and cases seeds."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    usable = []
    for dotted in settings.WENMING_DEMO_SEEDERS:
        try:
            import_string(dotted)
            usable.append(dotted)
        except ImportError:
            print(f"skipping the seeder {dotted} (cannot be imported)")
    settings.WENMING_DEMO_SEEDERS = usable
    seed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--db-url", default=os.environ.get("WM_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep an existing filled database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--explain-slow", action="store_true", help="EXPLAIN the slow queries")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every query run")
    parser.add_argument("--only", default="", help="run only queries whose name contains this")
    args = parser.parse_args()

    fresh = database_create(args.db_url, reuse=args.reuse)
    django_setup(args.db_url)
    from django.core.management import call_command
    from django.db import connection

    from wenming.cases.models import Case
    from wenming.core.seed import seed_demo_city

    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    if fresh:
        seed_available(seed_demo_city)
        print(f"migrated and seeded the demo city in {time.perf_counter() - started:.0f} s")
        fill(args.cases)
    elif (count := Case.objects.count()) < args.cases:
        raise SystemExit(
            f"{args.db_url} holds {count:,} cases, fewer than {args.cases:,}: drop --reuse"
        )
    with connection.cursor() as cursor:
        # What autovacuum would have done by now (the CI server runs without it): statistics
        # for the seeded tables (regions, units, categories) and for new index expressions.
        cursor.execute("ANALYZE")
    from wenming.cases.views.common import QUEUE_PAGE_SIZE

    print(
        f"\nPostgreSQL {connection.pg_version}, {args.cases:,} cases; "  # type: ignore[attr-defined]
        f"count + first page (queues {QUEUE_PAGE_SIZE}, search {PAGE_SIZE} rows), "
        f"{args.runs} runs after 5 warm-up runs"
    )
    print(f"{'query':<46} {'rows':>9} {'p50 ms':>9} {'p95 ms':>9} {'runs':>5}  p95<{TARGET_MS:.0f}")
    try:
        bench(args.runs, args.explain_slow, args.only, explain_all=args.explain)
    finally:
        if not args.keep:
            database_drop(args.db_url)


if __name__ == "__main__":
    main()
