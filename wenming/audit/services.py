"""Appending to the audit log and verifying its hash chain (the only writers of AuditEntry)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from wenming.core.logs import current_request_id

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
ADVISORY_LOCK = 0x57454E4D  # "WENM": serialises appends on PostgreSQL


def canonical(entry: AuditEntry) -> str:
    """The row's content as hashed: sorted-key JSON, times in UTC with microseconds."""
    content = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "ip": entry.ip,
        "request_id": entry.request_id,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256((entry.prev_hash + canonical(entry)).encode()).hexdigest()


def _locked_head() -> AuditHead:
    # Two appends reading the same head would fork the chain: take an advisory lock (it also
    # covers the head row's first creation) and the row lock; SQLite's IMMEDIATE transactions
    # serialise writers already.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a fresh database: start from the last row, if any
        last = AuditEntry.objects.order_by("-seq").first()
        head = AuditHead(
            pk=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else ""
        )
        try:
            with transaction.atomic():
                head.save(force_insert=True)
        except IntegrityError:
            head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def _client_ip(request: HttpRequest | None) -> str | None:
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def audit_record(
    *,
    action: str,
    actor: User | AnonymousUser | None = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: object = "",
    summary: str = "",
) -> AuditEntry:
    """Append one row. The actor defaults to the request's user; `summary` must hold no
    personal data (say "phone revealed", never the number)."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=user.pk if user else None,
            actor_name=user.get_username() if user else "",
            action=action[:60],
            object_type=object_type[:60],
            object_id=str(object_id)[:64],
            summary=summary[:300],
            ip=_client_ip(request),
            request_id=current_request_id.get() if current_request_id.get() != "-" else "",
            prev_hash=head.last_hash or GENESIS,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    if request is not None:
        request.audit_recorded = True  # type: ignore[attr-defined]
    return entry


@dataclass(frozen=True)
class Verdict:
    ok: bool
    count: int
    problem: str = ""
    seq: int | None = None


def audit_verify() -> Verdict:
    """Walk the chain in order: the first row whose number, link or content does not hold."""
    prev, count = GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != count + 1:
            return Verdict(False, count, f"row #{count + 1} is missing (deleted)", count + 1)
        if entry.prev_hash != prev:
            problem = f"row #{entry.seq} does not follow the row before it (deleted, inserted or re-ordered rows)"
            return Verdict(False, count, problem, entry.seq)
        if entry_hash(entry) != entry.hash:
            return Verdict(False, count, f"row #{entry.seq} was edited", entry.seq)
        prev, count = entry.hash, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash or GENESIS) != (count, prev):
        problem = f"the chain ends at row #{count} but its head is row #{head.last_seq} (last rows deleted)"
        return Verdict(False, count, problem, count + 1)
    return Verdict(True, count)
