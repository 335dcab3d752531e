"""Regions, units, memberships (role + unit/center + region scope) and liaison packages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = {level: depth for depth, level in enumerate(RegionLevel.values)}


class Region(TimeStampedModel):
    """A node of the region tree. `path` is the codes from the root, for subtree queries."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # `path` is a derived index column; computing it here keeps it from ever drifting,
        # whichever way a region is saved (service, import, admin).
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save(update_fields=["path"])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_within(self, other: "Region") -> bool:
        return self.path.startswith(other.path)


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Government department")
    GOVERNMENT = "government", _("Government (district / street)")
    ENTERPRISE = "enterprise", _("Enterprise")
    SOCIAL = "social", _("Social organization")


class Unit(TimeStampedModel):
    """A responsible unit (责任单位) that cases and tasks are assigned to."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OPERATOR = "operator", _("Hotline operator")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    UNIT_LEAD = "unit_lead", _("Unit lead")
    INSPECTOR = "inspector", _("Inspector")
    REVIEWER = "reviewer", _("Reviewer")
    LIAISON = "liaison", _("Liaison leader")
    CENTER_STAFF = "center_staff", _("Practice center staff")
    VOLUNTEER = "volunteer", _("Volunteer")


class Membership(TimeStampedModel):
    """What a staff user may do (role), for whom (unit or center) and where (region subtree)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    region_scope = models.ForeignKey(
        Region,
        verbose_name=_("region scope"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "region_scope"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_scope}"


class LiaisonLevel(models.TextChoices):
    CITY = "city", _("City leader")
    DISTRICT = "district", _("District leader")
    STREET = "street", _("Street leader")
    COMMUNITY = "community", _("Community / grid leader")


class Liaison(TimeStampedModel):
    """A leader's liaison package (四级包联): the region they answer for."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="liaisons",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="liaisons"
    )
    level = models.CharField(_("level"), max_length=12, choices=LiaisonLevel.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        constraints = [models.UniqueConstraint(fields=["leader", "region"], name="unique_liaison")]

    def __str__(self) -> str:
        return f"{self.leader} → {self.region}"
