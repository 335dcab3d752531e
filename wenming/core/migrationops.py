"""Migration operations shared by several apps."""

from __future__ import annotations

from django.db import migrations


def postgresql_only(forward: str, backward: str) -> migrations.RunPython:
    """Raw SQL that runs on PostgreSQL only (functions, triggers, indexes SQLite has no
    counterpart for); on SQLite the migration does nothing. The SQL is run as written: no
    parameters, so a `%` in it stays a `%`."""

    def run(sql: str):  # type: ignore[no-untyped-def]
        def on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql, params=None)

        return on_postgresql

    return migrations.RunPython(run(forward), run(backward))
