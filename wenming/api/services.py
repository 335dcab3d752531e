"""Writes of the API layer: submitting a case at most once per idempotency key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from wenming.cases.models import Case
from wenming.core.errors import DomainError
from wenming.core.inserts import insert, together

from .models import IdempotencyKey


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422
    default_message = _(
        "This Idempotency-Key was already used for a different submission. Use a new key."
    )


def body_hash(*, data: Mapping[str, Any], files: Sequence[UploadedFile] = ()) -> str:
    """A hash of what was submitted: the fields (canonical JSON) and each file's content."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode())
    for upload in files:
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def case_submit_once(
    *, owner: str, key: str, body_hash: str, submit: Callable[[], Case]
) -> tuple[Case, bool]:
    """Run `submit` once per (owner, key): (the case, True) the first time, (the first case,
    False) on a retry with the same body; IdempotencyKeyReused when the body differs.

    The key row is written with the case, in its transaction: a concurrent request with the
    same key waits on the key's unique index (PostgreSQL) or on the write lock (SQLite,
    IMMEDIATE) until the first one commits, then fails on the index, which rolls back its
    case, and finds the first case. One statement per key: no row to fill in afterwards."""
    try:
        with together():  # the case's rows and the key's in one round trip
            case = submit()
            insert(IdempotencyKey(owner=owner, key=key, body_hash=body_hash, case=case))
        return case, True
    except IntegrityError:
        first = IdempotencyKey.objects.select_related("case").filter(owner=owner, key=key).first()
        if first is None:
            raise  # not the key: another constraint failed
        if first.body_hash != body_hash:
            raise IdempotencyKeyReused() from None
        return first.case, False
