"""Fixtures for the API tests: token-authenticated clients for the demo cast, an Open311 API
key, and the problem-loop fixtures of tests/cases (category, submit, advance, jpeg)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.cases.conftest import (
    advance,
    category,
    grid_point,
    jpeg,
    other_unit,
    street_unit,
    submit,
)

__all__ = ["advance", "category", "grid_point", "jpeg", "other_unit", "street_unit", "submit"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon(city) -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(cast):
    """client_for("dispatcher") → an APIClient sending that user's token."""

    def make(username: str) -> APIClient:
        token, _ = Token.objects.get_or_create(user=cast[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api_key(city) -> str:
    from wenming.api.open311.services import api_key_create

    _key, raw = api_key_create(name="测试客户端")
    return raw


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error format: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error
