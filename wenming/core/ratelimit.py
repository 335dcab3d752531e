"""Rate-limit counting, one way for the whole site: fixed windows, one hit at a time.

A hit of a client (`ident`) in a `scope` counts in the window of `period` seconds that holds
the moment of the hit (window n runs from n × period to (n + 1) × period); the caller compares
the count with its limit and asks a refused client to wait until the window ends. The window's
number is part of the key, so each window starts from zero with no reset; refused hits count
too, which changes nothing within their window. The portal's and sign-in's limits
(wenming.accounts_security.ratelimit) and the API's throttles (wenming.api.throttling) count
here.

The counts live where the server processes share state, following the cache (WENMING_CACHE,
i.e. CACHES["default"]), with one database statement or one Redis round trip per hit (or per
request, for the hits of several scopes: rate_windows_hit):
- Redis: INCR and EXPIRE in one pipelined round trip on the cache's own client; the key
  vanishes when its window ends. (Django's `add` + `incr` is three round trips.)
- database: one INSERT … ON CONFLICT DO UPDATE … RETURNING on the RateWindow table; the job
  core.rate_windows_purge deletes ended windows. Django's DatabaseCache spends three or four
  statements on each `set`: with DRF's throttles (a pickled list of request times, read and
  written whole) that was eight statements per anonymous submission and a third of the
  production intake rate (bench/intake.py).
- any other cache (memory: the demo's single process, the tests): its `add` and `incr`.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import UTC, datetime

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone

from .models import RateWindow

Window = tuple[str, int]  # (scope, period in seconds)


def rate_window_hit(*, scope: str, ident: str, period: int, now: float | None = None) -> int:
    """Count one hit of `ident` in `scope`'s current window of `period` seconds (`now`: a
    Unix time, default the current one); returns the window's count, this hit included."""
    return rate_windows_hit([(scope, period)], ident=ident, now=now)[0]


def rate_windows_hit(windows: list[Window], *, ident: str, now: float | None = None) -> list[int]:
    """One hit of `ident` in each of several scopes' windows at once (an anonymous
    submission counts under the API's general limit and the submission limit), in one
    statement or one Redis round trip; returns their counts in the same order."""
    now = time.time() if now is None else now
    ends = {
        _key(scope, period, now, ident): (int(now // period) + 1) * period
        for scope, period in windows
    }
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        counts = _redis_hits(cache, {key: math.ceil(end - now) for key, end in ends.items()})
    elif isinstance(cache, DatabaseCache):
        counts = _database_hits(ends)
    else:
        counts = {
            key: _cache_hit(cache, key, seconds=math.ceil(end - now)) for key, end in ends.items()
        }
    return [counts[key] for key in ends]


def _key(scope: str, period: int, now: float, ident: str) -> str:
    return f"wm-rate:{scope}:{period}:{int(now // period)}:{_short(ident)}"


def rate_window_wait(*, period: int, now: float) -> int:
    """Whole seconds from `now` to the end of its window: what a refused client waits (at
    least 1, as a Retry-After of 0 would invite the same refused request at once)."""
    ends_at = (now // period + 1) * period
    return max(1, math.ceil(ends_at - now))


def rate_windows_purge(*, now: datetime | None = None) -> int:
    """Delete the database's ended windows (their keys never count again); returns how many."""
    deleted, _ = RateWindow.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _short(ident: str) -> str:
    # An address is at most 45 characters; DRF takes its ident from X-Forwarded-For as sent,
    # which a client can make long: hashed, it still fits the key column.
    return ident if len(ident) <= 64 else hashlib.sha256(ident.encode()).hexdigest()


def _redis_hits(cache: RedisCache, seconds: dict[str, int]) -> dict[str, int]:
    # The cache's prefix and version, as its own keys.
    keys = {key: cache.make_and_validate_key(key) for key in seconds}
    # All commands go in one write and Redis runs a connection's commands in order, so each
    # key gets its expiry without MULTI/EXEC (two more commands and replies a hit). EXPIRE on
    # every hit rather than Redis 7's EXPIRE NX: each hit of a window sets the same end, and
    # any Redis version takes it.
    pipe = cache._cache.get_client(write=True).pipeline(transaction=False)
    for key, left in seconds.items():
        pipe.incr(keys[key])
        pipe.expire(keys[key], left)
    replies = pipe.execute()
    return {key: int(count) for key, count in zip(seconds, replies[::2], strict=True)}


def _database_hits(ends: dict[str, int]) -> dict[str, int]:
    # One statement creates or bumps the windows' rows and reads them (PostgreSQL, SQLite ≥
    # 3.35; as cases.services.case_stamp). Outside a transaction, as the throttles and the
    # middleware run, the rows are locked for this statement only, always in key order (no
    # deadlock between two such statements).
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    key_column, count = connection.ops.quote_name("key"), connection.ops.quote_name("count")
    keys = sorted(ends)
    params = [
        value
        for key in keys
        for value in (
            key,
            connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends[key], UTC)),
        )
    ]
    rows = ", ".join(["(%s, 1, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count}, expires_at) VALUES {rows} "  # noqa: S608 (our names)
            f"ON CONFLICT ({key_column}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {key_column}, {count}",
            params,
        )
        return {key: int(number) for key, number in cursor.fetchall()}


def _cache_hit(cache: BaseCache, key: str, *, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
