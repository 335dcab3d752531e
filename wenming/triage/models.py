"""Triage: versioned suggestion models, the suggestions stored per case, and the admin's knobs.

Why the trained pipeline is a BinaryField and not a file in MEDIA: a pickle runs code when it
is loaded, so it must come only from a place that only the system writes. Media storage holds
uploads and may be served (`/media/` in development), the database does not; the row also
keeps the model, its evaluation and its checksum together, so a backup restores all three.
Only `wenming.triage.services.suggestion_model_train` writes `pipeline` (never a form: the
field is not editable), and loading checks the SHA-256 recorded with it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class ModelSource(models.TextChoices):
    CASES = "cases", _("Closed cases")
    FILE = "file", _("Labelled file")


class SuggestionModel(models.Model):
    """One trained category/unit suggester. The active one (at most one) serves predictions."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained at"))
    source = models.CharField(_("source"), max_length=8, choices=ModelSource.choices)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    sample_count = models.PositiveIntegerField(_("samples"))
    category_count = models.PositiveIntegerField(_("categories"), default=0)
    unit_count = models.PositiveIntegerField(_("units"), default=0)
    training_seconds = models.FloatField(_("training time (s)"), default=0)
    report = models.JSONField(_("evaluation report"), default=dict, blank=True)
    pipeline = models.BinaryField(_("pickled pipeline"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_suggestion_model",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Suggestion(TimeStampedModel):
    """What triage proposed for one case at intake, and which proposal the dispatcher took.

    `categories`/`units`: [{"key", "id", "label", "p"}] best first (top 3). `accepted_rank`:
    None until the case is registered; then 1–3 (the rank of the registered category among the
    suggestions) or 0 (none of them). `accepted_unit_rank` likewise at dispatch.
    """

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="suggestion"
    )
    model = models.ForeignKey(
        SuggestionModel,
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    categories = models.JSONField(_("suggested categories"), default=list, blank=True)
    units = models.JSONField(_("suggested units"), default=list, blank=True)
    duplicates = models.JSONField(_("duplicate candidates at intake"), default=list, blank=True)
    auto_accepted = models.BooleanField(_("category accepted automatically"), default=False)
    accepted_rank = models.PositiveSmallIntegerField(_("accepted category rank"), null=True)
    accepted_unit_rank = models.PositiveSmallIntegerField(_("accepted unit rank"), null=True)
    accepted_at = models.DateTimeField(_("category decided at"), null=True, blank=True)
    unit_accepted_at = models.DateTimeField(_("unit decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [models.Index(fields=["accepted_at"], name="suggestion_accepted_at")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.model_version}"


class TriageSettings(models.Model):
    """The admin's knobs (one row, pk=1). Policy is data: the city changes it in the admin."""

    auto_accept_threshold = models.FloatField(
        _("auto-accept threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: off. When set (e.g. 0.9), a case submitted without a category gets the top "
            "suggested category when its probability reaches this value. The dispatcher still "
            "registers it; categories marked auto-dispatch are then dispatched by rule."
        ),
    )
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate radius (m)"), default=300)
    duplicate_window_days = models.PositiveIntegerField(_("duplicate window (days)"), default=30)
    duplicate_min_score = models.FloatField(_("duplicate minimum score"), default=0.35)
    hotspot_radius_m = models.PositiveIntegerField(_("hotspot radius (m)"), default=250)
    hotspot_min_cases = models.PositiveIntegerField(_("hotspot minimum cases"), default=3)
    reply_min_length = models.PositiveIntegerField(
        _("reply minimum length (characters)"), default=15
    )
    reply_min_overlap = models.FloatField(
        _("reply minimum topic overlap"),
        default=0.1,
        help_text=_("Share of the complaint's key words that the reply must mention (0–1)."),
    )

    class Meta:
        verbose_name = _("triage settings")
        verbose_name_plural = _("triage settings")

    def __str__(self) -> str:
        return str(_("Triage settings"))

    @classmethod
    def current(cls) -> TriageSettings:
        """The settings row, created with the defaults on first use."""
        return cls.objects.get_or_create(pk=1)[0]
