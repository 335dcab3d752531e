"""Reading timestamps from PostgreSQL with psycopg's C parser.

Django (5.2) reads `timestamptz` values through its own subclass of psycopg's *Python*
TimestamptzLoader (to set the tzinfo), so even with psycopg's binary package every
timestamp of every row is parsed in Python: a fifth of the CPU of reading a dispatcher queue
of 50 cases (bench/worklist.py; Django ticket #36960). The C loader cannot be subclassed, so
`CTzLoader` wraps it and then sets the tzinfo as Django's loader does.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ = "timestamptz"
_OPTIMISED = adapters._get_optimised(TimestamptzLoader)  # the C class, when installed


class CTzLoader(Loader):
    """psycopg's C timestamptz parser; the value's tzinfo replaced by `timezone`, as
    Django's loader does (Django compares `timezone` to decide on per-cursor loaders)."""

    timezone: tzinfo | None = None

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._parse = _OPTIMISED(oid, context).load

    def load(self, data: Any) -> datetime:
        return self._parse(data).replace(tzinfo=self.timezone)


def use_c_timestamp_loader(connection: Any, **_kwargs: Any) -> None:
    """connection_created receiver: on a PostgreSQL connection, swap Django's timestamptz
    loader for CTzLoader with the same timezone (nothing to do without psycopg's C part)."""
    if connection.vendor != "postgresql" or _OPTIMISED is TimestamptzLoader:
        return
    context = connection.connection.adapters
    current = context.get_loader(context.types[TIMESTAMPTZ].oid, Format.TEXT)
    if current is None or issubclass(current, CTzLoader):
        return
    loader = type("CTzLoaderAt", (CTzLoader,), {"timezone": current.timezone})
    context.register_loader(TIMESTAMPTZ, loader)
