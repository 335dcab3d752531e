"""Timestamps read from PostgreSQL by psycopg's C parser (wenming.core.pgloaders)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from psycopg.pq import Format

from wenming.core.models import PeriodicJob
from wenming.core.pgloaders import CTzLoader

pytestmark = pytest.mark.django_db


def test_timestamps_read_back_as_written_in_utc():
    moment = datetime(2026, 2, 17, 23, 59, 58, 123456, tzinfo=UTC) + timedelta(hours=8)
    PeriodicJob.objects.create(name="测试", next_run_at=moment)
    read = PeriodicJob.objects.get(name="测试").next_run_at
    assert read == moment and read.utcoffset() == timedelta(0)


def test_postgresql_connections_use_the_c_parser():
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        assert not hasattr(connection.connection, "adapters")  # sqlite3: nothing to swap
        return
    adapters = connection.connection.adapters
    loader = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
    assert issubclass(loader, CTzLoader) and loader.timezone == connection.timezone
    with connection.cursor() as cursor:  # Django's per-cursor check keeps the connection's
        cursor.execute("SELECT '2026-11-23 10:00:00+08'::timestamptz")
        assert cursor.fetchone()[0] == datetime(2026, 11, 23, 2, tzinfo=UTC)
