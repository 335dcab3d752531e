"""Schemathesis against the REST API's own OpenAPI schema: generated requests (valid and
invalid) as a dispatcher must never crash the server, and every answer must match the schema
(status code, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from tests.conftest import make_cast
from wenming.wsgi import application

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_within_its_schema(case):  # type: ignore[no-untyped-def]
    from django.conf import settings as django_settings
    from django.core.cache import cache

    assert django_settings.REST_FRAMEWORK  # throttles count in the cache; start each from zero
    cache.clear()
    token = Token.objects.get_or_create(user=make_cast().dispatcher)[0].key
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response)
