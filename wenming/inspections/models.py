"""Point sites, their checklists, inspection rounds and what inspectors found (ARCHITECTURE §4).

A round assigns sites to inspectors; an inspector's submission is a SiteInspection with one
ItemResult per checklist item. A failed item (a finding) becomes exactly one case — the
(inspection, item) pair is unique and the submission carries a client-generated id, so a form
sent twice changes nothing. A re-inspection (Recheck) verifies the case's rectification.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class SiteType(models.Model):
    """A kind of point site (集贸市场, 背街小巷, 公厕 …); each has one active checklist."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site type")
        verbose_name_plural = _("site types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class PointSite(TimeStampedModel):
    """点位: a place inspected against its type's checklist, with a responsible unit and a
    liaison leader (包联领导)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    site_type = models.ForeignKey(
        SiteType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="sites"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"))
    lon = models.FloatField(_("longitude (WGS-84)"))
    region = models.ForeignKey(
        "org.Region", verbose_name=_("grid / region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="point_sites",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_sites",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("point site")
        verbose_name_plural = _("point sites")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Checklist(TimeStampedModel):
    """检查标准 of a site type. Only one checklist per type is active; an old one stays for the
    inspections made against it."""

    site_type = models.ForeignKey(
        SiteType, verbose_name=_("site type"), on_delete=models.PROTECT, related_name="checklists"
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["site_type__order", "site_type__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["site_type"],
                condition=models.Q(is_active=True),
                name="one_active_checklist_per_type",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One thing an inspector checks. A failure deducts `deduction` points from the site's 100
    and becomes a case of `category` (whose time limits set the deadline)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=200)
    indicator = models.ForeignKey(
        "assessment.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
    )
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("case category"),
        on_delete=models.PROTECT,
        related_name="checklist_items",
    )
    deduction = models.DecimalField(_("deduction"), max_digits=5, decimal_places=1)
    photo_required = models.BooleanField(_("photo required for a failure"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order", "id"]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class InspectionRound(TimeStampedModel):
    """暗访批次: a set of sites inspected in a period by assigned inspectors. Its creator (the
    office that commissioned it) registers the findings as cases."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "org.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sampling = models.JSONField(_("sampling"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Assignment(models.Model):
    """A site in a round, and the inspector who is to inspect it."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    site = models.ForeignKey(
        PointSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="assignments"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_assignments",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "site__code"]
        constraints = [models.UniqueConstraint(fields=["round", "site"], name="unique_round_site")]

    def __str__(self) -> str:
        return f"{self.round} · {self.site}"


class SiteInspection(models.Model):
    """An inspector's submitted checklist for one assignment. The site's unit and region are
    kept as they were, so later changes to the site do not rewrite past scores."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="result"
    )
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    site = models.ForeignKey(
        PointSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submission_id = models.CharField(_("submission id"), max_length=64, unique=True)
    inspected_at = models.DateTimeField(_("inspected at"), db_index=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    deductions = models.DecimalField(_("deductions"), max_digits=6, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        ordering = ["-inspected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.site} {self.inspected_at:%Y-%m-%d}: {self.score}"


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NA = "na", _("Not applicable")


class ItemResult(models.Model):
    """One checklist item at one inspection. A failed one is a finding, with its case."""

    inspection = models.ForeignKey(
        SiteInspection,
        verbose_name=_("inspection"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="results"
    )
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    deduction = models.DecimalField(_("deduction"), max_digits=5, decimal_places=1, default=0)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_finding",
    )

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        ordering = ["inspection", "item__order", "item_id"]
        constraints = [
            # One result (and so at most one case) per item per inspection, whatever the client.
            models.UniqueConstraint(fields=["inspection", "item"], name="unique_inspection_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection.site} · {self.item}: {self.outcome}"


def photo_path(instance: ResultPhoto, filename: str) -> str:
    return f"inspections/{instance.result.inspection_id}/{filename}"


class ResultPhoto(models.Model):
    result = models.ForeignKey(
        ItemResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return str(self.image)


class Recheck(models.Model):
    """复查: an inspector's on-site check that a finding was rectified (verifies its case)."""

    result = models.ForeignKey(
        ItemResult, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="rechecks"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    passed = models.BooleanField(_("rectified"))
    note = models.TextField(_("note"), blank=True)
    submission_id = models.CharField(_("submission id"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-inspection")
        verbose_name_plural = _("re-inspections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.result} · {self.passed}"
