"""The audit log: appends form one hash chain; `audit verify` names the first edited,
deleted, inserted or re-ordered row; rows cannot be changed through the ORM (nor, on
PostgreSQL, through SQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from wenming.audit.models import AppendOnlyError, AuditEntry, AuditHead
from wenming.audit.services import GENESIS, audit_record, audit_verify


def chain(count: int = 4) -> list[AuditEntry]:
    return [
        audit_record(action="test.write", object_type="case", object_id=i) for i in range(count)
    ]


def tamper(sql: str, params: list[object]) -> None:
    """Change rows behind the application's back, as someone with database access would
    (on PostgreSQL the append-only trigger is switched off first, inside the test's
    transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_rows_are_chained_and_verify_says_ok(db):
    first, second, *_ = chain()
    assert first.seq == 1 and first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert verify_output().startswith("OK: 4 rows")


def test_an_empty_log_verifies(db):
    assert audit_verify().ok and audit_verify().count == 0


def test_verify_names_an_edited_row(db):
    chain()
    tamper("UPDATE audit_auditentry SET summary = %s WHERE seq = %s", ["nothing happened", 2])
    verdict = audit_verify()
    assert not verdict.ok and verdict.seq == 2 and "edited" in verdict.problem
    with pytest.raises(CommandError, match="row #2 was edited"):
        call_command("audit", "verify")


def test_verify_names_a_deleted_row(db):
    chain()
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    verdict = audit_verify()
    assert not verdict.ok and verdict.seq == 3 and "missing" in verdict.problem


def test_verify_notices_the_last_rows_deleted(db):
    chain()
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [4])
    verdict = audit_verify()
    assert not verdict.ok and "last rows deleted" in verdict.problem


def test_verify_notices_a_deleted_row_renumbered_to_hide_the_gap(db):
    rows = chain()
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    tamper("UPDATE audit_auditentry SET seq = seq - 1 WHERE seq > %s", [2])
    verdict = audit_verify()
    assert not verdict.ok and verdict.seq == 2 and "does not follow" in verdict.problem
    assert rows  # the original rows existed


def test_verify_notices_an_inserted_row(db):
    rows = chain()
    tamper("UPDATE audit_auditentry SET seq = seq + 100 WHERE seq >= %s", [3])
    tamper("UPDATE audit_auditentry SET seq = seq - 99 WHERE seq >= %s", [100])
    forged = AuditEntry(
        seq=3,
        created_at=rows[1].created_at,
        action="test.write",
        summary="forged",
        prev_hash=rows[1].hash,
    )
    from wenming.audit.services import entry_hash

    forged.hash = entry_hash(forged)
    forged.save()  # a new row: the ORM allows inserts
    verdict = audit_verify()
    assert not verdict.ok and verdict.seq == 4 and "does not follow" in verdict.problem


def test_verify_notices_re_ordered_rows(db):
    chain()
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [99, 2])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [2, 3])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [3, 99])
    verdict = audit_verify()
    assert not verdict.ok and verdict.seq == 2


def test_rows_cannot_be_changed_or_deleted_through_the_orm(db):
    (entry,) = chain(1)
    entry.summary = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit_verify().ok


def test_the_database_refuses_or_verify_reveals_a_raw_update(db):
    """PostgreSQL's trigger refuses UPDATE and DELETE from any client; SQLite has no such
    trigger, so there the change is caught by verify."""
    chain(2)
    if connection.vendor == "postgresql":
        for sql in ("UPDATE audit_auditentry SET summary = 'x'", "DELETE FROM audit_auditentry"):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        assert audit_verify().ok
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET summary = 'x'")
        assert not audit_verify().ok


def test_a_fresh_head_continues_from_the_last_row(db):
    chain(2)
    AuditHead.objects.all().delete()  # e.g. a database restored without it
    entry = audit_record(action="test.write")
    assert entry.seq == 3 and audit_verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain(transactional_db):
    writers, each = 4, 10
    barrier = threading.Barrier(writers)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                audit_record(action="test.concurrent", object_id=f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = audit_verify()
    assert verdict.ok and verdict.count == writers * each, verdict
    assert AuditHead.objects.get().last_seq == writers * each
