"""The 12345 hotline's own records: known places for address search, the knowledge base the
operators answer from, and one row per call taken (its form token makes a resubmission safe)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class Place(TimeStampedModel):
    """A landmark callers name instead of an address (宾馆, 广场, 文化宫…). Picking it on the
    console gives the case its coordinates; `region` is the grid it lies in."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_("Names callers also use, separated by spaces or commas."),
    )
    lat = models.FloatField(_("latitude (WGS-84)"))
    lon = models.FloatField(_("longitude (WGS-84)"))
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("grid / region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
        help_text=_("Found from the coordinates when left empty."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("known place")
        verbose_name_plural = _("known places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KnowledgeItem(TimeStampedModel):
    """A question callers ask and the answer the operator gives (办事指南), valid for a period."""

    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"))
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
    )
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge base")
        ordering = ["question"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_until")),
                name="knowledge_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.question


class Ending(models.TextChoices):
    ANSWER = "answer", _("Answered directly")
    REGISTER = "register", _("Registered")
    DISPATCH = "dispatch", _("Registered and dispatched")


class HotlineCall(models.Model):
    """A call taken on the console: which case it filed, how it ended and the five elements
    as the operator typed them. The token is the console form's: a resubmitted form finds
    its call instead of filing a second case."""

    token = models.CharField(_("form token"), max_length=64, unique=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="calls"
    )
    ending = models.CharField(_("ending"), max_length=10, choices=Ending.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    knowledge_item = models.ForeignKey(
        KnowledgeItem,
        verbose_name=_("knowledge item used"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    elements = models.JSONField(_("five elements"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_ending_display()}"
