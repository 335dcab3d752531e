"""Rollups that keep the dashboard and /metrics fast at millions of cases (see rollup.py).

All of it is derived from the case table and rebuilt in bulk: foreign keys carry no database
constraint or index (Django still cascades deletes; reads go by region path and day)."""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class LiveCount(models.Model):
    """How many cases are in each state × channel × warning × supervised, per region, as of
    the last refresh: the dashboard's live counts and the /metrics gauges add these up."""

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
    state = models.CharField(_("state"), max_length=16)
    channel = models.CharField(_("channel"), max_length=16)
    warning_level = models.PositiveSmallIntegerField(_("warning level"))
    supervised = models.BooleanField(_("supervised"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("live case count")
        verbose_name_plural = _("live case counts")
        indexes = [models.Index(fields=["region_path"], name="livecount_region")]
        # One row per group: the minute job adds its deltas to that row (rollup.py).
        constraints = [
            models.UniqueConstraint(
                fields=["region_path", "state", "channel", "warning_level", "supervised"],
                name="livecount_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_path} {self.state} {self.count}"


class IntakeGroup(models.Model):
    """A count of cases reported in one region and major category class (the columns both
    intake rollups group by)."""

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
    has_category = models.BooleanField(_("has a category"))
    major = models.ForeignKey(
        "cases.Category",
        verbose_name=_("major class"),
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        abstract = True


class DailyIntake(IntakeGroup):
    """Cases reported per local day, region and major category class (the dashboard's top
    categories and hotspots over the last weeks)."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily intake")
        verbose_name_plural = _("daily intake")
        indexes = [models.Index(fields=["day", "region_path"], name="intake_day_region")]
        # One row per group (a major class's own cases have no major: NULL counts as a value).
        constraints = [
            models.UniqueConstraint(
                "day",
                "region_path",
                "has_category",
                Coalesce("major", 0),
                name="intake_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_path} {self.count}"


RECENT_DAYS = 30  # the window of the dashboard's top categories and hotspots, today included


class RecentIntake(IntakeGroup):
    """DailyIntake summed over the last RECENT_DAYS days (from `since`) per region and major
    class: what the dashboard's top categories and hotspots read. At millions of cases a
    month of DailyIntake is ~150,000 rows (one per day × grid × class); this is ~5,000. The
    minute job recomputes it from DailyIntake after applying its changes (rollup.py)."""

    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("recent intake")
        verbose_name_plural = _("recent intake")
        indexes = [models.Index(fields=["region_path"], name="recent_intake_region")]

    def __str__(self) -> str:
        return f"{self.since} {self.region_path} {self.count}"


class CountedCase(models.Model):
    """What the dashboard rollups currently count for one case: the columns LiveCount and
    DailyIntake group it by. The minute job compares it with the case row and moves the case
    from its old groups to its new ones (rollup.py). Derived data, rebuilt by
    `rollups_rebuild`: no database constraints, so a bulk rebuild writes it fast."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=16)
    channel = models.CharField(_("channel"), max_length=16)
    warning_level = models.PositiveSmallIntegerField(_("warning level"))
    supervised = models.BooleanField(_("supervised"))
    day = models.DateField(_("day"))  # of the report
    major = models.ForeignKey(
        "cases.Category",
        verbose_name=_("major class"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    has_category = models.BooleanField(_("has a category"))

    class Meta:
        verbose_name = _("counted case")
        verbose_name_plural = _("counted cases")

    def __str__(self) -> str:
        return f"{self.case_id} {self.state}"


class RollupState(models.Model):
    """When the dashboard rollups were last refreshed."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return self.name
