"""Anonymous use is rate limited; the 429 comes in the one error format."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from .conftest import assert_error, grid_point

RATES = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anonymous": "3/minute"}


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
