"""Append-only rows: the hours ledger, certificates and the needs' audit trail.

`AppendOnlyModel.save()` refuses to change a stored row and `delete()` refuses to remove one;
their managers' `update()` and `delete()` refuse too (bulk_update goes through update()).
Python cannot close every path — raw SQL, `models.QuerySet.update(qs, …)` called on the base
class, or a cascade's internal UPDATE bypass these methods — so the hours ledger also has a
database trigger (migration 0003): on PostgreSQL it refuses UPDATE and DELETE of any row, on
SQLite it refuses UPDATE (DELETE stays open there only because Django's test flush empties
tables with DELETE; PostgreSQL's flush uses TRUNCATE, which row triggers do not see).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import DomainError


class ImmutableRecord(DomainError):
    code = "immutable"
    status = 409
    default_message = _("This record is append-only: it cannot be changed or deleted.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord()

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise ImmutableRecord()


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise ImmutableRecord()
