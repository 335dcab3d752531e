"""Caller numbers: mainland mobiles (validated by wenming.core.validators) or landlines with
their area code. A landline is stored as "0472-5123456": area codes 010 and 02x have three
digits, every other one four."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenming.core.validators import validate_mobile_phone

LANDLINE_DIGITS = re.compile(r"^0(?:[12]\d{9}|[3-9]\d{9,10})$")


def _area_length(digits: str) -> int:
    return 3 if digits[1] in "12" else 4


def validate_caller_phone(value: str) -> str:
    """The caller's number normalised: 11 mobile digits, or a landline "area-number"."""
    try:
        return validate_mobile_phone(value)
    except ValidationError:
        pass
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    digits = re.sub(r"^\+?86(?=[2-9])", "0", digits)
    if not LANDLINE_DIGITS.match(digits):
        raise ValidationError(
            _(
                "Enter a mobile number (11 digits) or a landline with its area code, "
                "e.g. 0472-5123456."
            ),
            code="caller_phone",
        )
    area = _area_length(digits)
    return f"{digits[:area]}-{digits[area:]}"
