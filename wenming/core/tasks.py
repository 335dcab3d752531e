"""The job API: queued background jobs, the same on every task backend.

    from wenming.core.tasks import job

    @job(max_attempts=5)
    def deliver(delivery_id: int) -> None: ...

    deliver.enqueue(delivery_id)          # or enqueue_on_commit(deliver, delivery_id)

Jobs run on django-tasks: the database backend (django-tasks-db) by default, Redis
(django-tasks-rq) when `REDIS_URL` is set or `WENMING_TASK_BACKEND=redis`; `wenming worker`
runs either. The rules below live here once, so they hold on both backends:

- A job that raises is enqueued again after an exponential backoff (`backoff` seconds, doubled
  each attempt, capped at an hour) until `max_attempts`; each failed attempt stays in the
  backend's results with its traceback. After the last attempt a `FailedJob` row keeps the job,
  its arguments and the error: it is visible in the admin, which can run it again. Never lost.
- A worker killed in the middle of a job leaves it running for ever on the database backend;
  `release_stale_tasks` (called by the worker each turn) puts tasks running longer than
  `WENMING_TASK_TIMEOUT` seconds back in the queue, so the job runs again. Redis does the same
  through rq's abandoned-job handling.
- A job may therefore run more than once: its effect must be idempotent. `effect_once(key)`
  makes a database effect happen once: it records the key in the same transaction as the
  effect, and skips the effect when the key is already there.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.base import Task, TaskContext

from .models import FailedJob, JobEffect

logger = logging.getLogger(__name__)

ATTEMPT = "_attempt"  # keyword argument carrying the attempt number between retries
MAX_BACKOFF = timedelta(hours=1)


def backoff_delay(attempt: int, base: float) -> timedelta:
    """Wait before attempt `attempt + 1`: base, 2×base, 4×base, … at most an hour."""
    return min(timedelta(seconds=base * 2 ** (attempt - 1)), MAX_BACKOFF)


def job(
    *, max_attempts: int = 5, backoff: float = 30.0, queue_name: str = "default"
) -> Callable[[Callable[..., Any]], Task]:
    """Declare a queued job that is retried with backoff and recorded when it fails for good."""

    def decorate(function: Callable[..., Any]) -> Task:
        @functools.wraps(function)
        def run(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT, 1))
            try:
                return function(*args, **kwargs)
            except Exception:
                _failed(context, attempt, max_attempts, backoff, args, kwargs)
                raise  # the backend marks this attempt failed, with its traceback

        del run.__wrapped__  # django-tasks must see `context`, not the wrapped signature
        return task(queue_name=queue_name, takes_context=True)(run)

    return decorate


def _failed(
    context: TaskContext,
    attempt: int,
    max_attempts: int,
    backoff: float,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    current = context.task_result.task
    if attempt < max_attempts:
        delay = backoff_delay(attempt, backoff)
        logger.warning(
            "job %s failed (attempt %s of %s); again in %s s",
            current.module_path,
            attempt,
            max_attempts,
            int(delay.total_seconds()),
        )
        retry = current.using(run_after=timezone.now() + delay)
        retry.enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
        return
    logger.error("job %s failed for good after %s attempts", current.module_path, attempt)
    FailedJob.objects.create(
        task_path=current.module_path,
        args=list(args),
        kwargs=kwargs,
        attempts=attempt,
        error=traceback.format_exc(),
        backend=context.task_result.backend,
        result_id=str(context.task_result.id),
    )


def enqueue_on_commit(job_task: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue when the current transaction commits (the job must see the rows it is about)."""
    transaction.on_commit(lambda: job_task.enqueue(*args, **kwargs))


def enqueue_with_transaction(job_task: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue as part of the current transaction: the job exists if and only if it commits.

    On the database backend the job's row is written now, inside the caller's transaction (no
    extra commit — the hot intake path saves one); other backends enqueue on commit."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(job_task.get_backend(), DatabaseBackend):
        job_task.enqueue(*args, **kwargs)
    else:
        enqueue_on_commit(job_task, *args, **kwargs)


def retry_failed(failed: FailedJob) -> None:
    """Run a job that failed for good again (the admin's action), with fresh attempts."""
    from django.utils.module_loading import import_string

    job_task: Task = import_string(failed.task_path)
    job_task.enqueue(*failed.args, **failed.kwargs)
    failed.retried_at = timezone.now()
    failed.save(update_fields=["retried_at"])


@contextmanager
def effect_once(key: str) -> Iterator[bool]:
    """`with effect_once(key) as first: if first: <write the effect>` — in one transaction
    with the key's row, so the effect and the key commit together or not at all."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                JobEffect.objects.create(key=key)
        except IntegrityError:
            yield False
            return
        yield True


def release_stale_tasks() -> int:
    """Put database-backend tasks whose worker died mid-run back in the queue."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return 0
    cutoff = timezone.now() - timedelta(seconds=settings.WENMING_TASK_TIMEOUT)
    released = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).update(
        status="READY"
    )
    if released:
        logger.warning("%s task(s) of a dead worker put back in the queue", released)
    return released
