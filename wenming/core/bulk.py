"""Bulk rewrites of derived tables (the rollup rebuilds)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models

SECONDARY_INDEXES = """
    SELECT indexname, indexdef FROM pg_indexes
    WHERE tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = indexname)
"""


def chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    """Consecutive slices of `size` items (the last one shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def indexes_deferred(*tables: type[models.Model]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes (those not behind a constraint)
    while they are refilled and build each once afterwards: much faster than updating them
    row by row. Run it inside the transaction that refills the tables (the indexes come back
    or the whole rewrite rolls back)."""
    if connection.vendor != "postgresql":
        yield
        return
    dropped: list[str] = []
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(SECONDARY_INDEXES, [model._meta.db_table])
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in dropped:
            cursor.execute(definition)
    statistics_refreshed(*tables)


def statistics_refreshed(*tables: type[models.Model]) -> None:
    """ANALYZE refilled tables on PostgreSQL. Without statistics the planner guesses a few
    rows for a path prefix (LIKE '/…/%') and sorts what it should hash: the dashboard's live
    counts at 10,000,000 cases, 35 ms instead of 13 (bench/metrics.py). Autovacuum would
    get there later, and not at all on a server that runs without it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def table_emptied(model: type[models.Model]) -> None:
    """Remove every row: TRUNCATE on PostgreSQL (no dead rows left behind at tens of
    millions), DELETE elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    truncate = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}" if truncate else f"DELETE FROM {table}")  # noqa: S608
