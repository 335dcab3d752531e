"""Job throughput: notifications delivered per second through `wenming worker`, with the
jobs on the database (django-tasks-db) and on Redis (django-tasks-rq).

    .venv/bin/python bench/jobs.py [--notifications 5000] [--workers 2]
                                   [--backend database|redis|both]
                                   [--db-url postgres://postgres@127.0.0.1:5432/wm_jobs]
                                   [--redis-url redis://127.0.0.1:6379/12] [--keep]

Creates its own PostgreSQL database (dropped at the end unless --keep) and migrates it; for
Redis, empties the given Redis database first. With WENMING_NOTIFY_VIA_QUEUE on, each
`notify()` queues one `notify.tasks.deliver` job per 50 email deliveries (the sender is the
console sender with logging at WARNING, so the figure is the job machinery, not an SMTP
server). It creates --notifications notifications in batches of 100 (and prints that rate:
inbox rows + deliveries + queued jobs), then starts --workers `wenming worker` processes and
measures how long they take until every delivery is sent: deliveries per second. The
workers' periodic sweep (every 10 s) also sends due deliveries; it competes with the queue as
it does in production.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from worklist import database_create, database_drop  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_jobs"


def environment(db_url: str, backend: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="wenming.settings",
        PYTHONPATH=str(ROOT),
        WENMING_TASK_BACKEND=backend,
        WENMING_NOTIFY_VIA_QUEUE="1",
        WENMING_NOTIFY_CHANNELS="email",
        WENMING_EMAIL_SENDER="wenming.notify.senders.ConsoleSender",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    if backend == "redis":
        env["REDIS_URL"] = redis_url
    return env


def run(backend: str, args: argparse.Namespace) -> None:
    env = environment(args.db_url, backend, args.redis_url)
    os.environ.update(env)
    if backend != "redis":
        os.environ.pop("REDIS_URL", None)
    script = f"""
import time, django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import User
from django.db import transaction
from wenming.notify.models import Delivery
from wenming.notify.services import notify
call_command("migrate", verbosity=0)
if {backend!r} == "redis":
    import django_rq
    django_rq.get_connection("default").flushdb()
Delivery.objects.all().delete()
users = [User.objects.get_or_create(username=f"bench{{i}}", defaults={{"email": f"b{{i}}@example.cn"}})[0]
         for i in range(100)]
started = time.perf_counter()
for start in range(0, {args.notifications}, 100):
    with transaction.atomic():
        notify(recipients=users[: min(100, {args.notifications} - start)], kind="case", title="压测通知")
spent = time.perf_counter() - started
print(f"  queued {{Delivery.objects.count():,}} deliveries in {{spent:.1f}} s "
      f"({{Delivery.objects.count() / spent:,.0f}}/s, inbox + outbox + jobs)")
"""
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    import psycopg

    url = args.db_url.replace("postgres://", "postgresql://")
    worker = [sys.executable, "-m", "wenming.cli", "worker", "--interval", "0.05"]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(args.workers)
    ]
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                left = conn.execute(
                    "SELECT count(*) FROM notify_delivery WHERE status <> 'sent'"
                ).fetchone()[0]  # type: ignore[index]
                if left == 0:
                    break
                time.sleep(0.05)
            total = conn.execute("SELECT count(*) FROM notify_delivery").fetchone()[0]  # type: ignore[index]
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(30)
    spent = time.perf_counter() - started  # includes the workers' start-up (about 1–2 s)
    print(
        f"  {backend}: {total:,} deliveries sent by {args.workers} worker(s) in {spent:.1f} s "
        f"= {total / spent:,.0f} deliveries/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["database", "redis", "both"], default="both")
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    database_create(args.db_url, reuse=False)
    try:
        for backend in ["database", "redis"] if args.backend == "both" else [args.backend]:
            run(backend, args)
    finally:
        if not args.keep:
            database_drop(args.db_url)


if __name__ == "__main__":
    main()
