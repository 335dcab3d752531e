"""A citizen's request about their personal data (个人信息保护法 arts. 45 and 47): a copy of
their reports (answered at once) or their deletion (reviewed by the office). The citizen is
known only by the phone they proved with an SMS code: the row keeps its keyed hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Copy of my data")
    DELETION = "deletion", _("Deletion of my data")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    COMPLETED = "completed", _("Done")
    REJECTED = "rejected", _("Refused")


class DataRequest(TimeStampedModel):
    code = models.CharField(_("request code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20)
    reason = models.TextField(_("reason given"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    records_affected = models.PositiveIntegerField(_("records anonymised"), default=0)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open deletion request per person: a second one is refused, not queued.
            models.UniqueConstraint(
                fields=["phone_hash"],
                condition=models.Q(kind="deletion", status="pending"),
                name="one_pending_deletion_per_phone",
            )
        ]

    def __str__(self) -> str:
        return self.code
