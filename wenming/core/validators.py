"""Validators for Chinese personal identifiers, shared by every app that takes them.

* Resident identity numbers (居民身份证号码) follow GB 11643-1999: 6 digits of area code,
  8 digits of birth date (YYYYMMDD), 3 digits of sequence (odd for men, even for women) and a
  check character computed with ISO 7064 MOD 11-2 (0–9 or X).
* Mainland mobile numbers are 11 digits starting with 13–19; "+86", spaces and dashes are
  accepted on input and dropped.

Each validator returns the normalised value or raises Django's ValidationError with a
translated message and a code, so forms show it as it is and services can re-raise it.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# First two digits: the province-level divisions of GB/T 2260 (91 is not used by residents).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")
EARLIEST_BIRTH = date(1900, 1, 1)
# Dates that filters and periods accept: a day's local start at either end of Python's
# calendar has no UTC time (year 1 in Asia/Shanghai begins in year 0 UTC), which was a 500
# found by the API fuzz test; no case or metric lies outside these years anyway.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def validate_day_in_range(day: date) -> None:
    """A date for a filter or period: between FIRST_DAY and LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_number_birth_date(number: str) -> date:
    """The birth date written in an 18-digit number (ValueError when it is not a real date)."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_id_number(value: str) -> str:
    """Check an identity number (shape, province, birth date, check character); return it
    normalised (no spaces, upper-case X)."""
    number = normalize_id_number(value)
    if not ID_SHAPE.match(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a last digit or X."),
            code="id_shape",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The identity number does not start with a valid area code."), code="id_area"
        )
    try:
        born = id_number_birth_date(number)
    except ValueError:
        born = None
    if born is None or not EARLIEST_BIRTH <= born <= timezone.localdate():
        raise ValidationError(
            _("The birth date in the identity number (digits 7–14) is not a possible date."),
            code="id_birth_date",
        )
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The identity number is not valid: its last character does not match (check digit)."),
            code="id_check_digit",
        )
    return number


def normalize_mobile_phone(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    return re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)


def validate_mobile_phone(value: str) -> str:
    """Check a mainland mobile number; return its 11 digits."""
    number = normalize_mobile_phone(value)
    if not MOBILE_SHAPE.match(number):
        raise ValidationError(
            _("Enter a mainland mobile number: 11 digits starting with 13 to 19."),
            code="mobile_phone",
        )
    return number
