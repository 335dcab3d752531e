"""The optional second factor: time-based one-time codes (TOTP, RFC 6238) from an
authenticator app, plus one-time recovery codes.

A code is accepted once: the time step of the last accepted code is stored and only later
steps pass, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto
from wenming.core.errors import InvalidInput

from .models import AccountSecurity

RECOVERY_CODES = 8


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_qr_data_uri(*, user: User, secret: str) -> str:
    """The otpauth:// address as a QR code (SVG data URI) for the authenticator app."""
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.get_username(), issuer_name=f"Wenming {settings.WENMING_CITY_NAME}"
    )
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normalize(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is, allowing one step (30 s) of clock drift each way."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_hash(user: User, code: str) -> str:
    return crypto.keyed_hash(_normalize(code), purpose=f"recovery-code:{user.pk}")


def _state_for_update(user: User) -> AccountSecurity:
    AccountSecurity.objects.get_or_create(user=user)
    return AccountSecurity.objects.select_for_update().get(user=user)


def totp_enable(*, user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on once the user proves their app shows the right code.
    Returns new recovery codes: shown once, stored only as keyed hashes."""
    step = _matching_step(secret, _normalize(code), timezone.now())
    if step is None:
        raise InvalidInput(_("This code is not right. Check the time on your phone and try again."))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _i in range(RECOVERY_CODES)]
    with transaction.atomic():
        state = _state_for_update(user)
        state.totp_secret = crypto.encrypt(secret)
        state.totp_enabled_at = timezone.now()
        state.totp_last_step = step
        state.recovery_codes = [_recovery_hash(user, c) for c in codes]
        state.save()
    return codes


def totp_enabled(user: User) -> bool:
    return AccountSecurity.objects.filter(user=user, totp_enabled_at__isnull=False).exists()


def totp_check(*, user: User, code: str) -> bool:
    """True for a fresh code from the app (then spent) or an unused recovery code (then
    crossed off). The row is locked so two requests cannot both spend the same code."""
    code = _normalize(code)
    with transaction.atomic():
        state = _state_for_update(user)
        if not state.totp_enabled:
            return False
        step = _matching_step(crypto.decrypt(state.totp_secret), code, timezone.now())
        if step is not None and step > state.totp_last_step:
            state.totp_last_step = step
            state.save(update_fields=["totp_last_step"])
            return True
        hashed = _recovery_hash(user, code)
        if len(code) > 6 and hashed in state.recovery_codes:
            state.recovery_codes = [h for h in state.recovery_codes if h != hashed]
            state.save(update_fields=["recovery_codes"])
            return True
    return False


def totp_disable(*, user: User) -> None:
    """Turn the second factor off (the user, or an administrator resetting a lost phone)."""
    AccountSecurity.objects.filter(user=user).update(
        totp_secret="", totp_enabled_at=None, totp_last_step=0, recovery_codes=[]
    )


def recovery_codes_left(user: User) -> int:
    state = AccountSecurity.objects.filter(user=user).first()
    return len(state.recovery_codes) if state else 0
