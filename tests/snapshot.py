"""A copy of the seeded test database, put back after each test that commits.

Seeding the demo city takes seconds (thousands of ORM saves) and Django's flush after a
transactional test takes seconds on PostgreSQL (TRUNCATE of every table, then re-creating
content types). Restoring a copy taken right after the first seed is much cheaper: SQLite's
backup API for the in-memory test database; on PostgreSQL, TRUNCATE of only the tables that
have rows, then COPY in.
"""

from __future__ import annotations

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def __init__(self) -> None:
        self._sqlite: sqlite3.Connection | None = None
        self._tables: dict[str, bytes] = {}

    @property
    def taken(self) -> bool:
        return self._sqlite is not None or bool(self._tables)

    def take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self._sqlite)
        else:
            raw = connection.connection
            for table in _tables():
                with raw.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                    self._tables[table] = b"".join(bytes(block) for block in copy)
            raw.commit()

    def restore(self) -> None:
        connection.ensure_connection()
        if self._sqlite is not None:
            self._sqlite.backup(connection.connection)
        else:
            self._copy_in()
        ContentType.objects.clear_cache()  # a test may have cached content types it created

    def _copy_in(self) -> None:
        from django.apps import apps

        with transaction.atomic():
            raw = connection.connection
            with connection.cursor() as cursor:
                # A test writes to a few tables: truncating just those is much cheaper.
                filled = [t for t in self._tables if _has_rows(cursor, t)]
                if filled:
                    quoted = ", ".join(f'"{table}"' for table in filled)
                    cursor.execute(f"TRUNCATE {quoted} CASCADE")
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: table order is free.
            for table, data in self._tables.items():
                with raw.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(data)
            models = list(apps.get_models(include_auto_created=True))
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)


def _has_rows(cursor, table: str) -> bool:  # type: ignore[no-untyped-def]
    cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')  # noqa: S608 — a table name
    return bool(cursor.fetchone()[0])


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))
