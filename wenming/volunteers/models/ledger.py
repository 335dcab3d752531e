"""The hours ledger (服务时长) and service certificates: both append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import AppendOnlyModel


class EntryKind(models.TextChoices):
    SERVICE = "service", _("Confirmed service")
    CORRECTION = "correction", _("Correction")


class LedgerEntry(AppendOnlyModel):
    """Confirmed hours of one service, or a correction (positive or negative hours) that points
    to the entry it corrects. A volunteer's hours are the sum of their entries."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    service_date = models.DateField(_("service date"))
    activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    signup = models.ForeignKey(
        "volunteers.Signup",
        verbose_name=_("sign-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("recorded by center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note or reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("hours ledger")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The last line of defence against confirming one sign-up twice.
            models.UniqueConstraint(
                fields=["signup"], condition=Q(kind="service"), name="one_service_entry_per_signup"
            ),
            models.CheckConstraint(
                condition=Q(kind="service", hours__gt=0, corrects__isnull=True)
                | Q(kind="correction", corrects__isnull=False),
                name="ledger_entry_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.hours:+} h ({self.get_kind_display()})"


class Certificate(AppendOnlyModel):
    """A service certificate (志愿服务记录证明): a snapshot of the ledger at issue, checkable by
    anyone on the portal with its verification code."""

    code = models.CharField(_("verification code"), max_length=14, unique=True)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    real_name = models.CharField(_("real name"), max_length=50)
    id_number_masked = models.CharField(_("identity number"), max_length=18)
    volunteer_number = models.CharField(_("volunteer number"), max_length=20)
    total_hours = models.DecimalField(_("total hours"), max_digits=7, decimal_places=1)
    entry_count = models.PositiveIntegerField(_("services"))
    first_service_date = models.DateField(_("first service"))
    last_service_date = models.DateField(_("last service"))
    issuer = models.ForeignKey(
        "volunteers.Center", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.real_name}"
