"""A retried submission with the same Idempotency-Key never makes a second case."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from wenming.api.models import IdempotencyKey
from wenming.cases.models import Case

from .conftest import assert_error, grid_point, jpeg

LIST = "/api/v1/cases/"


def body(**overrides) -> dict:
    lat, lon = grid_point()
    return {"description": "井盖缺失很危险", "lat": lat, "lon": lon, **overrides}


def test_the_same_key_twice_returns_the_first_case(anon):
    first = anon.post(LIST, body(), HTTP_IDEMPOTENCY_KEY="k-1")
    again = anon.post(LIST, body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Case.objects.filter(description="井盖缺失很危险").count() == 1


def test_the_same_key_with_photos_twice_returns_the_first_case(anon):
    first = anon.post(LIST, body(photos=[jpeg()]), format="multipart", HTTP_IDEMPOTENCY_KEY="p")
    again = anon.post(LIST, body(photos=[jpeg()]), format="multipart", HTTP_IDEMPOTENCY_KEY="p")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Case.objects.get(code=first.json()["code"]).attachments.count() == 1


def test_the_same_key_with_another_body_is_422(anon):
    anon.post(LIST, body(), HTTP_IDEMPOTENCY_KEY="k-2")
    response = anon.post(LIST, body(description="另一件事"), HTTP_IDEMPOTENCY_KEY="k-2")
    assert_error(response, 422, "idempotency_key_reused")
    assert not Case.objects.filter(description="另一件事").exists()


def test_keys_are_per_user(client_for):
    one = client_for("operator").post(LIST, body(), HTTP_IDEMPOTENCY_KEY="shared")
    two = client_for("dispatcher").post(LIST, body(), HTTP_IDEMPOTENCY_KEY="shared")
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["code"] != two.json()["code"]


def test_a_failed_submission_does_not_burn_the_key(anon):
    assert anon.post(LIST, body(lat=100), HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
    assert anon.post(LIST, body(), HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


def test_without_a_key_each_post_is_a_new_case(anon):
    anon.post(LIST, body())
    anon.post(LIST, body())
    assert Case.objects.filter(description="井盖缺失很危险").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_case(transactional_city):
    results: list[tuple[int, str]] = []

    def post() -> None:
        try:
            response = APIClient().post(LIST, body(), format="json", HTTP_IDEMPOTENCY_KEY="race")
            results.append((response.status_code, response.json().get("code", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in results) == [200, 200, 200, 201]
    assert len({code for _, code in results}) == 1
    assert Case.objects.filter(description="井盖缺失很危险").count() == 1
    assert IdempotencyKey.objects.filter(key="race").count() == 1
