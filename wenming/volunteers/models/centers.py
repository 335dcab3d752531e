"""Practice centers (新时代文明实践中心/所/站), the service policy and star levels."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class CenterLevel(models.TextChoices):
    CENTER = "center", _("Practice center (county/district)")
    INSTITUTE = "institute", _("Practice institute (street/town)")
    STATION = "station", _("Practice station (community/village)")


class Center(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=CenterLevel.choices)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="centers"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("practice center")
        verbose_name_plural = _("practice centers")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_center_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class ServicePolicy(models.Model):
    """The volunteer-service rules a city sets (one row, edited in the admin): deadlines of
    the four orders and the check-in window. Read it with `ServicePolicy.current()`."""

    review_hours = models.PositiveIntegerField(_("hours to review a need"), default=48)
    take_hours = models.PositiveIntegerField(_("hours for a team to take a need"), default=24)
    rate_days = models.PositiveIntegerField(_("days the requester may rate"), default=7)
    checkin_early_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before the shift)"), default=30
    )
    checkout_late_minutes = models.PositiveIntegerField(
        _("check-out closes (minutes after the shift)"), default=120
    )
    default_radius_m = models.PositiveIntegerField(
        _("default check-in radius (metres)"), default=200
    )
    reminder_hours = models.PositiveIntegerField(
        _("remind volunteers (hours before a shift)"), default=24
    )

    class Meta:
        verbose_name = _("volunteer service policy")
        verbose_name_plural = _("volunteer service policy")

    def __str__(self) -> str:
        return str(_("Volunteer service policy"))

    @classmethod
    def current(cls) -> ServicePolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)


DEFAULT_STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)


class StarLevel(models.Model):
    """Hours a volunteer needs for each star (一星 … 五星); defaults 100/300/600/1000/1500."""

    stars = models.PositiveSmallIntegerField(_("stars"), unique=True)
    min_hours = models.DecimalField(
        _("minimum hours"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    class Meta:
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")
        ordering = ["stars"]

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_hours} h"
