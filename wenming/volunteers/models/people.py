"""Volunteers (identity stored encrypted, shown masked), teams and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto
from wenming.core.masking import mask_id_number, mask_phone
from wenming.core.models import TimeStampedModel


class ServiceType(models.TextChoices):
    TRAFFIC = "traffic", _("Civilized traffic")
    ENVIRONMENT = "environment", _("Environment and sanitation")
    ELDERLY = "elderly", _("Elderly and disabled care")
    CHILDREN = "children", _("Children and education")
    CULTURE = "culture", _("Culture and theory outreach")
    HEALTH = "health", _("Health and medical")
    LAW = "law", _("Legal aid")
    EMERGENCY = "emergency", _("Emergency response")
    COMMUNITY = "community", _("Community governance")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")
    HOLIDAY = "holiday", _("Public holidays")
    ANY = "any", _("Any time")


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Volunteer(TimeStampedModel):
    """A registered volunteer. The identity number and phone are kept only encrypted (with a
    keyed hash for uniqueness and look-up); pages show the masked forms or the volunteer number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer",
    )
    number = models.CharField(_("volunteer number"), max_length=20, unique=True, null=True)
    real_name = models.CharField(_("real name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number_encrypted = models.TextField(_("identity number (encrypted)"), editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("identity number"), max_length=18, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), editable=False)
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=11, editable=False)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    home_region = models.ForeignKey(
        "org.Region", verbose_name=_("home region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.PENDING,
        db_index=True,
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
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.real_name} ({self.number or _('not yet numbered')})"

    def set_id_number(self, number: str) -> None:
        """Store a validated, normalised identity number: ciphertext, lookup hash, masked form."""
        self.id_number_encrypted = crypto.encrypt(number)
        self.id_number_hash = crypto.keyed_hash(number, purpose="id_number")
        self.id_number_masked = mask_id_number(number)

    def set_phone(self, phone: str) -> None:
        self.phone_encrypted = crypto.encrypt(phone)
        self.phone_hash = crypto.keyed_hash(phone, purpose="phone")
        self.phone_masked = mask_phone(phone)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def is_approved(self) -> bool:
        return self.status == VolunteerStatus.APPROVED

    def skill_labels(self) -> list[str]:
        return [str(ServiceType(s).label) for s in self.skills if s in ServiceType.values]

    def availability_labels(self) -> list[str]:
        return [str(Availability(a).label) for a in self.availability if a in Availability.values]


class Team(TimeStampedModel):
    """A volunteer service team (志愿服务队) of a center."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        on_delete=models.PROTECT,
        related_name="teams",
    )
    service_type = models.CharField(_("service type"), max_length=12, choices=ServiceType.choices)
    description = models.TextField(_("description"), blank=True)
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        Volunteer, through="TeamMember", related_name="teams", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["center__region__path", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE)
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="unique_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer}"


class Counter(models.Model):
    """Sequences for human-readable numbers (volunteer numbers, need codes), one per prefix."""

    prefix = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"
