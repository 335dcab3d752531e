"""Redis clients made once per process, not once per use.

With Redis configured (REDIS_URL), a citizen's submission spent more CPU making Redis
clients than on everything else: redis-py 8 reads its own package metadata (a parse of its
METADATA file through importlib.metadata) for every client and connection it makes, Django's
RedisCache makes a client for each cache operation (the rate-limit counts, core.ratelimit),
and django-rq makes a new client — a new pool, a new TCP connection — for every job it
enqueues (bench/intake.py --redis). The Redis backends below — of the jobs and of the
cache, chosen in settings — read the version once and keep one client per queue
configuration or connection pool, when they are first used: a process without Redis imports
none of this. redis-py's clients and pools are thread-safe, and a pool starts afresh in a
forked process.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.cache.backends import redis as redis_cache
from django_tasks_rq import RQBackend as LibraryRQBackend

_clients: dict[tuple[str, bool], Any] = {}


def read_redis_version_once() -> None:
    import redis.utils

    if not hasattr(redis.utils.get_lib_version, "cache_info"):
        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)


def share_redis_clients() -> None:
    """django-rq's connections kept per process (`queue_connection`); redis-py's version once."""
    import django_rq
    import django_rq.queues

    read_redis_version_once()
    django_rq.queues.get_connection = queue_connection  # what get_queue calls
    django_rq.get_connection = queue_connection


class RQBackend(LibraryRQBackend):
    """django-tasks-rq's job backend, with django-rq's clients shared (WENMING_TASK_BACKEND=redis)."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        share_redis_clients()
        super().__init__(alias, params)


def queue_connection(name: str = "default", use_strict_redis: bool = False) -> Any:
    """django_rq.get_connection, kept per queue configuration (settings may change it)."""
    import django_rq.settings
    from django_rq.connection_utils import get_redis_connection

    config = django_rq.settings.QUEUES[name]
    key = (repr(sorted(config.items(), key=str)), use_strict_redis)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = get_redis_connection(config, use_strict_redis)
    return client


class RedisCacheClient(redis_cache.RedisCacheClient):
    """Django's, keeping one redis-py client per connection pool (Django makes one for each
    operation, which redis-py 8 makes expensive: a dict of response callbacks each time)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        read_redis_version_once()
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis_cache.RedisCache):
    """Django's Redis cache with the client above (WENMING_CACHE=redis)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
