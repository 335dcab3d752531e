"""Anonymous use is rate limited; the 429 comes in the one error format."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.core.test_cache import DATABASE_CACHE
from wenming.core.models import RateWindow

from .conftest import assert_error, grid_point

RATES = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anonymous": "3/minute"}


@pytest.fixture(autouse=True)
def early_in_a_minute():  # type: ignore[no-untyped-def]
    """Requests count in fixed one-minute windows: a test starting late in a minute could
    otherwise see its count start again halfway."""
    with time_machine.travel("2026-11-23 09:00:10 +0800"):
        yield


def test_anonymous_reads_are_throttled(anon):
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    ):
        statuses = [anon.get("/api/v1/categories/").status_code for _ in range(4)]
        response = anon.get("/api/v1/categories/")
    assert statuses == [200, 200, 200, 429]
    error = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0 and error["fields"] == {}


def test_anonymous_submissions_have_their_own_stricter_rate(anon):
    rates = {**RATES, "anonymous": "100/minute", "anonymous_submit": "1/minute"}
    lat, lon = grid_point()
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        first = anon.post("/api/v1/cases/", {"description": "噪音扰民", "lat": lat, "lon": lon})
        second = anon.post("/api/v1/cases/", {"description": "噪音扰民", "lat": lat, "lon": lon})
    assert first.status_code == 201
    assert_error(second, 429, "throttled")


def test_signed_in_staff_are_not_throttled_as_anonymous(client_for):
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    ):
        statuses = {
            client_for("dispatcher").get("/api/v1/categories/").status_code for _ in range(5)
        }
    assert statuses == {200}


def test_open311_answers_429_in_the_spec_format(anon):
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    ):
        for _ in range(3):
            anon.get("/open311/v2/services.json")
        response = anon.get("/open311/v2/services.json")
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429 and response.json()[0]["description"]


def test_clients_behind_the_trusted_proxy_count_by_their_own_address(anon):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=rest):
        first = [
            anon.get("/api/v1/categories/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.1.1.1").status_code
            for _ in range(4)
        ]  # the first entry is the client's own claim: only the proxy's entry counts
        other = anon.get("/api/v1/categories/", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code
    assert first == [200, 200, 200, 429] and other == 200


def test_in_production_the_database_counts_with_one_statement_per_request(anon):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    with override_settings(CACHES=DATABASE_CACHE, WENMING_CACHE="database", REST_FRAMEWORK=rest):
        with CaptureQueriesContext(connection) as queries:
            statuses = [anon.get("/api/v1/categories/").status_code for _ in range(3)]
        statements = [q["sql"] for q in queries.captured_queries]
        response = anon.get("/api/v1/categories/")
    assert statuses == [200, 200, 200]
    error = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60 and error["fields"] == {}
    assert len([sql for sql in statements if "core_ratewindow" in sql]) == 3
    assert not any("wenming_cache" in sql for sql in statements)


def test_in_production_a_submission_counts_under_both_limits_in_one_statement(anon):
    lat, lon = grid_point()
    rates = {**RATES, "anonymous": "3/minute", "anonymous_submit": "2/minute"}
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    production = override_settings(
        CACHES=DATABASE_CACHE, WENMING_CACHE="database", REST_FRAMEWORK=rest
    )
    report = {"description": "噪音扰民", "lat": lat, "lon": lon}
    with production, CaptureQueriesContext(connection) as queries:
        first = anon.post("/api/v1/cases/", report)
    counted = [q["sql"] for q in queries.captured_queries if "core_ratewindow" in q["sql"]]
    assert first.status_code == 201 and len(counted) == 1
    with production:
        second = anon.post("/api/v1/cases/", report)
        refused = anon.post("/api/v1/cases/", report)  # the third: over the submission limit
        read = anon.get("/api/v1/categories/")  # the fourth request: over the general one
    assert second.status_code == 201
    assert_error(refused, 429, "throttled")
    assert_error(read, 429, "throttled")
    assert {w.key.split(":")[1]: w.count for w in RateWindow.objects.all()} == {
        "api-anonymous": 4,
        "api-anonymous_submit": 3,
    }
