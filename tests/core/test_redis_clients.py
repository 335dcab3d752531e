"""Redis clients are made once per process (wenming.core.redis_clients), and still work."""

from __future__ import annotations

import os
import subprocess
import sys

import django_rq
import pytest
import redis.utils
from django.core.cache import caches
from django.test import override_settings

from wenming.core.redis_clients import RQBackend

from .test_cache import REDIS_CACHE
from .test_cache import REDIS_URL as URL


def test_a_process_without_redis_imports_none_of_it():
    code = (
        "import sys, django; django.setup(); import wenming.urls; "
        "print(sorted(m for m in ('redis', 'rq', 'django_rq') if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WENMING_CACHE"}}
    env["DJANGO_SETTINGS_MODULE"] = "wenming.settings"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_backends_read_redis_pys_version_once(redis_cache):
    redis_cache.get("wm:test:any")  # the cache's client is made: the version is read once
    before = redis.utils.get_lib_version.cache_info().hits
    redis.utils.get_lib_version()
    assert redis.utils.get_lib_version.cache_info().hits == before + 1


def test_django_rq_keeps_one_client_per_queue_configuration():
    RQBackend("default", {})  # the job backend shares django-rq's clients from its start
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
