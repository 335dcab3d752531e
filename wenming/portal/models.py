"""The public portal's own records: idempotency tokens of snapshot reports, and the message
board (留言板) with its sensitive-word list.

Moderation rule (decided for the board): EVERY message is moderated before it is public.
A message that contains an active sensitive word is `held` (flagged, listing the words) and
shown first in the queue; every other message waits as `pending`. Only `approved` messages
that their author marked public are listed; private ones are read by their author with the
message code and the last four digits of the phone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel
from wenming.core.personal import encrypted_phone


class ReportToken(models.Model):
    """The hidden per-form token of a snapshot report: a resubmitted form finds its case."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("report token")
        verbose_name_plural = _("report tokens")

    def __str__(self) -> str:
        return self.token


class SensitiveWord(TimeStampedModel):
    """A word that holds a board message for moderation (edited in the admin)."""

    word = models.CharField(_("word"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    HELD = "held", _("Held: sensitive words")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not published")


class BoardMessage(TimeStampedModel):
    """A citizen's question or complaint on the message board, with the official reply."""

    code = models.CharField(_("message code"), max_length=12, unique=True)
    submit_token = models.CharField(_("form token"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("message"))
    is_public = models.BooleanField(_("public"), default=True)
    author_name = models.CharField(_("name"), max_length=50, blank=True)
    # Encrypted at rest like the case reporter's phone (wenming.core.personal).
    author_phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    author_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    author_phone_tail = models.CharField(max_length=4, blank=True)
    author_phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    author_phone = encrypted_phone("author_phone")
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
    reply = models.TextField(_("official reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_messages",
    )

    class Meta:
        verbose_name = _("board message")
        verbose_name_plural = _("board messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "is_public", "-created_at"], name="board_list")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_listed(self) -> bool:
        return self.status == MessageStatus.APPROVED and self.is_public
