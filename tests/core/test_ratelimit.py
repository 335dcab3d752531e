"""Rate limits count in fixed windows, one statement or one Redis round trip per hit, in the
cache the server processes share (wenming.core.ratelimit)."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

import pytest
import redis.connection
import time_machine
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wenming.accounts_security.ratelimit import rate_limit_hit
from wenming.core.models import RateWindow
from wenming.core.periodic import registered_jobs
from wenming.core.ratelimit import rate_window_hit, rate_windows_hit

from .test_cache import DATABASE_CACHE, REDIS_CACHE

MEMORY_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rate-limit-tests",
    }
}
# Keys of this process only: the job tests share Redis database 13, which a flush would empty
# under a job another test worker is running.
REDIS_RATE_CACHE = {"default": {**REDIS_CACHE["default"], "KEY_PREFIX": f"ratetest{os.getpid()}"}}
CACHES = {"memory": MEMORY_CACHE, "database": DATABASE_CACHE, "redis": REDIS_RATE_CACHE}
START = datetime(2026, 11, 23, 1, 0, 10, tzinfo=UTC)  # ten seconds into a minute
T = START.timestamp()


@pytest.fixture(params=list(CACHES))
def counts_in(request, db):  # type: ignore[no-untyped-def]
    """Each shared cache in turn."""
    with override_settings(CACHES=CACHES[request.param], WENMING_CACHE=request.param):
        forget_counts()
        yield request.param
        forget_counts()


def forget_counts() -> None:
    """Empty the counts of the cache under test (the database's roll back with the test)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{cache.key_prefix}:*"):
            client.delete(key)
    elif isinstance(cache, LocMemCache):
        cache.clear()


def hits(rate: str, count: int, *, scope: str = "login", ident: str = "10.0.0.1") -> list[int]:
    """The waits rate_limit_hit answers to `count` hits now: 0 for each one allowed."""
    return [rate_limit_hit(scope=scope, ident=ident, rate=rate) for _ in range(count)]


def test_hits_over_the_limit_wait_for_the_windows_end(counts_in):
    with time_machine.travel(START, tick=False):
        assert hits("2/minute", 4) == [0, 0, 50, 50]
    with time_machine.travel(T + 49.5, tick=False):
        assert hits("2/minute", 1) == [1]  # half a second left: a whole one
    with time_machine.travel(T + 10, tick=False):
        assert hits("2/hour", 3)[2] == 3600 - 20


def test_a_new_window_counts_from_zero(counts_in):
    with time_machine.travel(START, tick=False):
        assert hits("1/minute", 2) == [0, 50]
    with time_machine.travel(T + 50, tick=False):  # the next minute's first second
        assert hits("1/minute", 2) == [0, 60]


def test_clients_and_scopes_count_separately(counts_in):
    with time_machine.travel(START, tick=False):
        assert hits("1/minute", 2, ident="10.0.0.1") == [0, 50]
        assert hits("1/minute", 1, ident="10.0.0.2") == [0]
        assert hits("1/minute", 1, ident="10.0.0.1", scope="anonymous_lookup") == [0]


def test_a_long_forwarded_address_still_counts(counts_in):
    ident = "1.2.3.4," * 100  # DRF's ident from an X-Forwarded-For a client wrote
    counts = [rate_window_hit(scope="api-anonymous", ident=ident, period=60, now=T)]
    counts.append(rate_window_hit(scope="api-anonymous", ident=ident, period=60, now=T))
    assert counts == [1, 2]


def test_the_database_counts_with_one_statement_per_hit(db):
    with override_settings(CACHES=DATABASE_CACHE, WENMING_CACHE="database"):
        for expected in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                count = rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=T)
            assert (count, len(queries)) == (expected, 1), queries.captured_queries
    window = RateWindow.objects.get()
    assert window.count == 2 and window.expires_at == datetime(2026, 11, 23, 1, 1, tzinfo=UTC)


def test_several_scopes_count_at_once_in_one_statement(counts_in):
    """A submission's two limits (api.throttling): each window its own count, in the order
    asked, with one statement on the database."""
    windows = [("api-anonymous_submit", 60), ("api-anonymous", 3600)]
    rate_window_hit(scope="api-anonymous", ident="10.0.0.1", period=3600, now=T)
    with CaptureQueriesContext(connection) as queries:
        first = rate_windows_hit(windows, ident="10.0.0.1", now=T)
    second = rate_windows_hit(windows, ident="10.0.0.1", now=T + 60)  # the next minute
    assert (first, second) == ([1, 2], [1, 3])
    assert len(queries) == (1 if counts_in == "database" else 0)


