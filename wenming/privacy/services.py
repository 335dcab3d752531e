"""Personal data services: anonymising reporters (retention job and approved deletions), SMS
proof of a phone for the citizen's requests, the citizen's copy of their data, and the
office's decision on a deletion. Each one writes an audit row."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.api.models import Open311Submission
from wenming.audit.services import audit_record
from wenming.cases.models import Case, State
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound
from wenming.core.personal import phone_columns, phone_hash
from wenming.notify.senders import DeliveryError, sender_for
from wenming.portal import access
from wenming.portal.models import BoardMessage

from .models import DataRequest, RequestKind, RequestStatus

BATCH = 1000
CODE_SECONDS = 10 * 60
RESEND_SECONDS = 60
KIND = "privacy"  # the portal's wrong-tries counter (wenming.portal.access)


# ---------------------------------------------------------------- anonymising


def reporters_anonymise(cases: QuerySet[Case]) -> int:
    """Clear the reporter's name, phone and contact details of the cases (the cases stay),
    and of the board messages they came from. Returns how many cases changed."""
    cleared = {"reporter_name": "", **phone_columns("reporter_phone", "")}
    ids = list(cases.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        Case.objects.filter(pk__in=chunk).update(**cleared, updated_at=timezone.now())
        Open311Submission.objects.filter(case_id__in=chunk).update(
            email="", device_id="", account_id=""
        )
        BoardMessage.objects.filter(case_id__in=chunk).update(
            author_name="", **phone_columns("author_phone", "")
        )
    return len(ids)


def _with_reporter() -> Q:
    return ~Q(reporter_name="") | ~Q(reporter_phone_hash="")


def reporters_retention_run(*, now: datetime | None = None) -> int:
    """Anonymise the reporters of cases closed more than WENMING_REPORTER_RETENTION_DAYS ago
    (the periodic job). Idempotent: anonymised cases no longer match."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WENMING_REPORTER_RETENTION_DAYS)
    old = Case.objects.filter(_with_reporter(), state=State.CLOSED, closed_at__lt=cutoff)
    count = reporters_anonymise(old)
    if count:
        audit_record(
            action="privacy.retention",
            object_type="case",
            summary=f"reporters of {count} cases closed before {cutoff:%Y-%m-%d} anonymised",
        )
    return count


# ---------------------------------------------------------------- proof of a phone


def _code_key(digest: str) -> str:
    return f"wm:privacy:code:{digest}"


def verification_send(*, phone: str) -> None:
    """Text a six-digit code to the phone (at most one a minute per phone)."""
    digest = phone_hash(phone)
    if not cache.add(f"wm:privacy:sent:{digest}", 1, RESEND_SECONDS):
        raise InvalidInput(_("A code was sent just now. Wait a minute before asking again."))
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_code_key(digest), salted_hmac(KIND, code).hexdigest(), CODE_SECONDS)
    text = _("Your verification code is %(code)s. It is valid for 10 minutes.") % {"code": code}
    try:
        sender_for("sms").send(address=phone, title=_("Personal data"), body=text, url="")
    except DeliveryError as error:
        raise InvalidInput(_("The code could not be sent. Try again later.")) from error


def verification_check(*, phone: str, code: str) -> str:
    """The phone's hash when the code is right; InvalidInput otherwise (wrong tries counted)."""
    digest = phone_hash(phone)
    if access.is_locked(KIND, digest):
        raise InvalidInput(_("Too many wrong tries. Try again in 15 minutes."))
    expected = cache.get(_code_key(digest))
    if not expected or not constant_time_compare(expected, salted_hmac(KIND, code).hexdigest()):
        access.record_failure(KIND, digest)
        raise InvalidInput(_("The code is wrong or has expired."))
    cache.delete(_code_key(digest))
    return digest


# ---------------------------------------------------------------- the citizen's requests


def _new_code() -> str:
    return "PD" + secrets.token_hex(5).upper()


def cases_of(digest: str) -> QuerySet[Case]:
    return Case.objects.filter(reporter_phone_hash=digest).select_related("category", "region")


def messages_of(digest: str) -> QuerySet[BoardMessage]:
    return BoardMessage.objects.filter(author_phone_hash=digest)


