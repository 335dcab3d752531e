"""The audit log (等保 2.0 安全审计): one append-only, hash-chained row per staff write and per
sensitive read (a revealed phone, an export, a case's personal data).

Rows are never updated or deleted: `save` refuses an existing row, `delete` and the queryset's
`update`/`delete` refuse always, the admin is read-only and on PostgreSQL a trigger refuses
UPDATE and DELETE (migration 0002). Each row's `hash` covers its content and the previous
row's hash, so `wenming audit verify` finds an edited, deleted or re-ordered row.
`AuditHead` holds the last sequence number and hash: appends lock it, so concurrent writers
never fork the chain, and a deleted last row shows as a head that no row matches.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit row."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit entries are append-only")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    update = _refuse  # type: ignore[assignment]
    delete = _refuse  # type: ignore[assignment]
    bulk_update = _refuse  # type: ignore[assignment]


class AuditEntry(models.Model):
    """One audited action. `summary` names what happened, never personal data."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    # The actor is a copy (id and username), not a foreign key: deleting a user must not
    # rewrite the log.
    actor_id = models.IntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse()


class AuditHead(models.Model):
    """The chain's head (one row, pk 1): the last appended number and hash."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_seq}"
