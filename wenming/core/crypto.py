"""Field-level encryption for personal data (identity numbers, phones) and keyed lookup hashes.

The key comes from the environment variable WENMING_FIELD_KEY: a Fernet key (32 random bytes,
URL-safe base64; make one with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).
Without it, the demo and development derive a key from SECRET_KEY, so a demo database stays
readable across restarts; production (WENMING_PRODUCTION on) refuses to start a write or read
without it. Keep the key apart from database backups: who has both can read the data.

Encrypted values are not searchable, so each one is stored beside a keyed hash
(HMAC-SHA256 under a key derived from the field key) of its normalised plain text: equal
values have equal hashes, which serves unique constraints and exact look-ups without keeping
the plain text. Changing the key means re-encrypting and re-hashing every stored value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .errors import DomainError

ENV_VAR = "WENMING_FIELD_KEY"


class DecryptionFailed(DomainError):
    code = "decryption_failed"
    status = 500


def _field_key() -> bytes:
    if key := os.environ.get(ENV_VAR, "").strip():
        return key.encode()
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(f"{ENV_VAR} must be set when WENMING_PRODUCTION is on.")
    digest = hashlib.sha256(b"wenming-field-key:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(key: bytes) -> Fernet:
    try:
        return Fernet(key)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{ENV_VAR} is not a valid Fernet key: {exc}") from exc


def encrypt(plain: str) -> str:
    """Encrypt text (authenticated, with a random IV: equal inputs give different tokens)."""
    return _fernet(_field_key()).encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token made by `encrypt`; DecryptionFailed when the key or token is wrong."""
    try:
        return _fernet(_field_key()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise DecryptionFailed("the stored value cannot be decrypted with this key") from exc


def keyed_hash(plain: str, *, purpose: str = "lookup") -> str:
    """HMAC-SHA256 (hex) of the text under a key derived from the field key and `purpose`."""
    key = hmac.new(_field_key(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()
