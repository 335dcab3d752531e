"""Case codes: the stamp taken before a submission's transaction keeps the day's counter free."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wenming.cases import services


def test_a_stamped_submission_has_the_stamps_code_and_time(submit):
    stamp = services.case_stamp()
    later = services.case_stamp()
    case = submit(stamp=stamp)
    assert (case.code, case.reported_at) == (stamp.code, stamp.at)
    assert int(later.code[-4:]) == int(stamp.code[-4:]) + 1  # the next number, taken already


def test_a_past_report_time_gives_its_days_code(submit):
    yesterday = timezone.now() - timedelta(days=1)
    case = submit(reported_at=yesterday)
    assert case.code[2:10] == f"{timezone.localdate(yesterday):%Y%m%d}"


def _hold_open(submit, *, stamped: bool, inside: threading.Event, release: threading.Event):
    def run() -> None:
        try:
            stamp = services.case_stamp() if stamped else None
            with transaction.atomic():  # as the API's idempotency key does
                submit(stamp=stamp)
                inside.set()
                release.wait(10)
        finally:
            connection.close()

    return threading.Thread(target=run)


def _stamp_within(seconds: int) -> services.CaseStamp:
    """A stamp that gives up after waiting `seconds` for a lock (OperationalError)."""
    if connection.vendor == "sqlite":
        wait, reset = f"PRAGMA busy_timeout = {seconds * 1000}", "PRAGMA busy_timeout = 20000"
    else:
        wait, reset = f"SET lock_timeout = '{seconds}s'", "RESET lock_timeout"
    with connection.cursor() as cursor:
        cursor.execute(wait)
    try:
        return services.case_stamp()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(reset)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stamped", [True, False])
def test_only_a_submission_stamped_before_its_transaction_leaves_the_counter_free(
    transactional_city, submit, stamped
):
    inside, release = threading.Event(), threading.Event()
    holder = _hold_open(submit, stamped=stamped, inside=inside, release=release)
    holder.start()
    try:
        assert inside.wait(10)
        if stamped and connection.vendor == "postgresql":
            assert _stamp_within(2).code  # not queued behind the open submission
        else:
            # The day's counter is locked to that transaction's end (SQLite: every write
            # waits for the open one, stamped or not: one writer at a time).
            with pytest.raises(OperationalError, match="lock timeout|database is locked"):
                _stamp_within(1)
    finally:
        release.set()
        holder.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stamp_outside_a_transaction_frees_the_counter_without_waiting_for_the_disk(
    transactional_city,
):
    """The counter's own commit does not wait for the disk (a slow disk would otherwise
    queue every submission behind it: bench/RESULTS.md, session 14); a stamp taken inside
    a caller's transaction leaves that transaction's commit as it was."""
    with CaptureQueriesContext(connection) as outside:
        first = services.case_stamp()
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        second = services.case_stamp()
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1
    if connection.vendor != "postgresql":
        return
    assert first.case_id and first.event_id and second.case_id == first.case_id + 1
    assert outside.captured_queries[0]["sql"].startswith("SET LOCAL synchronous_commit TO off;")
    assert "synchronous_commit" not in inside.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # for the counter's transaction only
