"""Case intake through the REST API on loopback, against PostgreSQL, with a raw-insert baseline.

    .venv/bin/python bench/intake.py [--seconds 60] [--clients 4] [--workers 2]
                                     [--server gunicorn|runserver] [--db-url URL] [--keep]
                                     [--production] [--redis [URL]]

Creates its own database (default postgres://postgres@127.0.0.1:5432/wm_intake; dropped at
the end unless --keep), migrates it and seeds the demo city. Starts the server on a free
loopback port — gunicorn (`wenming serve --workers N`, gthread workers of 4 threads unless
--threads says otherwise; --threads 1: sync workers) or Django's runserver —
with DEBUG off, media in a temporary directory and the default anonymous rate limits. The
load comes as from many citizens behind nginx: each request carries the X-Forwarded-For
address nginx appends, one of 20,000 (WENMING_NUM_PROXIES=1, as in deploy/), so that no
address reaches its limit (20 submissions a minute) at 300 requests/s. Then --clients connections (wrk, or Python threads with
--client python) POST citizen reports anonymously to /api/v1/cases/ for --seconds seconds,
each with its own Idempotency-Key: half as JSON, half as multipart with a small JPEG photo
(checked in the request, re-encoded later by the intake job; no worker runs here). It prints the
sustained rate of successful requests and the p50/p95/p99 latency, overall and per kind.

The baseline then writes the same rows again (the cases, their events, photo rows and
idempotency keys that the API stored, with new codes) straight through psycopg from the same
number of threads, one transaction per case, and prints its rate and the API/raw ratio.
With --production the server is `wenming serve --production` (WENMING_PRODUCTION on: DEBUG
off, secure cookies, a SECRET_KEY, ALLOWED_HOSTS and a field key generated for the run) and the
clients send the headers nginx adds (X-Forwarded-Proto: https), as in deploy/.
Target (issue #4): ≥ 300 requests/s with p99 < 150 ms on 2 cores. The client threads run on
the same machine and take CPU from the server.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from worklist import database_create, database_drop, django_setup, seed_available  # noqa: E402

from wenming.core.management.commands.serve import THREADS as SERVE_THREADS  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wm_intake"
TARGET_RPS, TARGET_P99_MS = 300, 150.0
PATH = "/api/v1/cases/"
# In production mode the site expects nginx in front (deploy/): it says the request came
# over HTTPS, which the settings trust from 127.0.0.1. Sent always; ignored outside production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
# The citizens' addresses the load comes from (X-Forwarded-For, as nginx appends it).
ADDRESSES = 20_000


def citizen_address(n: int) -> str:
    k = n % ADDRESSES
    return f"10.{k >> 16}.{(k >> 8) & 255}.{k & 255}"


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_start(
    kind: str,
    port: int,
    workers: int,
    env: dict[str, str],
    *,
    production: bool = False,
    threads: int = SERVE_THREADS,
) -> subprocess.Popen:
    wenming = [sys.executable, "-m", "wenming.cli"]
    if kind == "gunicorn":
        argv = [*wenming, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        argv += ["--threads", str(threads)]
        argv += ["--production"] if production else []
    else:
        argv = [*wenming, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/categories/", headers=PROXY_HEADERS)
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not answer within 120 s")


def production_env() -> dict[str, str]:
    """What `wenming serve --production` insists on (wenming.core.production)."""
    from cryptography.fernet import Fernet

    return {
        "WENMING_PRODUCTION": "1",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "WENMING_FIELD_KEY": Fernet.generate_key().decode(),
    }


def server_env(url: str, media: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="wenming.settings",
        DEBUG="0",
        WENMING_MEDIA_ROOT=media,
        WENMING_NUM_PROXIES="1",  # the client's address from X-Forwarded-For
        LOG_LEVEL="WARNING",
    )
    return env


# ---------------------------------------------------------------- load


def small_jpeg() -> bytes:
    """A 640×480 JPEG of about 60 KB, like a phone photo scaled down by the client."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (120, 160, 200))
    draw = ImageDraw.Draw(image)
    for i in range(0, 640, 16):
        draw.line([(i, 0), (640 - i, 480)], fill=(i % 255, 90, 200 - i % 200), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def multipart(fields: dict[str, Any], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Load:
    """Client threads posting reports until the deadline; latencies per kind."""

    def __init__(self, port: int, categories: list[int], points: list[tuple[float, float]]):
        self.port, self.categories, self.points = port, categories, points
        self.photo = small_jpeg()
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"json": [], "photo": []}
        self.statuses: Counter[int] = Counter()

    def body(self, n: int) -> dict[str, Any]:
        lat, lon = self.points[n % len(self.points)]
        return {
            "description": f"小区门口垃圾堆放，已经好几天了（压测 {n}）",
            "category": self.categories[n % len(self.categories)],
            "lat": lat,
            "lon": lon,
            "address": "青山路街道钢铁大街88号附近",
            "reporter_phone": f"139{n % 100_000_000:08d}",
        }

    def request(self, conn: http.client.HTTPConnection, n: int) -> tuple[str, int]:
        kind = "photo" if n % 2 else "json"
        headers = {"Idempotency-Key": uuid.uuid4().hex, "Accept-Language": "en", **PROXY_HEADERS}
        headers["X-Forwarded-For"] = citizen_address(n)
        if kind == "photo":
            data, content_type = multipart(self.body(n), self.photo)
        else:
            data, content_type = json.dumps(self.body(n)).encode(), "application/json"
        headers["Content-Type"] = content_type
        conn.request("POST", PATH, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
        return kind, response.status

    def client(self, index: int, deadline: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = index
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                kind, status = self.request(conn, n)
            except (OSError, http.client.HTTPException):
                conn.close()
                kind, status = "json", 0
            spent = (time.perf_counter() - started) * 1000
            with self.lock:
                self.statuses[status] += 1
                if status in (200, 201):
                    self.latencies[kind].append(spent)
            n += 1_000_003  # distinct bodies across threads

    def run(self, clients: int, seconds: float) -> float:
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self.client, args=(i, deadline), daemon=True)
            for i in range(clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 60)
        return time.perf_counter() - started


def percentiles(values: list[float]) -> str:
    if not values:
        return "no successful requests"
    values = sorted(values)

    def at(p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    return (
        f"p50 {statistics.median(values):6.1f} ms  p95 {at(0.95):6.1f} ms  p99 {at(0.99):6.1f} ms"
    )


# ---------------------------------------------------------------- CPU used


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds used during the run by the server (gunicorn master and workers) and by
    the PostgreSQL backends of the benchmark's database: figures other processes on the
    machine change much less than the wall-clock rate. Sampled every half second, since
    backends come and go (Django closes a connection after CONN_MAX_AGE, 60 s) and a
    before/after difference would miss them: a process first seen during the run counts
    from 0; what one used between its last sample and its exit (< 0.5 s) is missed."""

    def __init__(self, server_pid: int, url: str):
        import psycopg

        self.server_pid, self.name = server_pid, url.rsplit("/", 1)[1]
        self.conn = psycopg.connect(url, autocommit=True)
        self.stopping = threading.Event()
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}

    def _sample(self) -> dict[str, dict[int, float]]:
        backends = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.name],
        )
        server = [self.server_pid, *_children(self.server_pid)]
        return {
            "server": {pid: _cpu_seconds(pid) for pid in server},
            "postgres": {row[0]: _cpu_seconds(row[0]) for row in backends},
        }

    def _merge(self) -> None:
        for kind, seen in self._sample().items():
            self.last[kind].update({pid: cpu for pid, cpu in seen.items() if cpu})

    def _poll(self) -> None:
        while not self.stopping.wait(0.5):
            self._merge()

    def start(self) -> None:
        self.first = self._sample()
        self.last = {kind: dict(seen) for kind, seen in self.first.items()}
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.thread.join()
        self._merge()
        self.conn.close()
        return {
            kind: sum(cpu - self.first[kind].get(pid, 0.0) for pid, cpu in seen.items())
            for kind, seen in self.last.items()
        }


# ---------------------------------------------------------------- wrk client

WRK_SCRIPT = r"""-- generated by bench/intake.py: POST reports of one kind with unique Idempotency-Keys
local kind, prefix, photo_path = "%(kind)s", "%(prefix)s", "%(photo)s"
local categories = {%(categories)s}
local points = {%(points)s}
local boundary = "wmbench%(prefix)s"
local counter, photo = 0, nil

function setup(thread)
  setup_count = (setup_count or 0) + 1
  thread:set("id", setup_count)
end

function init(args)
  if kind == "photo" then
    local f = assert(io.open(photo_path, "rb")); photo = f:read("*a"); f:close()
  end
end

local function address(n)  -- one of %(addresses)d citizens (citizen_address in Python)
  local k = n %% %(addresses)d
  return string.format("10.%%d.%%d.%%d", math.floor(k / 65536), math.floor(k / 256) %% 256, k %% 256)
end

local function fields(n)
  local p = points[n %% #points + 1]
  return {
    {"description", "小区门口垃圾堆放，已经好几天了（压测 " .. n .. "）"},
    {"category", tostring(categories[n %% #categories + 1])},
    {"lat", string.format("%%.7f", p[1])}, {"lon", string.format("%%.7f", p[2])},
    {"address", "青山路街道钢铁大街88号附近"},
    {"reporter_phone", string.format("139%%08d", n %% 100000000)},
  }
end

local function json(list)
  local parts = {}
  for _, kv in ipairs(list) do
    local value = kv[1] == "description" or kv[1] == "address" or kv[1] == "reporter_phone"
    parts[#parts + 1] = string.format(value and '"%%s": "%%s"' or '"%%s": %%s', kv[1], kv[2])
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local function multipart(list)
  local parts = {}
  for _, kv in ipairs(list) do
    parts[#parts + 1] = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="'
      .. kv[1] .. '"\r\n\r\n' .. kv[2] .. "\r\n"
  end
  parts[#parts + 1] = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="photos"; '
    .. 'filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' .. photo .. "\r\n--" .. boundary .. "--\r\n"
  return table.concat(parts)
end

function request()
  counter = counter + 1
  local n = id * 1000003 + counter
  local headers = {
    ["Idempotency-Key"] = prefix .. "-" .. id .. "-" .. counter,
    ["Accept-Language"] = "en", ["X-Forwarded-Proto"] = "https", ["Host"] = "127.0.0.1",
    ["X-Forwarded-For"] = address(n),
  }
  local body
  if kind == "photo" then
    headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
    body = multipart(fields(n))
  else
    headers["Content-Type"] = "application/json"
    body = json(fields(n))
  end
  return wrk.format("POST", "%(path)s", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %%d %%d %%d %%d\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout))
  for i = 1, 999 do
    io.write(string.format("P %%.1f %%d\n", i / 10, latency:percentile(i / 10)))
  end
end
"""


def debian_tool(binary: str, package: str, what: str) -> str | None:
    """The binary, its Debian package installed with apt-get when missing and root."""
    found = shutil.which(binary)
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"installing the Debian package {package} ({what})")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, **quiet)  # type: ignore[call-overload]
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env, **quiet)  # type: ignore[call-overload]
        found = shutil.which(binary)
    return found


class WrkLoad:
    """Two wrk processes, one per kind (JSON; multipart with a JPEG), each with half the
    connections, so latencies are known per kind. wrk is C: it takes far less CPU from the
    server's cores than Python client threads."""

    def __init__(
        self, wrk: str, port: int, categories: list[int], points: list[tuple[float, float]]
    ):
        self.wrk, self.port = wrk, port
        self.folder = Path(tempfile.mkdtemp(prefix="wm-intake-wrk-"))
        (self.folder / "photo.jpg").write_bytes(small_jpeg())
        self.categories, self.points = categories, points
        self.latencies: dict[str, list[tuple[float, float]]] = {"json": [], "photo": []}
        self.counts: dict[str, int] = {"json": 0, "photo": 0}
        self.statuses: Counter[str] = Counter()

    def script(self, kind: str) -> Path:
        path = self.folder / f"{kind}.lua"
        path.write_text(
            WRK_SCRIPT
            % {
                "kind": kind,
                "prefix": uuid.uuid4().hex[:12],
                "photo": self.folder / "photo.jpg",
                "categories": ", ".join(map(str, self.categories)),
                "points": ", ".join(f"{{{lat!r}, {lon!r}}}" for lat, lon in self.points),
                "path": PATH,
                "addresses": ADDRESSES,
            },
            encoding="utf-8",
        )
        return path

    def run(self, clients: int, seconds: float) -> float:
        each = max(1, clients // 2)
        argv = [self.wrk, "-t1", f"-c{each}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        url = f"http://127.0.0.1:{self.port}{PATH}"
        started = time.perf_counter()
        processes = {
            kind: subprocess.Popen(
                [*argv, "-s", str(self.script(kind)), url], stdout=subprocess.PIPE, text=True
            )
            for kind in ("json", "photo")
        }
        self.latencies, self.counts, self.statuses = {"json": [], "photo": []}, {}, Counter()
        for kind, process in processes.items():
            out, _ = process.communicate(timeout=seconds + 120)
            self._read(kind, out)
        return time.perf_counter() - started

    def _read(self, kind: str, out: str) -> None:
        for line in out.splitlines():
            parts = line.split()
            if parts[:1] == ["WRK"]:
                requests, _duration, bad_status, errors = map(int, parts[1:])
                self.counts[kind] = requests - bad_status
                self.statuses["2xx"] += requests - bad_status
                self.statuses["other status"] += bad_status
                self.statuses["socket errors"] += errors
            elif parts[:1] == ["P"] and int(parts[2]) > 0:  # 0: past wrk's histogram
                self.latencies[kind].append((float(parts[1]), int(parts[2]) / 1000))


def quantile(grid: list[tuple[float, float]], p: float) -> float:
    """The latency at percentile p (0–100) from wrk's percentile grid."""
    return next((ms for q, ms in grid if q >= p), grid[-1][1] if grid else float("inf"))


def merged_quantile(
    grids: dict[str, list[tuple[float, float]]], counts: dict[str, int], p: float
) -> float:
    """The percentile p of both kinds together: the smallest latency below which p % of all
    requests fall, each kind weighted by its count (from the per-kind percentile grids)."""
    total = sum(counts.values())
    if not total:
        return float("inf")

    def below(ms: float) -> float:  # how many requests took at most `ms`
        return sum(
            counts[k] * next((q for q, v in reversed(grids[k]) if v <= ms), 0.0) / 100
            for k in grids
            if grids[k]
        )

    candidates = sorted(v for grid in grids.values() for _, v in grid)
    return next((ms for ms in candidates if below(ms) >= p / 100 * total), candidates[-1])


def grid_summary(grid: list[tuple[float, float]]) -> str:
    if not grid:
        return "no successful requests"
    return "  ".join(f"p{p:g} {quantile(grid, p):6.1f} ms" for p in (50, 95, 99))


# ---------------------------------------------------------------- raw baseline


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _names(columns: list[str]) -> Any:
    from psycopg import sql

    return sql.SQL(", ").join(map(sql.Identifier, columns))


def _rows(cursor: Any, table: str, columns: list[str], start: int) -> list[tuple]:
    from psycopg import sql

    query = sql.SQL("SELECT {} FROM {} WHERE case_id > %s")
    cursor.execute(query.format(_names(columns), sql.Identifier(table)), [start])
    return cursor.fetchall()


def baseline(url: str, first_case: int, clients: int) -> tuple[int, float]:
    """Insert again the rows the API wrote (cases, events, photos, keys), one transaction per
    case from `clients` threads. (cases written, seconds)."""
    import psycopg
    from psycopg import sql
    from psycopg.types.json import Jsonb

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cols = {
            t: _columns(cur, t)
            for t in ("cases_case", "cases_caseevent", "cases_caseattachment", "api_idempotencykey")
        }
        query = sql.SQL("SELECT id, {} FROM cases_case WHERE id > %s ORDER BY id")
        cur.execute(query.format(_names(cols["cases_case"])), [first_case])
        cases = cur.fetchall()
        children: dict[str, dict[int, list[tuple]]] = {}
        for table in ("cases_caseevent", "cases_caseattachment", "api_idempotencykey"):
            by_case: dict[int, list[tuple]] = {}
            for row in _rows(cur, table, cols[table], first_case):
                by_case.setdefault(row[cols[table].index("case_id")], []).append(row)
            children[table] = by_case
    code_at = cols["cases_case"].index("code")

    def insert(table: str, columns: list[str], returning: bool = False) -> Any:
        marks = sql.SQL(", ").join([sql.Placeholder()] * len(columns))
        tail = sql.SQL(" RETURNING id" if returning else "")
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({}){}")
        return query.format(sql.Identifier(table), _names(columns), marks, tail)

    def worker(chunk: list[tuple]) -> None:
        with psycopg.connect(url) as conn:
            for row in chunk:
                with conn.transaction(), conn.cursor() as cur:
                    case_id, values = row[0], list(row[1:])
                    values[code_at] = "R" + values[code_at]
                    cur.execute(insert("cases_case", cols["cases_case"], True), values)
                    new_id = cur.fetchone()[0]  # type: ignore[index]
                    for table in children:
                        for child in children[table].get(case_id, []):
                            child = [Jsonb(v) if isinstance(v, dict | list) else v for v in child]
                            child[cols[table].index("case_id")] = new_id
                            if table == "api_idempotencykey":
                                child[cols[table].index("key")] = uuid.uuid4().hex
                            cur.execute(insert(table, cols[table]), child)

    chunks = [cases[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(cases), time.perf_counter() - started


# ---------------------------------------------------------------- main


def reference() -> tuple[list[int], list[tuple[float, float]], int]:
    """Public minor categories, points inside the grids, and the last case id so far."""
    from django.db.models import Max

    from wenming.cases.models import Case, Category
    from wenming.org.models import Region

    categories = list(
        Category.objects.filter(is_public=True, is_active=True, parent__isnull=False).values_list(
            "pk", flat=True
        )
    )
    points = list(
        Region.objects.filter(level="grid", centroid_lat__isnull=False).values_list(
            "centroid_lat", "centroid_lon"
        )
    )
    last = Case.objects.aggregate(m=Max("id"))["m"] or 0
    return categories, points, last  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads",
        type=int,
        help=f"threads per gunicorn worker (gthread when > 1; default: wenming serve's, "
        f"{SERVE_THREADS})",
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="load client: wrk (Debian package, installed if missing) or Python threads",
    )
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--db-url", default=os.environ.get("WM_INTAKE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--production",
        action="store_true",
        help="wenming serve --production (DEBUG off, secure settings, behind a proxy)",
    )
    parser.add_argument(
        "--redis",
        nargs="?",
        const="redis://127.0.0.1:6379/0",
        help="REDIS_URL for the server: the cache (rate limits) and the jobs on Redis "
        "(default without it: memory; database in production)",
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 1 <= args.seconds <= 600:
        raise SystemExit("--clients must be 1..64 and --seconds 1..600")

    database_create(args.db_url, reuse=False)
    django_setup(args.db_url)
    from django.core.management import call_command

    from wenming.core.seed import seed_demo_city

    call_command("migrate", verbosity=0, skip_checks=True)
    seed_available(seed_demo_city)
    categories, points, first_case = reference()
    port = free_port()
    media = tempfile.mkdtemp(prefix="wm-intake-media-")
    env = server_env(args.db_url, media)
    if args.production:
        if args.server != "gunicorn":
            raise SystemExit("--production needs --server gunicorn")
        env.update(production_env())
    if args.redis:
        env["REDIS_URL"] = args.redis
    wrk = debian_tool("wrk", "wrk", "the load client") if args.client == "wrk" else None
    if args.client == "wrk" and wrk is None:
        print("wrk is not installed and could not be: using the Python client threads")
    # Passed explicitly, so that what is printed is what runs (whatever WENMING_THREADS says).
    threads = args.threads or SERVE_THREADS
    server = server_start(
        args.server, port, args.workers, env, production=args.production, threads=threads
    )
    try:
        if args.server == "gunicorn":
            kind = (
                f"{args.workers} sync workers"
                if threads == 1
                else (f"{args.workers} gthread workers × {threads} threads")
            )
            described = (
                f"gunicorn, {kind} (wenming serve{' --production' if args.production else ''})"
            )
        else:
            described = "Django runserver (threaded)"
        cache = "redis" if args.redis else "database" if args.production else "memory"
        print(
            f"server: {described} on 127.0.0.1:{port}, DEBUG off, PostgreSQL, "
            f"cache {cache}, jobs on {'Redis' if args.redis else 'the database'}"
        )
        client = "wrk, 2 processes (one per kind)" if wrk else "Python threads"
        print(
            f"load: {args.clients} connections ({client}) for {args.seconds:.0f} s, half with a JPEG"
        )
        load: Load | WrkLoad = (
            WrkLoad(wrk, port, categories, points) if wrk else Load(port, categories, points)
        )
        load.run(args.clients, min(3.0, args.seconds))  # warm-up: imports, caches, connections
        if isinstance(load, Load):
            load.latencies, load.statuses = {"json": [], "photo": []}, Counter()
        meter = CpuMeter(server.pid, args.db_url)
        meter.start()
        elapsed = load.run(args.clients, args.seconds)
        cpu = meter.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    if isinstance(load, WrkLoad):
        rate, p99 = _report_wrk(load, elapsed)
    else:
        rate, p99 = _report_threads(load, elapsed)
    served = rate * elapsed
    if served:
        per = {k: seconds * 1000 / served for k, seconds in cpu.items()}
        print(
            f"CPU      server {per['server']:.1f} ms + PostgreSQL {per['postgres']:.1f} ms per "
            f"request (2 cores give 2,000 ms/s: at most {2000 / sum(per.values()):.0f} requests/s "
            "before the load client's share)"
        )
    written, seconds = baseline(args.db_url, first_case, args.clients)
    raw = written / seconds if seconds else 0.0
    print(
        f"raw      {raw:8.1f} cases/s  ({written} cases with their events, photo rows and keys, psycopg, {args.clients} threads)"
    )
    print(f"ratio    API / raw = {rate / raw:.2f}" if raw else "ratio    n/a")
    met = rate >= TARGET_RPS and p99 < TARGET_P99_MS
    print(
        f"target   ≥ {TARGET_RPS} requests/s with p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'NOT met'}"
    )
    if not args.keep:
        database_drop(args.db_url)


def _report_threads(load: Load, elapsed: float) -> tuple[float, float]:
    ok = len(load.latencies["json"]) + len(load.latencies["photo"])
    rate = ok / elapsed
    every = load.latencies["json"] + load.latencies["photo"]
    print(f"\nresponses by status: {dict(sorted(load.statuses.items()))}")
    print(f"API      {rate:8.1f} requests/s   {percentiles(every)}")
    for kind in ("json", "photo"):
        print(
            f"  {kind:5}  {len(load.latencies[kind]):8d} requests     {percentiles(load.latencies[kind])}"
        )
    p99 = sorted(every)[min(len(every) - 1, int(0.99 * len(every)))] if every else float("inf")
    return rate, p99


def _report_wrk(load: WrkLoad, elapsed: float) -> tuple[float, float]:
    rate = sum(load.counts.values()) / elapsed
    merged = {p: merged_quantile(load.latencies, load.counts, p) for p in (50, 95, 99)}
    print(f"\nresponses: {dict(load.statuses)}")
    print(
        f"API      {rate:8.1f} requests/s   "
        + "  ".join(f"p{p} {merged[p]:6.1f} ms" for p in merged)
    )
    for kind in ("json", "photo"):
        print(
            f"  {kind:5}  {load.counts.get(kind, 0):8d} requests     {grid_summary(load.latencies[kind])}"
        )
    return rate, merged[99]


if __name__ == "__main__":
    main()
