"""Password policy: each rule refuses with a clear message, and none of the last five
passwords may come back."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from wenming.accounts_security.models import PasswordRecord

from .conftest import PASSWORD

CHANGE = "/accounts/password/"


def refusal(password: str, user=None) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return " ".join(caught.value.messages)


def test_a_strong_password_passes():
    validate_password("Quiet-Harbor-72")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "too short. It must contain at least 10 characters"),
        ("1q2w3e4r5t", "too common"),
        ("84736251093847", "entirely numeric"),
        ("quiet harbor seventy", "at least 3 of these: lower-case letters, upper-case"),
        ("QUIETHARBOR2026", "at least 3 of these"),
    ],
)
def test_each_rule_refuses_with_its_message(db, password, message):
    assert message in refusal(password)


def test_a_password_like_the_user_name_is_refused(make_user):
    user = make_user("wangxiaoming")
    assert "too similar to the username" in refusal("Wangxiaoming1!", user)


def test_three_kinds_of_character_are_enough():
    for password in ("quiet-harbor-72", "Quiet-Harbor-go", "QuietHarbor72x"):
        validate_password(password)


def change_password(client, old: str, new: str):  # type: ignore[no-untyped-def]
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize("back", [0, 1, 2, 3, 4])
def test_none_of_the_last_five_passwords_can_come_back(client, alice, back):
    client.force_login(alice)
    history = [PASSWORD, "Second-pass-22", "Third-pass-33", "Fourth-pass-44", "Fifth-pass-55"]
    for old, new in zip(history, history[1:], strict=False):
        assert change_password(client, old, new).status_code == 302
    # history[-1] is the current password; `back` steps back from it.
    response = change_password(client, history[-1], history[-1 - back])
    assert response.status_code == 200
    assert "must differ from your last 5 passwords" in response.content.decode()


def test_the_sixth_password_back_may_be_used_again(client, alice):
    client.force_login(alice)
    history = [PASSWORD, "Second-pass-22", "Third-pass-33", "Fourth-pass-44", "Fifth-pass-55"]
    for old, new in zip(history, [*history[1:], "Sixth-pass-66"], strict=False):
        assert change_password(client, old, new).status_code == 302
    assert change_password(client, "Sixth-pass-66", PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert PasswordRecord.objects.filter(user=alice).count() == 5  # older ones are dropped


def test_an_account_from_before_the_history_cannot_keep_its_password(alice):
    PasswordRecord.objects.filter(user=alice).delete()
    assert "must differ from your last 5 passwords" in refusal(PASSWORD, alice)


def test_an_account_made_in_code_cannot_keep_its_first_password(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("zed", password=PASSWORD)  # no history row
    assert "must differ from your last 5 passwords" in refusal(PASSWORD, user)


def test_the_change_form_shows_the_rules_as_help(client, alice):
    client.force_login(alice)
    page = client.get(CHANGE).content.decode()
    assert "at least 10 characters" in page and "differ from your last 5 passwords" in page
