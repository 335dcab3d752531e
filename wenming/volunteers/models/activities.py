"""Activities (one-off or recurring), their shifts, and sign-ups with check-in/out."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel

from .people import ServiceType


class ActivityKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    RECURRING = "recurring", _("Recurring shift roster")


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


def new_checkin_key() -> str:
    return secrets.token_urlsafe(16)


class Activity(TimeStampedModel):
    """A volunteer activity at a place. Volunteers sign up for its shifts; check-in is checked
    against the place (within `radius_m`) and the shift's time window."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    service_type = models.CharField(_("service type"), max_length=12, choices=ServiceType.choices)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.ONE_OFF
    )
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("organizing team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    team_only = models.BooleanField(_("only members of the team may sign up"), default=False)
    need = models.OneToOneField(
        "volunteers.Need",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity",
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("place"), max_length=200)
    lat = models.FloatField(_("latitude (WGS-84)"))
    lon = models.FloatField(_("longitude (WGS-84)"))
    radius_m = models.PositiveIntegerField(_("check-in radius (metres)"), default=200)
    capacity = models.PositiveSmallIntegerField(_("volunteers per shift"))
    weekdays = models.JSONField(_("weekdays (0 = Monday)"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PUBLISHED,
        db_index=True,
    )
    checkin_key = models.CharField(max_length=40, default=new_checkin_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Shift(models.Model):
    """One turn of an activity (a day's 7:00–9:00 at an intersection, or the whole one-off
    activity), with its own capacity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class SignupStatus(models.TextChoices):
    ACTIVE = "active", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")


class CheckinMethod(models.TextChoices):
    LOCATION = "location", _("Location")
    QR = "qr", _("QR code")


class Signup(models.Model):
    """A volunteer's place on a shift, with the check-in/out that back the confirmed hours."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="signups",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_method = models.CharField(
        _("check-in by"), max_length=10, choices=CheckinMethod.choices, blank=True
    )
    check_in_distance_m = models.PositiveIntegerField(_("distance at check-in (m)"), null=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_distance_m = models.PositiveIntegerField(_("distance at check-out (m)"), null=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("hours confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["shift__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status="active"),
                name="one_active_signup_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.shift}"

    @property
    def attended(self) -> timedelta | None:
        if self.checked_in_at and self.checked_out_at:
            return self.checked_out_at - self.checked_in_at
        return None
