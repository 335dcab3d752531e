"""Metrics (facts and daily rollups), composite weights, red and black lists, exposure desk.

Metric numbers come from case events (see `facts.py` and docs/metrics.md): each case's events
are replayed into `MetricFact` rows (one per counted thing, on the day it counts); the facts
are summed into `DailyRollup` rows per day × unit × region × kind; a period's metrics sum the
daily rollups. Published red/black lists and exposures never change: their models refuse any
save or delete once the stored row is published (a correction is a new version).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import DomainError
from wenming.core.models import TimeStampedModel


class PublishedRecordLocked(DomainError):
    code = "published"
    status = 409
    default_message = _("A published record cannot be changed. Publish a correction instead.")


class PeriodKind(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class FactKind(models.TextChoices):
    """What a fact counts; the metrics' numerators and denominators (docs/metrics.md)."""

    SUBMITTED = "submitted", _("Submitted")
    DISPATCHED = "dispatched", _("Dispatched to the unit")
    SIGNED = "signed", _("Signed")
    SIGNED_ON_TIME = "signed_on_time", _("Signed on time")
    RETURNED = "returned", _("Returned")
    EXTENDED = "extended", _("Extended")
    DUE = "due", _("Due")
    DUE_SUSPENDED = "due_suspended", _("Due but suspended")
    ON_TIME = "on_time", _("Completed on time")
    COMPLETED = "completed", _("Completed")
    OVERDUE = "overdue", _("Overdue")
    REWORKED = "reworked", _("Reworked or reopened")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated")
    SATISFIED = "satisfied", _("Satisfied or basically satisfied")
    RESOLVED = "resolved", _("Rated resolved")


class MetricFact(models.Model):
    """One counted thing of one case, on the local day it counts, for the unit it counts for.
    Rewritten whole for a case whenever the case changes (so replay is idempotent).

    Derived data (tens of millions of rows, rewritten whole by `rollups_rebuild`): the
    foreign keys have no database constraint (a per-row trigger on every bulk write; Django
    still cascades deletes) and only `case` and `day` are indexed, the two ways it is read."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FactKind.choices)
    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region_path = models.CharField(_("region path"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("metric fact")
        verbose_name_plural = _("metric facts")
        indexes = [models.Index(fields=["day"], name="fact_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} case {self.case_id}"


class DailyRollup(models.Model):
    """Sum of facts per local day, unit, region and kind: what a period's metrics add up.
    Derived like the facts (no foreign-key constraints, read by day only)."""

    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region_path = models.CharField(_("region path"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FactKind.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        indexes = [
            models.Index(fields=["day", "unit"], name="rollup_day_unit"),
            models.Index(fields=["day", "region_path"], name="rollup_day_region"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.count}"


class RollupWatermark(models.Model):
    """How far the incremental rollup job has read the event log."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    last_event_id = models.BigIntegerField(_("last event id"), default=0)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup watermark")
        verbose_name_plural = _("rollup watermarks")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


def _weight(label: Any, default: int) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=default)


class MetricWeights(TimeStampedModel):
    """The composite score's weights for one period type, set by the administrator.

    The composite is the weighted mean of the unit's metrics on a 0–100 scale (rework, return
    and extension rates count as 100 − rate); metrics without data drop out with their weight.
    """

    period_kind = models.CharField(
        _("period type"), max_length=8, choices=PeriodKind.choices, unique=True
    )
    min_sample = models.PositiveIntegerField(
        _("minimum sample"),
        default=5,
        help_text=_("Units that received fewer cases in the period are listed but not ranked."),
    )
    signed_on_time_rate = _weight(_("signed on time rate"), 10)
    on_time_rate = _weight(_("on-time completion rate"), 25)
    completion_rate = _weight(_("completion rate"), 10)
    rework_rate = _weight(_("rework rate (inverted)"), 5)
    return_rate = _weight(_("return rate (inverted)"), 5)
    extension_rate = _weight(_("extension rate (inverted)"), 0)
    satisfaction_rate = _weight(_("satisfaction rate"), 20)
    resolution_rate = _weight(_("resolution rate"), 10)
    inspection_score = _weight(_("inspection score"), 10)
    task_score = _weight(_("task score"), 5)

    class Meta:
        verbose_name = _("composite weights")
        verbose_name_plural = _("composite weights")
        ordering = ["period_kind"]

    def __str__(self) -> str:
        return str(self.get_period_kind_display())


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class ImmutableWhenPublished(models.Model):
    """Refuses save() and delete() once the stored row is published (the status in the
    database decides, so publishing itself — approved → published — still saves)."""

    status: Any

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_published():
            raise PublishedRecordLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_published():
            raise PublishedRecordLocked()
        return super().delete(*args, **kwargs)

    def _stored_published(self) -> bool:
        if self.pk is None:
            return False
        manager: Any = type(self)._default_manager  # the concrete model's (abstract here)
        stored = manager.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored == ListStatus.PUBLISHED


class RedBlackList(ImmutableWhenPublished, TimeStampedModel):
    """红黑榜: the best (red) and worst (black) ranked units of a region for one period.

    Draft → approved → published. A published list is frozen; a correction is a new draft
    whose `supersedes` points at the published version it replaces.
    """

    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("period type"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    status = models.CharField(
        _("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_note = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("red and black list")
        verbose_name_plural = _("red and black lists")
        ordering = ["-period_start", "-version", "-id"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == ListStatus.PUBLISHED


class ListColor(models.TextChoices):
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")


class ListEntry(models.Model):
    """A unit on a red or black list, with its standing and the stated reason."""

    list = models.ForeignKey(
        RedBlackList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="entries"
    )
    color = models.CharField(_("list"), max_length=5, choices=ListColor.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField(_("unit name"), max_length=100)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    composite = models.DecimalField(
        _("composite score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["color", "position"]
        constraints = [
            models.UniqueConstraint(fields=["list", "unit"], name="one_entry_per_unit_and_list")
        ]

    def __str__(self) -> str:
        return f"{self.get_color_display()} {self.position}. {self.unit_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._list_published():
            raise PublishedRecordLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._list_published():
            raise PublishedRecordLocked()
        return super().delete(*args, **kwargs)

    def _list_published(self) -> bool:
        return RedBlackList.objects.filter(pk=self.list_id, status=ListStatus.PUBLISHED).exists()


class Exposure(ImmutableWhenPublished, TimeStampedModel):
    """曝光台: a case shown to the public with personal data redacted. The text is a snapshot
    taken when drafted; the rectification follow-up is the case's later public events."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary (redacted)"))
    comment = models.TextField(_("office's comment"), blank=True)
    category_name = models.CharField(_("category"), max_length=60, blank=True)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField(_("responsible unit"), max_length=100, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ListStatus.PUBLISHED
