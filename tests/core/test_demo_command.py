"""`wenming demo` on a fresh data directory: migrates, seeds, serves in both languages, stops."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, language: str) -> str:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def worker_started(log) -> bool:  # type: ignore[no-untyped-def]
    return re.search(r"worker \w+ started", log.read_text()) is not None


def test_demo_starts_serves_login_in_both_languages_and_stops(tmp_path):
    port = free_port()
    env = {**os.environ, "WENMING_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)  # the demo is the embedded SQLite database
    log = (tmp_path / "demo.log").open("w")  # a file, not a pipe nobody reads until the end
    process = subprocess.Popen(
        [sys.executable, "-m", "wenming.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        # The first start migrates, seeds 90 days of history and trains triage: about a
        # minute on an idle machine, several on a busy CI box.
        deadline, page = time.monotonic() + 600, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                page = fetch(url, "zh-CN")
                break
            except OSError:
                time.sleep(0.5)
        english = fetch(url, "en") if page is not None else ""
        while time.monotonic() < deadline and not worker_started(tmp_path / "demo.log"):
            time.sleep(0.5)  # the worker process starts beside the server
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    output = (tmp_path / "demo.log").read_text()
    assert page is not None, f"the demo did not start serving:\n{output[-3000:]}"
    assert "登录" in page
    assert "Sign in" in english
    assert "dispatcher" in output  # the demo accounts were printed
    assert "Training on" in output  # triage suggests categories from the first case on
    assert re.search(r"worker \w+ started", output)  # photos, triage, deadlines run beside
    assert re.search(r"worker \w+ stopped", output), "the worker outlived the demo"
    assert (tmp_path / "wenming.sqlite3").exists()
