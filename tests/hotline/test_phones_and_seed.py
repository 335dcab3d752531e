"""Caller numbers (mobiles and landlines), the call service's own checks and the demo seed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wenming.core.errors import PermissionDenied
from wenming.hotline import services
from wenming.hotline.models import KnowledgeItem, Place
from wenming.hotline.phones import validate_caller_phone
from wenming.hotline.seed import seed_demo


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("0472-5123456", "0472-5123456"),
        ("(0472)51234567", "0472-51234567"),
        ("010 12345678", "010-12345678"),
        ("+86 472 5123456", "0472-5123456"),
    ],
)
def test_mobiles_and_landlines_are_normalised(raw, stored):
    assert validate_caller_phone(raw) == stored


@pytest.mark.parametrize("raw", ["", "5123456", "12345678901", "0472-512", "abc", "1391234567"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_caller_phone(raw)


@pytest.mark.django_db
def test_only_operators_and_dispatchers_take_calls(cast):
    call = services.Call(phone="13912345678", course="路灯不亮")
    with pytest.raises(PermissionDenied):
        services.call_take(token="t", actor=cast.handler, call=call, ending="register")


@pytest.mark.django_db
def test_the_seed_can_run_twice(city):
    places, items = Place.objects.count(), KnowledgeItem.objects.count()
    assert places >= 10 and items >= 20
    seed_demo()
    assert (Place.objects.count(), KnowledgeItem.objects.count()) == (places, items)
