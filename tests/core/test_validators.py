"""GB 11643 identity numbers and mainland mobile numbers."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from wenming.core.validators import (
    id_check_char,
    id_number_birth_date,
    validate_id_number,
    validate_mobile_phone,
)

VALID = "11010519491231002X"  # the standard's own example


def test_a_valid_number_passes_and_is_normalised():
    assert validate_id_number(" 11010519491231002x ") == VALID
    assert id_number_birth_date(VALID).isoformat() == "1949-12-31"


def test_check_digit_is_computed_by_iso_7064():
    assert id_check_char("11010519491231002") == "X"
    assert (
        id_check_char("15020419900101123")
        == validate_id_number("15020419900101123" + id_check_char("15020419900101123"))[-1]
    )


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    with override("en"), pytest.raises(ValidationError) as error:
        validate_id_number("110105194912310021")
    assert error.value.code == "id_check_digit"
    assert "check digit" in error.value.messages[0]


@pytest.mark.parametrize("birth", ["19490230", "20991231", "18991231", "19491332"])
def test_an_impossible_birth_date_is_refused(birth):
    first17 = f"110105{birth}002"
    with pytest.raises(ValidationError) as error:
        validate_id_number(first17 + id_check_char(first17))
    assert error.value.code == "id_birth_date"


@pytest.mark.parametrize("value", ["12345", "11010519491231002Y", "", "990105194912310028"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


@pytest.mark.parametrize("value", ["13812345678", "+86 138-1234-5678", "8613812345678"])
def test_mobile_numbers_are_normalised(value):
    assert validate_mobile_phone(value) == "13812345678"


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "0472-1234567", "abc"])
def test_bad_mobile_numbers_are_refused(value):
    with override("en"), pytest.raises(ValidationError, match="mainland mobile"):
        validate_mobile_phone(value)
