import os
import signal
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import task

from wenming.core import periodic
from wenming.core.models import PeriodicJob

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
RUNS: list[str] = []


@task()
def remember(value: str) -> None:
    RUNS.append(value)


@pytest.fixture
def jobs(monkeypatch):  # type: ignore[no-untyped-def]
    """An empty job registry for the test (the apps' real jobs are not run)."""
    monkeypatch.setattr(periodic, "_registry", {})
    RUNS.clear()
    yield periodic
    RUNS.clear()


def register_counter(every: timedelta = timedelta(minutes=5)) -> None:
    @periodic.periodic("test.count", every=every)
    def count() -> None:
        RUNS.append("count")


def test_a_due_job_runs_once_at_the_same_moment(db, jobs):
    register_counter()
    with time_machine.travel(NOON, tick=False):
        assert periodic.run_due_jobs() == ["test.count"]
        assert periodic.run_due_jobs() == []  # a second worker at the same moment
    assert RUNS == ["count"]
    row = PeriodicJob.objects.get(name="test.count")
    assert row.next_run_at == NOON + timedelta(minutes=5)
    assert row.last_started_at == NOON and row.last_finished_at == NOON
    assert row.last_error == ""


def test_it_runs_again_when_its_interval_has_passed(db, jobs):
    register_counter()
    periodic.run_due_jobs(now=NOON)
    assert periodic.run_due_jobs(now=NOON + timedelta(minutes=4)) == []
    assert periodic.run_due_jobs(now=NOON + timedelta(minutes=5)) == ["test.count"]
    assert RUNS == ["count", "count"]


def test_a_worker_that_read_the_schedule_late_cannot_claim_the_run(db, jobs, monkeypatch):
    """Worker B read the row before worker A claimed the run: B's compare-and-set misses."""
    register_counter()
    periodic.run_due_jobs(now=NOON)
    seen_by_b = PeriodicJob.objects.get(name="test.count")
    later = NOON + timedelta(minutes=5)
    assert periodic.run_due_jobs(now=later) == ["test.count"]  # worker A
    monkeypatch.setattr(PeriodicJob.objects, "get_or_create", lambda **kwargs: (seen_by_b, False))
    assert periodic.run_due_jobs(now=later) == []  # worker B
    assert RUNS == ["count", "count"]


def test_a_failing_job_records_its_error_and_is_rescheduled(db, jobs, caplog):
    @periodic.periodic("test.broken", every=timedelta(minutes=1))
    def broken() -> None:
        raise RuntimeError("scan exploded")

    register_counter()
    assert periodic.run_due_jobs(now=NOON) == ["test.broken", "test.count"]  # others still run
    row = PeriodicJob.objects.get(name="test.broken")
    assert "RuntimeError: scan exploded" in row.last_error
    assert row.next_run_at == NOON + timedelta(minutes=1)
    assert "test.broken failed" in caplog.text
    assert periodic.run_due_jobs(now=NOON + timedelta(minutes=1)) == ["test.broken"]


def test_a_later_success_clears_the_error(db, jobs):
    fail = [True]

    @periodic.periodic("test.flaky", every=timedelta(minutes=1))
    def flaky() -> None:
        if fail[0]:
            raise RuntimeError("once")

    periodic.run_due_jobs(now=NOON)
    fail[0] = False
    periodic.run_due_jobs(now=NOON + timedelta(minutes=1))
    assert PeriodicJob.objects.get(name="test.flaky").last_error == ""


def test_the_apps_register_their_jobs():
    names = {job.name for job in periodic.registered_jobs()}
    assert "notify.send_deliveries" in names
    job = next(j for j in periodic.registered_jobs() if j.name == "notify.send_deliveries")
    assert job.every == timedelta(seconds=10)


def test_worker_batch_runs_due_jobs_and_queued_tasks(transactional_db, jobs):
    register_counter()
    remember.enqueue("queued")
    call_command("worker", "--batch")
    assert sorted(RUNS) == ["count", "queued"]
    assert PeriodicJob.objects.get(name="test.count").last_finished_at is not None
    call_command("worker", "--batch")  # nothing due any more
    assert sorted(RUNS) == ["count", "queued"]


def test_worker_stops_cleanly_on_sigterm(transactional_db, jobs):
    @periodic.periodic("test.stop", every=timedelta(hours=1))
    def stop() -> None:
        RUNS.append("stop")
        os.kill(os.getpid(), signal.SIGTERM)

    turns: list[int] = []

    @periodic.periodic("test.turn", every=timedelta(0))
    def turn() -> None:
        turns.append(1)
        if len(turns) > 20:  # never reached when the worker honours SIGTERM
            raise KeyboardInterrupt

    before = signal.getsignal(signal.SIGTERM)
    call_command("worker", "--interval", "0.01")
    assert RUNS == ["stop"] and len(turns) == 1  # it finished the turn, then stopped
    assert signal.getsignal(signal.SIGTERM) == before
