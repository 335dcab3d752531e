"""A private, throw-away PostgreSQL cluster for fault tests that stop and restart the
database (the shared server is never touched): initdb into a temporary directory, a free
port, as the `postgres` user when the tests run as root (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [
        p for p in [shutil.which("initdb")] if p
    ]
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int
    user_prefix: list[str]

    def run(self, tool: str, *args: str) -> None:
        command = [*self.user_prefix, str(self.bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{tool} failed: {done.stderr[-2000:]}"

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            "pg_ctl", action, "-D", str(self.data), "-w", "-t", "60", "-m", "fast",
            "-l", str(self.data / "server.log"), "-o", options, *extra,
        )  # fmt: skip

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def private_postgres() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb) on this machine: install postgresql")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        prefix = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="wenming-pg-"))  # not under pytest's 0700 root dir
    data = base / "data"
    data.mkdir()
    if prefix:
        shutil.chown(base, user="postgres")
        shutil.chown(data, user="postgres")
    cluster = Cluster(bin_dir, data, _free_port(), prefix)
    cluster.run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    cluster.pg_ctl("start")
    try:
        yield cluster
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)
