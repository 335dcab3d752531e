"""Fixtures for account security: users with fast password hashing, a sign-in helper that
posts the real login form, and a TOTP app that shows the code for any moment."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

PASSWORD = "Chang3-me!now"
LOGIN = "/accounts/login/"
CODE = "/accounts/security/code/"


@pytest.fixture(autouse=True)
def fast_hashing_and_clean_cache(settings):  # type: ignore[no-untyped-def]
    """MD5 keeps tests that hash many passwords quick; PBKDF2 stays to check seeded ones."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    def make(username: str = "alice", **extra):  # type: ignore[no-untyped-def]
        user = get_user_model()(username=username, **extra)
        user.set_password(PASSWORD)  # as the admin's add-user form does: history recorded
        user.save()
        return user

    return make


@pytest.fixture
def alice(make_user):  # type: ignore[no-untyped-def]
    return make_user("alice", first_name="Alice")


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def enrol(client: Client, user) -> str:  # type: ignore[no-untyped-def]
    """Turn on TOTP for a signed-in client the way a user does; returns the secret."""
    client.get("/accounts/security/two-factor/")
    secret = client.session["_wm_totp_enrol_secret"]
    response = client.post("/accounts/security/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and response.context["codes"]
    return secret