@pytest.fixture
def redis_writes(monkeypatch):  # type: ignore[no-untyped-def]
    """The commands sent to Redis: each send is one round trip (its replies are read after)."""
    sent: list[bytes] = []
    send = redis.connection.AbstractConnection.send_packed_command

    def spy(self, command, check_health=True):  # type: ignore[no-untyped-def]
        sent.append(b"".join(command) if isinstance(command, list) else command)
        return send(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", spy)
    return sent


def test_redis_counts_in_one_round_trip_and_forgets_the_window_at_its_end(redis_writes):
    with override_settings(CACHES=REDIS_RATE_CACHE, WENMING_CACHE="redis"):
        cache = caches["default"]
        forget_counts()  # also connects: the connection's own greeting is not the hit's
        redis_writes.clear()
        # 30.5 s into the current hour (and minute): each window ends at a known time, and no
        # window rolls over between the hits, whenever the test runs.
        now = time.time() // 3600 * 3600 + 30.5
        counts = [
            rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=now) for _ in range(2)
        ]
        assert counts == [1, 2] and len(redis_writes) == 2
        assert b"INCR" in redis_writes[0] and b"EXPIRE" in redis_writes[0]
        client = cache._cache.get_client()
        keys = client.keys(f"{cache.key_prefix}:*wm-rate:login:*")
        assert len(keys) == 1 and 20 <= client.ttl(keys[0]) <= 30  # the minute's end
        redis_writes.clear()
        both = rate_windows_hit([("login", 60), ("login", 3600)], ident="10.0.0.1", now=now)
        assert both == [3, 1] and len(redis_writes) == 1  # both windows: one round trip
        (hour,) = client.keys(f"{cache.key_prefix}:*wm-rate:login:3600:*")
        assert 3560 <= client.ttl(hour) <= 3570  # the hour's end
        forget_counts()


def test_the_periodic_purge_deletes_ended_windows_and_keeps_current_ones(db):
    purge = {job.name: job for job in registered_jobs()}["core.rate_windows_purge"].function
    with override_settings(CACHES=DATABASE_CACHE, WENMING_CACHE="database"):
        rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=T)
        rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=T + 60)
        rate_window_hit(scope="login", ident="10.0.0.1", period=3600, now=T)
        with time_machine.travel(T + 60, tick=False):
            purge()
            purge()  # a second run finds nothing more to do
        assert sorted(w.expires_at.minute for w in RateWindow.objects.all()) == [0, 2]
        assert rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=T + 61) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clients_hitting_one_window_at_once_are_each_counted():
    """No lost update: concurrent hits on one key see each count from 1 to their number once."""
    threads, hits_each = 8, 25
    barrier = threading.Barrier(threads)
    counts: list[int] = []

    def hit() -> None:
        try:
            connection.ensure_connection()  # connected first: the hits themselves overlap
            barrier.wait()
            for _ in range(hits_each):
                counts.append(rate_window_hit(scope="login", ident="10.0.0.1", period=60, now=T))
        finally:
            connection.close()

    with override_settings(CACHES=DATABASE_CACHE, WENMING_CACHE="database"):
        started = [threading.Thread(target=hit) for _ in range(threads)]
        for thread in started:
            thread.start()
        for thread in started:
            thread.join()
    assert sorted(counts) == list(range(1, threads * hits_each + 1))
    assert RateWindow.objects.get().count == threads * hits_each


@pytest.mark.postgres
@override_settings(CACHES=DATABASE_CACHE, WENMING_CACHE="database")
def test_counts_are_kept_without_the_write_ahead_log(db):
    """Counts worth a minute need no crash safety (Redis keeps them in memory too): their
    table is unlogged, so a statement that only counts does not wait for the disk. (SQLite
    has no such tables: there the migration leaves the table as it is.)"""
    assert rate_window_hit(scope="login", ident="10.0.0.9", period=60, now=T) == 1
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass",
            [RateWindow._meta.db_table],
        )
        assert cursor.fetchone()[0] == "u"
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s", [RateWindow._meta.db_table]
        )
        assert cursor.fetchone()[0] == 1  # the key's unique index only
