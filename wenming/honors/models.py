"""Good people (好人榜) and moral models (道德模范): nominations with story and photos, review,
levels, and the public list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class HonorCategory(models.TextChoices):
    HELPING = "helping", _("Helping others")
    COURAGE = "courage", _("Acting bravely for a just cause")
    HONESTY = "honesty", _("Honesty and trustworthiness")
    DEDICATION = "dedication", _("Dedication to work")
    FILIAL = "filial", _("Filial piety and family love")


class HonorLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    CITY = "city", _("City")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class HonoreeStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    APPROVED = "approved", _("On the list")
    REJECTED = "rejected", _("Not accepted")


class Honoree(TimeStampedModel):
    """A nominated person; once approved with a level, shown on the public list."""

    name = models.CharField(_("name"), max_length=50)
    category = models.CharField(_("category"), max_length=12, choices=HonorCategory.choices)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("headline"), max_length=120)
    story = models.TextField(_("story"))
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(
        _("level"), max_length=12, choices=HonorLevel.choices, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HonoreeStatus.choices,
        default=HonoreeStatus.NOMINATED,
        db_index=True,
    )
    nominator_name = models.CharField(_("nominated by"), max_length=50)
    nominator_phone_masked = models.CharField(_("nominator phone"), max_length=11)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("honoree")
        verbose_name_plural = _("honorees")
        ordering = ["-year", "-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.title}"


def photo_path(instance: HonoreePhoto, filename: str) -> str:
    return f"honors/{instance.honoree_id}/{filename}"


class HonoreePhoto(models.Model):
    honoree = models.ForeignKey(
        Honoree, verbose_name=_("honoree"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.honoree.name} {self.pk}"
