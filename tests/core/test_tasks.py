"""The job API (wenming.core.tasks) on both task backends: retries with backoff, failures kept
for the admin, stale tasks of a dead worker, effects that happen once."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wenming.core import periodic
from wenming.core.models import FailedJob, JobEffect
from wenming.core.tasks import backoff_delay, effect_once, release_stale_tasks

from .task_jobs import flaky

REDIS_HOST = os.environ.get("WENMING_TEST_REDIS", "redis://127.0.0.1:6379")
# Never the default db 0, nor 12–13, which the cache tests empty (RedisCache.clear); one per
# xdist worker, as each redis_backend empties its own before and after.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_DB = int(os.environ.get("WENMING_TEST_REDIS_DB", "8")) + _WORKER


def paid(key: str) -> int:
    return JobEffect.objects.filter(key__startswith=f"paid:{key}:").count()


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, 30).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_delay(20, 30) == timedelta(hours=1)


def test_a_failing_job_is_retried_until_it_succeeds(transactional_db):
    flaky.enqueue("k1", failures=2)
    for _ in range(3):
        call_command("worker", "--batch")
    results = DBTaskResult.objects.filter(task_path__endswith="task_jobs.flaky")
    assert sorted(r.status for r in results) == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert all("RuntimeError" in r.traceback for r in results if r.status == "FAILED")
    assert not FailedJob.objects.exists()


def test_a_retry_waits_for_its_backoff(transactional_db, monkeypatch):
    from wenming.core import tasks

    monkeypatch.setattr(tasks, "backoff_delay", lambda attempt, base: timedelta(minutes=5))
    flaky.enqueue("k2", failures=1)
    call_command("worker", "--batch")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + timedelta(minutes=4)
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    call_command("worker", "--batch")  # not yet due
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"


def test_a_job_that_fails_every_attempt_ends_in_the_admin(transactional_db, admin_client):
    flaky.enqueue("k3", failures=99)
    for _ in range(4):
        call_command("worker", "--batch")
    failed = FailedJob.objects.get()
    assert failed.task_path.endswith("task_jobs.flaky") and failed.attempts == 3
    assert failed.args == ["k3"] and failed.kwargs == {"failures": 99}
    assert "RuntimeError: attempt 3 failed" in failed.error
    listing = admin_client.get(reverse("admin:core_failedjob_changelist"))
    assert b"task_jobs.flaky" in listing.content
    response = admin_client.post(
        reverse("admin:core_failedjob_changelist"),
        {"action": "run_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    assert FailedJob.objects.get().retried_at is not None
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued with fresh attempts


def test_failed_jobs_are_for_staff_only(client, db):
    response = client.get(reverse("admin:core_failedjob_changelist"))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_task_of_a_dead_worker_goes_back_to_the_queue(transactional_db, settings):
    settings.WENMING_TASK_TIMEOUT = 60
    flaky.enqueue("k4", failures=0)
    row = DBTaskResult.objects.get()
    row.claim("dead-worker")  # then the worker was killed: the row stays RUNNING
    assert release_stale_tasks() == 0  # not stale yet
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(minutes=2))
    assert release_stale_tasks() == 1
    call_command("worker", "--batch")
    assert DBTaskResult.objects.get(pk=row.pk).status == "SUCCESSFUL"


def test_an_effect_happens_once_per_key(db):
    for _ in range(2):
        with effect_once("payment:x") as first:
            if first:
                JobEffect.objects.create(key="paid:x:1")
    assert paid("x") == 1


def test_an_effect_rolled_back_leaves_no_key(db):
    with pytest.raises(RuntimeError), effect_once("payment:y") as first:
        assert first
        raise RuntimeError("crash before the effect committed")
    with effect_once("payment:y") as first:
        assert first  # the next attempt does it


def test_two_workers_run_each_periodic_run_once(transactional_db, monkeypatch):
    """Two workers polling the same schedule at the same moments: every run happens once."""
    monkeypatch.setattr(periodic, "_registry", {})
    runs: list[int] = []
    lock = threading.Lock()

    @periodic.periodic("test.once", every=timedelta(minutes=1))
    def once() -> None:
        with lock:
            runs.append(1)

    start = timezone.now()
    ticks = [start + timedelta(minutes=n) for n in range(15)]
    barrier = threading.Barrier(2)

    def worker() -> None:
        from django.db import connection

        try:
            for tick in ticks:
                barrier.wait()
                periodic.run_due_jobs(now=tick)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == len(ticks)


# ------------------------------------------------------------------ Redis


@pytest.fixture
def redis_backend():  # type: ignore[no-untyped-def]
    """The Redis task backend on a database number of its own, emptied before and after."""
    import redis

    url = f"{REDIS_HOST}/{REDIS_DB}"
    connection = redis.Redis.from_url(url)
    connection.ping()  # Redis is part of the test environment (CI runs it too): no skip
    connection.flushdb()
    with override_settings(
        TASKS={"default": {"BACKEND": settings.TASK_BACKENDS["redis"]}},
        RQ_QUEUES={"default": {"URL": url, "DEFAULT_TIMEOUT": 60}},
    ):
        yield connection
    connection.flushdb()


def test_jobs_run_and_retry_on_redis(transactional_db, redis_backend):
    key = uuid.uuid4().hex
    result = flaky.enqueue(key, failures=1)
    call_command("worker", "--batch")  # attempt 1 fails; the retry is queued at once
    call_command("worker", "--batch")
    assert JobEffect.objects.filter(key__startswith=f"{key}:attempt:").count() == 2
    assert flaky.get_result(result.id).status == "FAILED"
    assert not FailedJob.objects.exists()


def test_a_job_failing_on_redis_ends_in_the_admin(transactional_db, redis_backend, admin_client):
    key = uuid.uuid4().hex
    flaky.enqueue(key, failures=99)
    for _ in range(4):
        call_command("worker", "--batch")
    failed = FailedJob.objects.get()
    assert failed.backend == "default" and failed.attempts == 3 and failed.args == [key]
    page = admin_client.get(reverse("admin:core_failedjob_change", args=[failed.pk]))
    assert key.encode() in page.content and b"attempt 3 failed" in page.content


def test_a_stop_signal_between_redis_jobs_ends_the_worker_quietly(
    transactional_db, redis_backend, monkeypatch
):
    from rq import SimpleWorker
    from rq.exceptions import StopRequested

    def signalled(self, **kwargs):  # type: ignore[no-untyped-def]
        raise StopRequested()  # what rq's SIGTERM handler raises outside a job

    monkeypatch.setattr(SimpleWorker, "work", signalled)
    call_command("worker", "--batch")  # returns: no traceback, no error exit


def test_a_queued_job_row_is_the_one_the_library_writes(db):
    """The database backend writes the job's row itself (core.task_database): the same row as
    django-tasks-db's own create, the library's pre_save receiver (a never-due run_after for
    "run now") included."""
    from django_tasks_db.backend import DatabaseBackend as LibraryBackend

    ours = flaky.enqueue("k-row", failures=0)
    library = LibraryBackend("default", {}).enqueue(flaky, ["k-row"], {"failures": 0})
    rows = DBTaskResult.objects.filter(pk__in=[ours.id, library.id])
    fields = ["status", "args_kwargs", "priority", "task_path", "queue_name", "run_after"]
    mine, theirs = (rows.values(*fields).get(pk=pk) for pk in (ours.id, library.id))
    assert mine == theirs
    assert mine["status"] == "READY" and mine["args_kwargs"]["args"] == ["k-row"]
    assert DBTaskResult.objects.get(pk=ours.id).enqueued_at == ours.enqueued_at


def test_enqueue_sends_the_enqueued_signal_once_with_the_result_it_returns(db):
    """Our backend's enqueue builds the TaskResult once (core.task_database): receivers of
    django-tasks' task_enqueued still get it, once, as with the library's enqueue."""
    from django_tasks_db.compat import task_enqueued

    received = []

    def receiver(sender, task_result, **kwargs):
        received.append((sender, task_result))

    task_enqueued.connect(receiver)
    try:
        result = flaky.enqueue("k-signal", failures=0)
    finally:
        task_enqueued.disconnect(receiver)
    assert [(sender.__name__, task_result) for sender, task_result in received] == [
        ("DatabaseBackend", result)
    ]
    assert result.id and result.args == ["k-signal"] and result.status == "READY"
