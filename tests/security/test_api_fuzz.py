"""Schemathesis against the REST API's own OpenAPI schema: generated requests (valid and
invalid) as a dispatcher must never crash the server, and every answer must match the schema
(status code, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from wenming.wsgi import application


@pytest.fixture
def api_schema(city):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(cast) -> str:  # type: ignore[no-untyped-def]
    return Token.objects.get_or_create(user=cast.dispatcher)[0].key


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_within_its_schema(case, token, settings):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response)
