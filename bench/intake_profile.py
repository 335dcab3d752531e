"""CPU per anonymous API submission, measured in-process, and its SQL statements.

    .venv/bin/python bench/intake_profile.py [--requests 300] [--reuse] [--keep]
                                             [--profile json|photo] [--top 30]
                                             [--instructions [--kind json|photo]]
                                             [--db-url postgres://postgres@127.0.0.1:5432/wm_intake_prof]

Requests come from many client addresses with the default rate limits, as in bench/intake.py.
Runs the whole Django stack (middleware, DRF, the service, PostgreSQL) through a WSGI handler
in this process — no socket, no client threads — and prints, per kind (JSON; multipart with a
60 KB JPEG), the process CPU time per request (`time.process_time`, which other processes on
the machine change much less than wall-clock time), the wall time, and the SQL statements of
one submission with their text, and the CPU time of the PostgreSQL backend serving the
connection per request (read from /proc: the server must run on this machine). `--profile KIND` prints
the cProfile top functions (cumulative) for that kind.

`--instructions` counts instead the machine instructions this process executes per request
(valgrind's callgrind, counting only during the measured requests; Debian package valgrind,
installed when missing). Unlike CPU time, the count does not change with the machine's speed
or its neighbours (two runs on one database agree to about 1 %; a new database moves it by
about 3 %, so give each version its own new database), so it compares two versions of the
code on a machine whose speed swings. It leaves out PostgreSQL's work and runs some 50 times slower:
use about 100 --requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from intake import (  # noqa: E402
    PROXY_HEADERS,
    citizen_address,
    debian_tool,
    multipart,
    reference,
    small_jpeg,
)
from worklist import database_create, database_drop, django_setup, seed_available  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_intake_prof"


def environ(body: bytes, content_type: str, address: str) -> dict[str, Any]:
    headers = {"Idempotency-Key": uuid.uuid4().hex, "Accept-Language": "en", **PROXY_HEADERS}
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/cases/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": address,  # many citizens, as bench/intake.py: none reaches its limit
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


class Poster:
    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.categories, self.points, _ = reference()
        self.photo = small_jpeg()
        self.n = 0

    def body(self, kind: str) -> tuple[bytes, str]:
        self.n += 1
        lat, lon = self.points[self.n % len(self.points)]
        fields = {
            "description": f"小区门口垃圾堆放，已经好几天了（剖析 {self.n}）",
            "category": self.categories[self.n % len(self.categories)],
            "lat": lat,
            "lon": lon,
            "address": "青山路街道钢铁大街88号附近",
            "reporter_phone": f"139{self.n:08d}",
        }
        if kind == "photo":
            return multipart(fields, self.photo)
        return json.dumps(fields).encode(), "application/json"

    def post(self, kind: str) -> None:
        status: list[str] = []
        request = environ(*self.body(kind), citizen_address(self.n))
        result = self.handler(request, lambda s, h: status.append(s))
        b"".join(result)
        getattr(result, "close", lambda: None)()
        if not status[0].startswith("201"):
            raise SystemExit(f"{kind}: {status[0]} {b''.join(result)[:500]!r}")


def backend_cpu() -> tuple[int, float]:
    """The PostgreSQL backend serving this process's connection, and its CPU seconds so far
    (from /proc: the server runs on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_up(poster: Poster, kind: str) -> None:
    """Requests left out of the figures: imports, caches, the connection."""
    for _ in range(10):
        poster.post(kind)


def counted(poster: Poster, kind: str, requests: int) -> None:
    """The requests with callgrind counting (this process runs under valgrind): warm-up and
    set-up are left out."""
    warm_up(poster, kind)
    toggle = ["callgrind_control", "--instr"]
    subprocess.run([*toggle, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(requests):
        poster.post(kind)
    subprocess.run([*toggle, "off", str(os.getpid())], check=True, capture_output=True)


def instructions(args: argparse.Namespace) -> None:
    """Run this script under callgrind once per kind and print instructions per request."""
    if debian_tool("valgrind", "valgrind", "to count instructions") is None:
        raise SystemExit("valgrind is not installed (Debian package valgrind)")
    kinds = [args.kind] if args.kind else ["json", "photo"]
    for kind in kinds:
        with tempfile.TemporaryDirectory() as scratch:
            run = subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    "--cache-sim=no",
                    "--instr-atstart=no",
                    f"--callgrind-out-file={scratch}/callgrind.out",
                    sys.executable,
                    __file__,
                    "--counted-run",
                    kind,
                    "--requests",
                    str(args.requests),
                    "--db-url",
                    args.db_url,
                    "--reuse",
                    "--keep",
                ],
                capture_output=True,
                text=True,
            )
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode or not found:
            raise SystemExit(f"the counted run failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        per_request = int(found.group(1)) / args.requests / 1e6
        print(f"{kind:5}  {per_request:6.2f} million instructions/request (Python process)")


def measure(poster: Poster, kind: str, requests: int) -> tuple[float, float, float]:
    """Per request: this process's CPU, the wall time and the PostgreSQL backend's CPU (ms)."""
    warm_up(poster, kind)
    pid, pg_cpu = backend_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        poster.post(kind)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pid_after, pg_after = backend_cpu()
    if pid_after != pid:
        raise SystemExit("the database connection was replaced during the run: fewer --requests")
    return cpu * 1000 / requests, wall * 1000 / requests, (pg_after - pg_cpu) * 1000 / requests


def statements(poster: Poster, kind: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        poster.post(kind)
    return [q["sql"] for q in captured.captured_queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db-url", default=os.environ.get("WM_INTAKE_PROF_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="use an existing seeded database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--profile", choices=["json", "photo"])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", help="also write the profile to this file (pstats format)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (callgrind) instead"
    )
    parser.add_argument("--kind", choices=["json", "photo"], help="with --instructions: one kind")
    parser.add_argument("--counted-run", choices=["json", "photo"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instructions:
        if not args.reuse:  # seed the database once, outside valgrind
            subprocess.run(
                [sys.executable, __file__, "--requests", "10", "--db-url", args.db_url, "--keep"],
                check=True,
                capture_output=True,
            )
        instructions(args)
        if not args.keep:
            django_setup(args.db_url)
            database_drop(args.db_url)
        return

    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    os.environ.setdefault("WENMING_MEDIA_ROOT", tempfile.mkdtemp(prefix="wm-intake-prof-"))
    new = database_create(args.db_url, reuse=args.reuse)
    django_setup(args.db_url)
    from django.conf import settings
    from django.core.management import call_command

    from wenming.core.seed import seed_demo_city

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("createcachetable")  # as `wenming serve` does (WENMING_CACHE=database)
    if new:
        seed_available(seed_demo_city)
    poster = Poster()
    if args.counted_run:
        counted(poster, args.counted_run, args.requests)
        return
    for kind in ("json", "photo"):
        cpu, wall, pg_cpu = measure(poster, kind, args.requests)
        sql = statements(poster, kind)
        print(
            f"{kind:5}  CPU {cpu:6.2f} ms/request  PostgreSQL {pg_cpu:5.2f} ms  "
            f"wall {wall:6.2f} ms  SQL {len(sql)} statements"
        )
        for text in sql:
            print(f"         {text[:150]}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU only: waits do not count
        profiler.enable()
        for _ in range(args.requests):
            poster.post(args.profile)
        profiler.disable()
        if args.dump:
            profiler.dump_stats(args.dump)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    if not args.keep:
        database_drop(args.db_url)


if __name__ == "__main__":
    main()
