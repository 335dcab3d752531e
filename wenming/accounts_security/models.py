"""Account security state: lockout counters, the second factor, password history and the
login history (登录日志) that users and administrators read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """One row per user, made on first need. The TOTP secret is stored encrypted
    (wenming.core.crypto); recovery codes only as keyed hashes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_security",
        verbose_name=_("user"),
    )
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    totp_secret = models.TextField(_("two-factor secret (encrypted)"), blank=True)
    totp_enabled_at = models.DateTimeField(_("two-factor enabled at"), null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once (no replay).
    totp_last_step = models.BigIntegerField(default=0)
    recovery_codes = models.JSONField(_("recovery code hashes"), default=list, blank=True)

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None


class PasswordRecord(models.Model):
    """A password a user has had (its hash only), to refuse reusing recent ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_records"
    )
    encoded = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("password record")
        verbose_name_plural = _("password records")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginOutcome(models.TextChoices):
    SUCCESS = "success", _("Signed in")
    BAD_PASSWORD = "bad_password", _("Wrong user name or password")
    BAD_CODE = "bad_code", _("Wrong verification code")
    LOCKED = "locked", _("Refused: account locked")
    TIMEOUT = "timeout", _("Signed out after inactivity")


class LoginEvent(models.Model):
    """One sign-in attempt or security sign-out: append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the history outlives a deleted account
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name entered"), max_length=150)
    outcome = models.CharField(_("outcome"), max_length=16, choices=LoginOutcome.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("login event")
        verbose_name_plural = _("login history")

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.outcome == LoginOutcome.SUCCESS
