"""Django's PostgreSQL backend, with a kept connection checked before reuse without a query.

Django checks a kept connection (CONN_HEALTH_CHECKS) with `SELECT 1` at the start of every
request that uses the database: one of the six round trips of a citizen's submission. A server that
closes a connection — a restart, an administrator, an idle timeout — sends its end of the
stream, usually after a last error message: both wait on the socket. So a poll of the
socket that does not wait tells the connection is untouched; only when something waits does
the check run its query. (A server gone without a word is missed by both checks alike: the
query would wait for the network's timeout too.)
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        try:
            poll = select.poll()  # not select(): no limit on the descriptor's number
            poll.register(self.connection.fileno(), select.POLLIN)
            waiting = poll.poll(0)
        except (OSError, ValueError, psycopg.Error):  # closed already
            return False
        return not waiting or super().is_usable()
