"""Redis clients are made once per process (wenming.core.redis_clients), and still work."""

from __future__ import annotations

import django_rq
import pytest
import redis.utils
from django.core.cache import caches
from django.test import override_settings

from .test_cache import REDIS_CACHE
from .test_cache import REDIS_URL as URL


def test_redis_py_reads_its_version_once():
    redis.utils.get_lib_version()
    before = redis.utils.get_lib_version.cache_info().hits
    redis.utils.get_lib_version()
    assert redis.utils.get_lib_version.cache_info().hits == before + 1


def test_django_rq_keeps_one_client_per_queue_configuration():
    with override_settings(RQ_QUEUES={"default": {"URL": URL}}):
        first, again = django_rq.get_connection(), django_rq.queues.get_connection("default")
        assert first is again and first.ping()
    with override_settings(RQ_QUEUES={"default": {"URL": URL.replace("/13", "/12")}}):
        other = django_rq.get_connection()
    assert other is not first
    assert other.connection_pool.connection_kwargs["db"] == 12


@pytest.fixture
def redis_cache():  # type: ignore[no-untyped-def]
    with override_settings(CACHES=REDIS_CACHE):
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()


def test_the_redis_cache_keeps_its_client_and_works(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
    assert redis_cache.add("wm:test:n", 1, 60) and not redis_cache.add("wm:test:n", 5, 60)
    assert redis_cache.incr("wm:test:n") == 2
    redis_cache.set("wm:test:list", [1.5, 2.5], 60)
    assert redis_cache.get("wm:test:list") == [1.5, 2.5]
    redis_cache.delete("wm:test:n")
    assert redis_cache.get("wm:test:n") is None
