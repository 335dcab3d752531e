"""The assessment loop (ARCHITECTURE §4): the indicator tree, monthly cycles, tasks per unit,
their evidence and reviews, and the scores a closed cycle keeps."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class IndicatorLevel(models.TextChoices):
    PROJECT = "project", _("Assessment project (测评项目)")
    INDICATOR = "indicator", _("Indicator (测评指标)")
    CONTENT = "content", _("Assessment content (测评内容)")


LEVEL_DEPTH: dict[str, int] = {
    IndicatorLevel.PROJECT: 0,
    IndicatorLevel.INDICATOR: 1,
    IndicatorLevel.CONTENT: 2,
}


class Method(models.TextChoices):
    FIELD = "field", _("Field inspection (实地考察)")
    SURVEY = "survey", _("Questionnaire survey (问卷调查)")
    MATERIAL = "material", _("Material review (材料审核)")
    ONLINE = "online", _("Online survey (网络调查)")


class Indicator(TimeStampedModel):
    """A node of the indicator tree: project → indicator → content. Tasks are made from the
    content nodes; weights and points live on every level (points are what a content is worth)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=IndicatorLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=0)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    standard = models.TextField(_("standard"), blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_indicators",
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_indicators",
    )
    is_precondition = models.BooleanField(
        _("precondition"),
        default=False,
        help_text=_("A precondition indicator (e.g. minors' moral education) must pass first."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Cycle(TimeStampedModel):
    """One month of the assessment: tasks go out at its start (月初派单), reviews at its end
    (月末集审); a closed cycle keeps its scores and refuses further grading."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    due_on = models.DateField(_("evidence due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for evidence")
    SUBMITTED = "submitted", _("Waiting for review")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed, to rectify")


class Task(TimeStampedModel):
    """What one unit must show for one assessment content in one cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="tasks"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="tasks"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks"
    )
    is_lead = models.BooleanField(_("lead unit"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    due_on = models.DateField(_("due on"))
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    fail_count = models.PositiveSmallIntegerField(_("times failed"), default=0)
    warned_on = models.DateField(
        _("overdue warning sent for"),
        null=True,
        blank=True,
        help_text=_("The deadline the last overdue warning was about (one warning per deadline)."),
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["cycle", "indicator__code", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "indicator", "unit"], name="unique_task")
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="task_cycle_status")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.indicator.code} {self.unit}"

    @property
    def deadline(self) -> date | None:
        """The date that counts now: the rectification deadline of a failed task, else due_on."""
        return self.rectify_by if self.status == TaskStatus.FAILED else self.due_on

    @property
    def is_overdue(self) -> bool:
        deadline = self.deadline
        waiting = self.status in (TaskStatus.PENDING, TaskStatus.FAILED)
        return waiting and deadline is not None and deadline < timezone.localdate()


class EvidenceKind(models.TextChoices):
    TEXT = "text", _("Text")
    FILE = "file", _("Document")
    PHOTO = "photo", _("Photo")
    CASE = "case", _("Linked case")


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"assessment/{instance.task.cycle.month:%Y-%m}/{instance.task_id}/{filename}"


class Evidence(models.Model):
    """佐证材料: text, a document (PDF/Word/Excel), a photo, or a link to a case."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=EvidenceKind.choices)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_kind_display()}"


class Review(models.Model):
    """One grading of a task (集审). The latest review is the task's result."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    passed = models.BooleanField(_("passed"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = models.TextField(_("comment"), blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.score}"


class UnitScore(models.Model):
    """A unit's task score in a closed cycle: the mean of its tasks' scores."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="unit_scores"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    tasks = models.PositiveIntegerField(_("tasks"))
    failed = models.PositiveIntegerField(_("failed"))

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["cycle", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="unique_cycle_unit_score")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.unit}: {self.score}"


class RegionScore(models.Model):
    """A district's or street's task score in a closed cycle: the mean over its units' tasks."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="region_scores"
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    tasks = models.PositiveIntegerField(_("tasks"))

    class Meta:
        verbose_name = _("region score")
        verbose_name_plural = _("region scores")
        ordering = ["cycle", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region"], name="unique_cycle_region_score")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.region}: {self.score}"
