"""Periodic jobs (deadline scans, sending notifications, …) run by `wenming worker`.

An app registers its jobs in a `jobs.py` module (autodiscovered at start-up):

    @periodic("cases.deadline_scan", every=timedelta(minutes=5))
    def deadline_scan() -> None: ...

Each job has a `PeriodicJob` row. A worker claims a due run with a compare-and-set UPDATE of
`next_run_at` (WHERE name = … AND next_run_at = <the value it read>), so with several workers
each run happens once. The next run is scheduled at the claim, before the job starts: a job
that raises, or whose worker dies, is logged and runs again at its next time, never lost. Jobs
must be idempotent: a run may be cut short and the next one must finish the work.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import PeriodicJob

logger = logging.getLogger(__name__)

JobFunction = Callable[[], object]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    function: JobFunction


_registry: dict[str, Job] = {}


def periodic(name: str, every: timedelta) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function to run every `every` under the unique `name`."""

    def register(function: JobFunction) -> JobFunction:
        _registry[name] = Job(name, every, function)
        return function

    return register


def registered_jobs() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Run every registered job that is due and that this worker claims; returns their names."""
    now = now or timezone.now()
    ran = []
    for job in registered_jobs():
        if _claim(job, now):
            _run(job)
            ran.append(job.name)
    return ran


def _claim(job: Job, now: datetime) -> bool:
    # A new job is due at once; get_or_create copes with two workers creating the same row.
    row, _ = PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    if row.next_run_at > now:
        return False
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at=row.next_run_at).update(
        next_run_at=now + job.every, last_started_at=now
    )
    return claimed == 1


def _run(job: Job) -> None:
    logger.info("periodic job %s started", job.name)
    try:
        job.function()
    except Exception:
        error = traceback.format_exc()
        logger.exception("periodic job %s failed; it runs again at its next time", job.name)
    else:
        error = ""
        logger.info("periodic job %s finished", job.name)
    PeriodicJob.objects.filter(name=job.name).update(
        last_finished_at=timezone.now(), last_error=error
    )
