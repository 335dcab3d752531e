"""Needs (群众点单) and their audit trail: the four orders' state lives here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto
from wenming.core.masking import mask_phone
from wenming.core.models import TimeStampedModel

from ..states import NeedAction, NeedState
from .base import AppendOnlyModel
from .people import ServiceType


class Need(TimeStampedModel):
    """A service someone asks for. Only services change `state`; each move writes a NeedEvent."""

    code = models.CharField(_("need code"), max_length=20, unique=True)
    title = models.CharField(_("what is needed"), max_length=120)
    description = models.TextField(_("details"))
    service_type = models.CharField(_("service type"), max_length=12, choices=ServiceType.choices)
    center = models.ForeignKey(
        "volunteers.Center",
        verbose_name=_("practice center"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    people_needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    requester_name = models.CharField(_("contact name"), max_length=50)
    requester_org = models.CharField(_("community or organization"), max_length=100, blank=True)
    requester_phone_encrypted = models.TextField(editable=False)
    requester_phone_hash = models.CharField(max_length=64, editable=False)
    requester_phone_masked = models.CharField(_("contact phone"), max_length=11, editable=False)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=NeedState.choices,
        default=NeedState.SUBMITTED,
        db_index=True,
    )
    due_at = models.DateTimeField(_("next step due"), null=True, blank=True)
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    taken_by = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taken_needs",
    )
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def set_requester_phone(self, phone: str) -> None:
        self.requester_phone_encrypted = crypto.encrypt(phone)
        self.requester_phone_hash = crypto.keyed_hash(phone, purpose="phone")
        self.requester_phone_masked = mask_phone(phone)

    @property
    def requester_phone(self) -> str:
        return crypto.decrypt(self.requester_phone_encrypted)

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    STAFF = "staff", _("Staff")


class NeedEvent(AppendOnlyModel):
    """One move of a need (or a note): the audit trail and the requester's timeline."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=NeedAction.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=NeedState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=NeedState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("need event")
        verbose_name_plural = _("need events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.need.code} {self.get_action_display()}"
