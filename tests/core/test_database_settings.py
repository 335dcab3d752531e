"""The session settings every PostgreSQL connection gets (settings.py, WENMING_PG_OPTIONS),
and the check of a kept connection before reuse (wenming.core.postgresql)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = pytest.mark.django_db


def test_postgresql_sessions_run_without_jit_and_with_room_for_exact_bitmaps():
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict["OPTIONS"]  # SQLite: none to set
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), pg_size_bytes(current_setting('work_mem'))")
        jit, work_mem = cursor.fetchone()
    assert jit == "off"
    assert work_mem >= 32 * 1024 * 1024


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_is_checked_without_a_query_until_the_server_drops_it(monkeypatch):
    if connection.vendor != "postgresql":
        assert connection.is_usable()  # SQLite: a file, nothing to drop
        return
    queried: list[bool] = []
    query_check = django_postgresql.DatabaseWrapper.is_usable

    def counted(self):  # type: ignore[no-untyped-def]
        queried.append(True)
        return query_check(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    connection.ensure_connection()
    assert connection.is_usable() and queried == []  # nothing waiting: no round trip
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    dsn = connection.settings_dict
    with psycopg.connect(
        host=dsn["HOST"], port=dsn["PORT"] or 5432, user=dsn["USER"], dbname="postgres"
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the server's goodbye reaches the socket
        if not connection.is_usable():
            break
        time.sleep(0.05)
    assert queried and not connection.is_usable()  # the full check ran, and failed
    connection.close()
    with connection.cursor() as cursor:  # a new connection
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
