"""The session settings every PostgreSQL connection gets (settings.py, WENMING_PG_OPTIONS)."""

from __future__ import annotations

import pytest
from django.db import connection

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
