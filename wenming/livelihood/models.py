"""Livelihood projects (民生实事) with quantified targets, milestones, sites and monthly progress
reports reviewed by the civilization office; citizens' moderated comments; and campaign
activities (文明实践活动: lectures, performances, volunteer service, publicity, training).

Progress counts only reports the office approved (progress.py has the arithmetic).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel
from wenming.portal.models import MessageStatus


class LivelihoodProject(TimeStampedModel):
    """One project of a year's list, led by a unit with cooperating units."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("cooperating units"), blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The area the project covers (the city for city-wide projects)."),
    )
    budget = models.DecimalField(
        _("budget (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    start_month = models.DateField(_("first month reported"), help_text=_("First day of a month."))
    is_public = models.BooleanField(_("shown on the portal"), default=True)

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProjectTarget(models.Model):
    """A quantified target, e.g. renovate 108 compounds or add 20,000 parking spaces."""

    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    name = models.CharField(_("target"), max_length=100)
    quantity = models.DecimalField(
        _("target quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    measure = models.CharField(_("unit of measure"), max_length=20)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="unique_target_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity.normalize():f} {self.measure}"


class ProjectMilestone(models.Model):
    """By `due_date` the project should be `planned_percent` done (cumulative)."""

    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("milestone"), max_length=100)
    due_date = models.DateField(_("due date"))
    planned_percent = models.PositiveSmallIntegerField(
        _("planned progress (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.due_date} {self.title} ({self.planned_percent}%)"


class ProjectSite(models.Model):
    """A place of the project on the map (its region found from the point)."""

    project = models.ForeignKey(
        LivelihoodProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("site"), max_length=100)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


class ProgressReport(TimeStampedModel):
    """A unit's monthly report: quantities done in the month, text, photos."""

    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    month = models.DateField(_("month"), help_text=_("First day of the month reported."))
    text = models.TextField(_("progress"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
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
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-month", "-created_at"]
        constraints = [
            # A returned report may be followed by a corrected one; otherwise one per month.
            models.UniqueConstraint(
                fields=["project", "month"],
                condition=~Q(status="returned"),
                name="one_live_report_per_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m}"


class ReportQuantity(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="quantities",
    )
    target = models.ForeignKey(
        ProjectTarget, verbose_name=_("target"), on_delete=models.CASCADE, related_name="reported"
    )
    quantity = models.DecimalField(
        _("done this month"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("quantity done")
        verbose_name_plural = _("quantities done")
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="one_quantity_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.target.name} +{self.quantity}"


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"livelihood/reports/{instance.report_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("stage"), max_length=8, choices=PhotoStage.choices)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report} {self.get_stage_display()}"


class ProjectComment(TimeStampedModel):
    """A citizen's comment (and, on a finished project, rating); moderated like the board."""

    project = models.ForeignKey(
        LivelihoodProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    submit_token = models.CharField(_("form token"), max_length=64, unique=True)
    author_name = models.CharField(_("name"), max_length=50, blank=True)
    body = models.TextField(_("comment"))
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
        db_index=True,
    )
    flagged_words = models.CharField(_("sensitive words found"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.CharField(_("moderation note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("project comment")
        verbose_name_plural = _("project comments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.body[:20]}"


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture (宣讲)")
    PERFORMANCE = "performance", _("Cultural performance")
    VOLUNTEER = "volunteer", _("Volunteer service")
    PUBLICITY = "publicity", _("Publicity")
    TRAINING = "training", _("Training")


class CampaignActivity(TimeStampedModel):
    """An activity a practice center or a unit held (counted on the dashboard and reports)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=120)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.PositiveIntegerField(_("participants"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False) | Q(unit__isnull=False),
                name="activity_has_center_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"livelihood/activities/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        CampaignActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("photo"), upload_to=activity_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=activity_photo_path)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.activity} {self.pk}"
