"""Fault: the worker is killed (SIGKILL) in the middle of a job. The job runs again and its
effect happens once (wenming.core.tasks: stale tasks go back to the queue; effect_once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.core.task_jobs import payment
from wenming.core.models import JobEffect

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the test database this test runs on, for the worker process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url(),
        "WENMING_TASK_BACKEND": "database",
        "WENMING_TASK_TIMEOUT": "1",  # a task running longer belonged to a dead worker
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, str(ROOT / "manage.py"), "worker", "--interval", "0.2"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_job_cut_short_by_a_killed_worker_runs_again_and_pays_once(transactional_db, tmp_path):
    key, marker = uuid.uuid4().hex, tmp_path / "effect-committed"
    result = payment.enqueue(key, str(marker), pause=120)
    worker = start_worker()
    try:
        wait_for(marker.exists)  # the effect is committed; the job is still running
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == "RUNNING"  # the dead worker's task, not finished
        assert JobEffect.objects.filter(key__startswith=f"paid:{key}:").count() == 1
        worker = start_worker()  # the restarted worker finds the stale task and runs it again
        wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
    finally:
        worker.kill()
        worker.wait(10)
    row = DBTaskResult.objects.get(pk=result.id)
    assert len(row.worker_ids) == 2  # it ran twice
    assert JobEffect.objects.filter(key__startswith=f"paid:{key}:").count() == 1  # paid once
