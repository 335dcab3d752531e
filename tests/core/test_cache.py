"""The cache all server processes share (WENMING_CACHE): rate limits, lockouts, privacy codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from wenming.core.production import production_problems

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wenming_cache",
    }
}


# Redis database 13: the tests' own (tests/core/test_tasks.py), never the default 0.
REDIS_URL = f"{os.environ.get('WENMING_TEST_REDIS', 'redis://127.0.0.1:6379')}/13"
REDIS_CACHE = {
    "default": {"BACKEND": "wenming.core.redis_clients.RedisCache", "LOCATION": REDIS_URL}
}


def chosen_cache(**env: str) -> str:
    """The cache backend the settings choose in a fresh process with this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WENMING_CACHE"}}
    code = "from wenming import settings; print(settings.CACHES['default']['BACKEND'])"
    done = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_redis_when_configured_a_table_in_production_memory_for_one_process():
    assert chosen_cache(REDIS_URL="redis://127.0.0.1:6379/0").endswith("RedisCache")
    production = {"WENMING_PRODUCTION": "1", "SECRET_KEY": "x" * 50}
    assert chosen_cache(**production).endswith("DatabaseCache")
    assert chosen_cache().endswith("LocMemCache")
    assert chosen_cache(WENMING_CACHE="database").endswith("DatabaseCache")
    assert "WENMING_CACHE must be one of" in chosen_cache(WENMING_CACHE="memcached")


def test_production_refuses_a_cache_of_its_own_per_process(settings):
    settings.WENMING_CACHE = "memory"
    assert "WENMING_CACHE is memory" in " ".join(production_problems())
    settings.WENMING_CACHE = "database"
    assert not any("WENMING_CACHE" in problem for problem in production_problems())


def test_serve_creates_the_cache_table(db, settings, serve_argv):
    settings.CACHES = DATABASE_CACHE
    argv = serve_argv()
    assert "wenming_cache" in connection.introspection.table_names()
    assert "gunicorn" in argv


@pytest.mark.parametrize("backend", [DATABASE_CACHE, REDIS_CACHE], ids=["database", "redis"])
def test_the_api_rate_limit_counts_in_the_shared_cache(client, db, backend):
    rates = {
        **django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anonymous_submit": "1/minute",
    }
    rest = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    early_in_a_minute = time_machine.travel("2026-11-23 09:00:10 +0800")  # one fixed window
    with early_in_a_minute, override_settings(CACHES=backend, REST_FRAMEWORK=rest):
        call_command("createcachetable")  # the database's table (nothing for Redis)
        caches["default"].clear()
        statuses = [
            client.post("/api/v1/cases/", {"description": "噪音扰民"}).status_code for _ in range(2)
        ]
        caches["default"].clear()
    assert statuses == [statuses[0], 429] and statuses[0] != 429
