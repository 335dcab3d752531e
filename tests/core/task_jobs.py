"""Jobs the task tests enqueue (module level, so a worker in another process can import them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from wenming.core.models import JobEffect
from wenming.core.tasks import effect_once, job


def _attempts(key: str) -> int:
    return JobEffect.objects.filter(key__startswith=f"{key}:attempt:").count()


@job(max_attempts=3, backoff=0)
def flaky(key: str, failures: int) -> str:
    """Fails its first `failures` attempts (each attempt leaves a row), then succeeds."""
    JobEffect.objects.create(key=f"{key}:attempt:{_attempts(key) + 1}")
    if _attempts(key) <= failures:
        raise RuntimeError(f"attempt {_attempts(key)} failed")
    return "done"


@job(max_attempts=3, backoff=0)
def payment(key: str, marker: str, pause: float) -> None:
    """An effect that must happen once even when the worker dies in the middle of the job:
    the effect commits with its key, then the job lingers (and is killed) before it ends."""
    with effect_once(f"payment:{key}") as first:
        if first:
            JobEffect.objects.create(key=f"paid:{key}:{time.time_ns()}")
    if Path(marker).exists():  # a second run: nothing to wait for
        return
    Path(marker).write_text(str(os.getpid()))  # tells the test the effect is committed
    time.sleep(pause)
