"""Field encryption and keyed hashes."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from wenming.core import crypto


def test_round_trip_and_random_iv():
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second
    assert "1949" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "11010519491231002X"


def test_keyed_hash_is_stable_and_purpose_bound():
    assert crypto.keyed_hash("x") == crypto.keyed_hash("x")
    assert crypto.keyed_hash("x", purpose="a") != crypto.keyed_hash("x", purpose="b")


def test_key_from_the_environment_is_used(monkeypatch):
    token = crypto.encrypt("secret")
    monkeypatch.setenv(crypto.ENV_VAR, Fernet.generate_key().decode())
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)
    assert crypto.decrypt(crypto.encrypt("secret")) == "secret"


def test_a_bad_key_and_a_missing_production_key_are_refused(monkeypatch, settings):
    monkeypatch.setenv(crypto.ENV_VAR, "not-a-key")
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    monkeypatch.delenv(crypto.ENV_VAR)
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
