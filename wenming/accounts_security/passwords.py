"""Password rules beyond Django's own (length, common, numeric, similar to the user):
character variety and no reuse of recent passwords. Listed in AUTH_PASSWORD_VALIDATORS, so
every place that sets a password (change form, admin, createsuperuser) applies them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PasswordRecord


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        kinds = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(kinds) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_plain")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(min)d of these: lower-case letters, upper-case "
            "letters, digits and symbols."
        ) % {"min": self.min_classes}


class PasswordHistoryValidator:
    """Refuses the user's last `count` passwords (the current one included); remembers each
    new password's hash when it is saved."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent_hashes(self, user: Any) -> list[str]:
        """The current password and the ones before it, `count` in all. The current one is
        usually the newest record; accounts made without the validators (create_user, or
        before this rule) have it only on the user row."""
        records = PasswordRecord.objects.filter(user=user).values_list("encoded", flat=True)
        return list(dict.fromkeys([user.password, *records[: self.count]]))[: self.count]

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordRecord.objects.create(user=user, encoded=user.password)
        keep = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[: self.count]
        PasswordRecord.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}