def _case_record(case: Case) -> dict[str, object]:
    return {
        "code": case.code,
        "reported_at": case.reported_at.isoformat(),
        "channel": case.channel,
        "category": case.category.name if case.category else "",
        "title": case.title,
        "description": case.description,
        "address": case.address,
        "lat": case.lat,
        "lon": case.lon,
        "state": case.state,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "reporter_name": case.reporter_name,
        "reporter_phone": case.reporter_phone,
        "anonymous": case.is_anonymous,
        "timeline": [
            {"at": e.created_at.isoformat(), "action": e.action, "note": e.note}
            for e in case.events.filter(visibility="public").order_by("created_at", "id")
        ],
    }


def _message_record(message: BoardMessage) -> dict[str, object]:
    return {
        "code": message.code,
        "created_at": message.created_at.isoformat(),
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "author_name": message.author_name,
        "author_phone": message.author_phone,
        "status": message.status,
        "reply": message.reply,
    }


def citizen_export(*, digest: str, masked: str, request: HttpRequest | None = None) -> bytes:
    """A JSON copy of everything reported from this phone (cases and board messages)."""
    data_request = DataRequest.objects.create(
        code=_new_code(),
        kind=RequestKind.EXPORT,
        status=RequestStatus.COMPLETED,
        phone_hash=digest,
        phone_masked=masked,
        decided_at=timezone.now(),
    )
    cases = [_case_record(c) for c in cases_of(digest).order_by("reported_at", "id")]
    messages = [_message_record(m) for m in messages_of(digest).order_by("created_at", "id")]
    audit_record(
        action="privacy.export",
        request=request,
        object_type="data_request",
        object_id=data_request.code,
        summary=f"citizen copy: {len(cases)} cases, {len(messages)} board messages",
    )
    document = {
        "request": data_request.code,
        "created_at": timezone.now().isoformat(),
        "cases": cases,
        "board_messages": messages,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def deletion_request(
    *, digest: str, masked: str, reason: str = "", request: HttpRequest | None = None
) -> DataRequest:
    """File a deletion request for the office to review; one open request per phone."""
    try:
        with transaction.atomic():
            data_request = DataRequest.objects.create(
                code=_new_code(),
                kind=RequestKind.DELETION,
                phone_hash=digest,
                phone_masked=masked,
                reason=reason.strip()[:2000],
            )
    except IntegrityError as error:
        raise IllegalTransition(_("You already have a deletion request waiting.")) from error
    audit_record(
        action="privacy.deletion_requested",
        request=request,
        object_type="data_request",
        object_id=data_request.code,
        summary="citizen asked to delete their personal data",
    )
    return data_request


def requests_of(digest: str) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(phone_hash=digest)


DECISIONS = {"approve": gettext_lazy("Approve"), "reject": gettext_lazy("Refuse")}


def deletion_decide(
    *,
    request_id: int,
    actor: User,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> DataRequest:
    """Approve (anonymise every case and board message of the phone) or refuse (a note is
    required) a pending deletion request."""
    if not approve and not note.strip():
        raise InvalidInput(_("Say why the request is refused."))
    with transaction.atomic():
        # Lock the request: two officers deciding at once must not both act.
        data_request = DataRequest.objects.select_for_update().filter(pk=request_id).first()
        if data_request is None or data_request.kind != RequestKind.DELETION:
            raise NotFound()
        if data_request.status != RequestStatus.PENDING:
            raise IllegalTransition(_("This request was already decided."))
        if approve:
            count = reporters_anonymise(cases_of(data_request.phone_hash))
            count += messages_of(data_request.phone_hash).update(
                author_name="", **phone_columns("author_phone", "")
            )
            data_request.records_affected = count
        data_request.status = RequestStatus.COMPLETED if approve else RequestStatus.REJECTED
        data_request.decided_by = actor
        data_request.decided_at = timezone.now()
        data_request.decision_note = note.strip()[:200]
        data_request.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_note",
                "records_affected",
                "updated_at",
            ]
        )
        audit_record(
            action="privacy.deletion_approved" if approve else "privacy.deletion_refused",
            actor=actor,
            request=request,
            object_type="data_request",
            object_id=data_request.code,
            summary=f"{data_request.records_affected} records anonymised" if approve else "",
        )
    return data_request
