"""Fault: PostgreSQL restarts in the middle of a load of report submissions. Every report
that got a success answer is in the database afterwards; the others got a clear error (503,
"nothing was saved") or no answer at all; and submissions work again after the restart.

Runs against a private cluster (tests/faults/conftest.py) and a real gunicorn with 2 workers."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from .conftest import Cluster, _free_port

ROOT = Path(__file__).resolve().parents[2]
SETUP = (
    "import django; django.setup();"
    "from django.core.management import call_command; call_command('migrate', verbosity=0);"
    "from wenming.org.seed import seed_demo as org; org();"
    "from wenming.cases.seed import seed_demo as cases; cases()"
)


def server_env(url: str, media: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "wenming.settings"}
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        WENMING_MEDIA_ROOT=str(media),
        WENMING_API_ANON_RATE="100000000/minute",
        WENMING_API_ANON_SUBMIT_RATE="100000000/minute",
        LOG_LEVEL="CRITICAL",
    )
    return env


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Language": "en"})
    response = conn.getresponse()
    return response.status, response.read()


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    argv = [sys.executable, "-m", "wenming.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*argv, "--workers", "2"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/api/v1/categories/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("the server did not start")


class Reporters:
    """Client threads submitting reports; remembers each answer."""

    def __init__(self, port: int, category: int) -> None:
        self.port, self.category = port, category
        self.lock = threading.Lock()
        self.saved: list[str] = []  # codes of the reports answered 201
        self.refused: Counter[str] = Counter()  # clear errors, by error code
        self.other: Counter[str] = Counter()  # anything else: must stay empty
        self.lost = 0  # no answer (connection dropped): the client cannot know, may retry
        self.stop = threading.Event()

    def submit(self, conn: http.client.HTTPConnection, n: int) -> None:
        body = {
            "description": f"井盖破损，行人容易绊倒（故障测试 {n}）",
            "category": self.category,
            "address": "青山路街道钢铁大街88号附近",
        }
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex,
            "Accept-Language": "en",
        }
        conn.request("POST", "/api/v1/cases/", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        data = response.read()
        with self.lock:
            if response.status == 201:
                self.saved.append(json.loads(data)["code"])
            elif response.status == 503 and json.loads(data)["error"]["message"]:
                self.refused[json.loads(data)["error"]["code"]] += 1
            else:
                self.other[f"{response.status} {data[:200]!r}"] += 1

    def client(self, index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = index
        while not self.stop.is_set():
            try:
                self.submit(conn, n)
            except (OSError, http.client.HTTPException):
                conn.close()
                with self.lock:
                    self.lost += 1
            n += 1000


def stored_codes(url: str) -> set[str]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return {row[0] for row in conn.execute("SELECT code FROM cases_case")}


@pytest.mark.postgres
def test_reports_survive_a_database_restart(private_postgres: Cluster, tmp_path: Path) -> None:
    cluster = private_postgres
    cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "wm")
    url = cluster.url("wm")
    env = server_env(url, tmp_path / "media")
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=300)
    port = _free_port()
    server = start_server(port, env)
    try:
        categories = json.loads(get(port, "/api/v1/categories/")[1])
        items = categories["results"] if isinstance(categories, dict) else categories
        category = items[0]["id"]  # the API lists the minor classes a report may take
        reporters = Reporters(port, category)
        threads = [threading.Thread(target=reporters.client, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        before = len(reporters.saved)
        cluster.pg_ctl("restart")  # fast shutdown: open transactions are cut off
        time.sleep(1)
        cluster.pg_ctl("restart")
        time.sleep(3)
        reporters.stop.set()
        for thread in threads:
            thread.join(60)
        after = len(reporters.saved)
    finally:
        server.terminate()
        server.wait(30)
    assert before > 0 and after > before + 10  # it worked before and works again after
    assert reporters.refused or reporters.lost  # the restarts did hit requests
    assert not reporters.other, reporters.other  # no 500s, no unexplained answers
    assert set(reporters.refused) <= {"unavailable"}
    missing = set(reporters.saved) - stored_codes(url)
    assert not missing, f"{len(missing)} reports answered 201 are not in the database"
    print(  # noqa: T201 — the figures, for the record
        f"saved {after}, refused with 503 {sum(reporters.refused.values())}, "
        f"no answer {reporters.lost}"
    )
