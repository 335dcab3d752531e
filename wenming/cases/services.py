"""Every write of the problem loop. Each public function is one named move of the state table:
it locks the case row, checks role and data scope, refuses an illegal move with a domain error,
saves only the fields it changes, writes a CaseEvent in the same transaction and notifies after
commit. `actor=None` means the system (auto-dispatch, scans) or a citizen where a function says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks.base import Task

from wenming.core.errors import ConcurrentUpdate, IllegalTransition, InvalidInput, NotFound
from wenming.core.images import NormalizedPhoto, photo_check, photo_normalize
from wenming.core.inserts import insert, together
from wenming.core.personal import phone_columns
from wenming.core.quarantine import quarantine_storage
from wenming.core.tasks import enqueue_with_transaction
from wenming.org.models import Region, Role, Unit
from wenming.org.selectors import region_at
from wenming.triage import hooks as triage  # category/unit suggestions, duplicates, reply checks

from . import deadlines, notifications
from .access import authorize
from .codes import case_code
from .models import (
    AttachmentKind,
    Case,
    CaseAttachment,
    CaseCodeCounter,
    CaseEvent,
    CaseRating,
    CaseRequest,
    Category,
    Channel,
    Nature,
    RequestKind,
    RequestStatus,
    Satisfaction,
    Urgency,
    Visibility,
)
from .routing import unit_for
from .states import Action, State, next_state

logger = logging.getLogger(__name__)
R = Role
# Which roles may make each move (one table; the UI asks `allowed_moves` for its buttons).
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    Action.REGISTER: (R.DISPATCHER, R.OPERATOR),
    Action.REJECT: (R.DISPATCHER, R.OPERATOR),
    Action.ANSWER: (R.OPERATOR, R.DISPATCHER),
    Action.MERGE: (R.DISPATCHER, R.OPERATOR),
    Action.DISPATCH: (R.DISPATCHER, R.OPERATOR),
    Action.REDISPATCH: (R.DISPATCHER,),
    Action.SIGN: (R.HANDLER, R.UNIT_LEAD),
    Action.RETURN_REQUEST: (R.HANDLER, R.UNIT_LEAD),
    Action.EXTENSION_REQUEST: (R.HANDLER, R.UNIT_LEAD),
    Action.RETURN_APPROVE_LEAD: (R.UNIT_LEAD,),
    Action.EXTENSION_APPROVE_LEAD: (R.UNIT_LEAD,),
    Action.RETURN: (R.DISPATCHER,),
    Action.EXTENSION_APPROVE: (R.DISPATCHER,),
    Action.SUSPEND: (R.DISPATCHER,),
    Action.RESUME: (R.DISPATCHER,),
    Action.FEEDBACK: (R.HANDLER, R.UNIT_LEAD),
    Action.VERIFY_PASS: (R.INSPECTOR, R.DISPATCHER),
    Action.VERIFY_FAIL: (R.INSPECTOR, R.DISPATCHER),
    Action.CLOSE: (R.DISPATCHER,),
    Action.CALLBACK: (R.OPERATOR, R.DISPATCHER),
    Action.REOPEN: (R.DISPATCHER,),
    Action.SUPERVISE: (R.DISPATCHER, R.ADMIN, R.LIAISON),
    Action.COMMENT: (R.DISPATCHER, R.OPERATOR, R.HANDLER, R.UNIT_LEAD, R.INSPECTOR),
}
SYSTEM_LABEL = "system"
MAX_PHOTOS = 9


@dataclass
class Move:
    """What a move does besides the state change: fields it sets and the event it writes."""

    note: str = ""
    visibility: str = Visibility.STAFF
    data: dict[str, object] = field(default_factory=dict)
    photos: Sequence[NormalizedPhoto] = ()
    photo_kind: str = AttachmentKind.EVIDENCE
    after_commit: list[Callable[[], None]] = field(default_factory=list)


def _now() -> datetime:
    return timezone.now()


def _transition(
    *,
    case_id: int,
    actor: User | None,
    action: str,
    expected_version: int | None,
    apply: Callable[[Case, datetime], tuple[list[str], Move]],
    system: bool = False,
) -> Case:
    """Lock, authorise, check the table, apply, save changed fields, write the event."""
    with transaction.atomic():
        try:
            case = (
                # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
                Case.objects.select_for_update(of=("self",))
                .select_related("region", "category")
                .get(pk=case_id)
            )
        except Case.DoesNotExist as exc:
            raise NotFound() from exc
        if not system:
            authorize(actor, case, ACTION_ROLES[action])
        if expected_version is not None and case.version != expected_version:
            raise ConcurrentUpdate()
        from_state = case.state
        to_state = next_state(from_state, action)
        now = _now()
        fields, move = apply(case, now)
        case.state, case.last_action = to_state, action
        case.version += 1
        case.save(update_fields=sorted({*fields, "state", "last_action", "version", "updated_at"}))
        event = _event(case, actor, action, from_state, to_state, now, move)
        _attach(case, event, move.photos, move.photo_kind)
        for callback in move.after_commit:
            transaction.on_commit(callback)
    return case


def _event(
    case: Case,
    actor: User | None,
    action: str,
    from_state: str,
    to_state: str,
    now: datetime,
    move: Move,
    pk: int | None = None,
) -> CaseEvent:
    return insert(
        CaseEvent(
            id=pk,
            case=case,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            actor_label=(actor.get_full_name() or actor.username) if actor else SYSTEM_LABEL,
            unit=case.unit,
            note=move.note,
            visibility=move.visibility,
            data=move.data,
            created_at=now,
        )
    )


def prepare_photos(photos: Sequence[UploadedFile]) -> list[NormalizedPhoto]:
    """Check and re-encode uploads before any lock is taken (raises InvalidInput). An upload
    is encoded once: the API's field validation and the service share the result."""
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    return [_prepared(p) for p in photos]


def _prepared(upload: UploadedFile) -> NormalizedPhoto:
    done: NormalizedPhoto | None = getattr(upload, "_wenming_prepared", None)
    if done is None:
        done = photo_normalize(upload, name=getattr(upload, "name", "") or "photo")
        upload._wenming_prepared = done  # type: ignore[attr-defined]
    return done


def photos_check(photos: Sequence[UploadedFile]) -> None:
    """The checks of `prepare_photos` without the re-encoding, for citizen intake (raises
    InvalidInput): count, size, a real image of an accepted format, pixel limit."""
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    for upload in photos:
        if not getattr(upload, "_wenming_checked", False):
            photo_check(upload)
            upload._wenming_checked = True  # type: ignore[attr-defined]


def _attach_uploads(
    case: Case, event: CaseEvent, photos: Sequence[UploadedFile], kind: str
) -> None:
    """Keep checked uploads in quarantine for the intake job to re-encode (never served)."""
    for upload in photos:
        upload.seek(0)
        insert(CaseAttachment(case=case, event=event, kind=kind, upload=upload))


def _attach(
    case: Case, event: CaseEvent | None, photos: Iterable[NormalizedPhoto], kind: str
) -> None:
    for photo in photos:
        CaseAttachment.objects.create(
            case=case, event=event, kind=kind, file=photo.image, thumbnail=photo.thumbnail
        )


def _require_text(text: str, message: str | Promise) -> str:
    """The text, stripped; InvalidInput(message) when empty. The message is a lazy one
    (gettext_lazy): translated only when the text is missing, not on every call."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


# ---------------------------------------------------------------- intake


@dataclass(frozen=True)
class CaseStamp:
    """The code and report time of a case about to be submitted, and on PostgreSQL the ids of
    its row and of its first event."""

    code: str
    at: datetime
    case_id: int | None = None
    event_id: int | None = None


# Sent with the counter's statement in one message, which PostgreSQL runs as one
# transaction: its commit does not wait for the disk, so the day's counter is free again at
# once. Every submission of the day bumps that one row, and a commit that waits for the
# disk keeps the row locked meanwhile: when the disk is slow, submissions queue one behind
# the other (bench/RESULTS.md, session 14). A crash can then forget the last codes taken,
# but only codes no saved case holds: a case's own commit waits for the disk, and the log is
# written in order, so the counter's earlier change is saved with it.
_UNFLUSHED = "SET LOCAL synchronous_commit TO off; "


def case_stamp(*, at: datetime | None = None) -> CaseStamp:
    """Take the next code now. Outside a transaction the day's counter is locked for this one
    statement; inside the submission's transaction it stays locked to its commit, and every
    concurrent submission of the day waits for it (a fifth fewer API submissions per second:
    bench/intake.py). So intake paths that open their own transaction take the stamp first
    and pass it to `case_submit`; a submission that then fails leaves its number unused.
    `at`: a report time in the past (an inspection's); its day is the code's.

    On PostgreSQL the same statement draws the case's and its first event's row ids from
    their sequences: with both known, the submission's rows go to the database together
    (core.inserts.together). Outside a transaction its commit does not wait for the disk
    (`_UNFLUSHED`)."""
    now = at or _now()
    local_day = timezone.localdate(now)
    postgres = connection.vendor == "postgresql"
    unflushed = postgres and connection.get_autocommit()  # no transaction of the caller's
    # One statement creates or bumps the day's counter and reads it (PostgreSQL, SQLite ≥
    # 3.35); the row stays locked to the end of the caller's transaction: no code repeats.
    table = connection.ops.quote_name(CaseCodeCounter._meta.db_table)
    drawn = ", nextval(pg_get_serial_sequence(%s, 'id'))" * 2 if postgres else ""
    with connection.cursor() as cursor:
        bump = (
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) ON CONFLICT (day) "  # noqa: S608 (our table name)
            f"DO UPDATE SET last = {table}.last + 1 RETURNING last{drawn}"
        )
        cursor.execute(
            (_UNFLUSHED + bump) if unflushed else bump,
            [local_day, *([Case._meta.db_table, CaseEvent._meta.db_table] if postgres else [])],
        )
        if unflushed:
            cursor.nextset()  # past the SET's empty result
        last, *drawn_ids = cursor.fetchone()
    case_id, event_id = drawn_ids or (None, None)
    return CaseStamp(code=case_code(local_day, last), at=now, case_id=case_id, event_id=event_id)


def _check_location(lat: float | None, lon: float | None) -> Region | None:
    if lat is None and lon is None:
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise InvalidInput(_("The location is not a valid latitude/longitude pair."))
    region = region_at(lat=lat, lon=lon)
    if region is None:
        raise InvalidInput(_("The location is outside the city's area."))
    return region


def default_region() -> Region:
    """Cases with no location belong to the city (seen by city-level staff)."""
    region = Region.objects.filter(level="city").order_by("path").first()
    if region is None:
        raise InvalidInput(_("No city region is configured yet."))
    return region


def case_submit(
    *,
    channel: str,
    title: str,
    description: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    category: Category | None = None,
    nature: str | None = None,
    urgency: str = Urgency.NORMAL,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    is_public: bool = True,
    actor: User | None = None,
    photos: Sequence[UploadedFile] = (),
    reported_at: datetime | None = None,
    stamp: CaseStamp | None = None,
) -> Case:
    """Receive a problem from any channel (actor None: a citizen). The case starts `submitted`
    with its grid from the location and a proposed unit from the routing rules.

    Photos are checked here (a file that is not a photo is refused at once) and re-encoded by
    the intake job after commit (`wenming.cases.tasks.case_intake_finish`), which also stores
    the triage suggestions: the request does no image or model work.

    `stamp` (from `case_stamp`, taken before the caller's transaction) gives the code and
    report time; without one, the code is taken here, before this function's transaction
    when the caller has none (`reported_at`: a report time in the past, e.g. an inspection's,
    whose day is the code's)."""
    if channel not in Channel:  # a value of one of its members (ChoicesType.__contains__)
        raise InvalidInput(_("Unknown channel."))
    title = _require_text(title, gettext_lazy("A title is required."))
    description = _require_text(description, gettext_lazy("A description is required."))
    region = _check_location(lat, lon) or default_region()
    photos_check(photos)
    if stamp is None and not connection.in_atomic_block:
        stamp = case_stamp(at=reported_at)  # no transaction yet: the counter is free at once
    proposed_unit = unit_for(category=category, region=region)  # before the counter's lock
    # No savepoint inside a caller's transaction (idempotency key, form token): nothing in
    # this block raises a domain error a caller could catch and go on from.
    with together(savepoint=False):  # the rows below in one round trip
        stamp = stamp or case_stamp(at=reported_at)
        now = stamp.at
        case = insert(
            Case(
                id=stamp.case_id,
                code=stamp.code,
                channel=channel,
                title=title[:120],
                description=description,
                reporter_name="" if is_anonymous else reporter_name.strip(),
                **phone_columns("reporter_phone", reporter_phone),
                is_anonymous=is_anonymous,
                reporter_user=actor,
                category=category,
                nature=nature or (category.default_nature if category else Nature.COMPLAINT),
                urgency=urgency,
                lat=lat,
                lon=lon,
                address=address.strip(),
                region=region,
                proposed_unit=proposed_unit,
                is_public=is_public,
                reported_at=now,
            )
        )
        move = Move(visibility=Visibility.PUBLIC, data={"channel": channel})
        event = _event(
            case, actor, Action.SUBMIT, "", State.SUBMITTED, now, move, pk=stamp.event_id
        )
        _attach_uploads(case, event, photos, AttachmentKind.BEFORE)
        enqueue_with_transaction(_intake_job(), case.pk)  # photos, then triage suggestions
    return case


def _intake_job() -> Task:
    from .tasks import case_intake_finish  # the job module imports this one

    return case_intake_finish


def attachments_process(*, case_id: int) -> int:
    """Re-encode the case's photos still in quarantine into public storage (EXIF removed,
    thumbnail made) and delete the raw files; how many were done. Safe to run twice: each
    photo is done once, under its row lock. One that turns out not to be a photo (damaged
    past its header) is dropped, with a warning in the log."""
    pending = CaseAttachment.objects.filter(case_id=case_id).exclude(upload="")
    return sum(_attachment_process(pk) for pk in pending.values_list("pk", flat=True))


def _attachment_process(pk: int) -> int:
    with transaction.atomic():
        attachment = (
            # of=self: the photo's row only; staff may be moving the case meanwhile.
            CaseAttachment.objects.select_for_update(of=("self",))
            .select_related("case")
            .filter(pk=pk)
            .first()
        )
        if attachment is None or not attachment.upload:
            return 0  # done by an earlier run of the job
        raw = attachment.upload.name or ""
        transaction.on_commit(lambda: quarantine_storage().delete(raw))
        try:
            with attachment.upload.open("rb") as upload:
                photo = photo_normalize(upload, name=raw.rsplit("/", 1)[-1])
        except InvalidInput as exc:
            logger.warning("case %s: photo %s dropped: %s", attachment.case.code, pk, exc)
            attachment.delete()
            return 0
        attachment.file, attachment.thumbnail = photo.image, photo.thumbnail  # type: ignore[assignment]
        attachment.upload = ""  # type: ignore[assignment]
        attachment.save(update_fields=["file", "thumbnail", "upload"])
    return 1


# ---------------------------------------------------------------- registration


def case_register(
    *,
    case_id: int,
    actor: User,
    category: Category | None = None,
    urgency: str | None = None,
    nature: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """立案: confirm the category (required) and urgency. A category marked auto-dispatch with a
    routing rule goes straight on to its unit."""

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.category = category or case.category
        if case.category is None:
            raise InvalidInput(_("Choose a category before registering the case."))
        if urgency:
            case.urgency = urgency
        if nature:
            case.nature = nature
        case.registered_at = now
        case.proposed_unit = unit_for(category=case.category, region=case.region)
        return ["category", "urgency", "nature", "registered_at", "proposed_unit"], Move(
            note=note, visibility=Visibility.PUBLIC
        )

    case = _transition(
        case_id=case_id,
        actor=actor,
        action=Action.REGISTER,
        expected_version=expected_version,
        apply=apply,
    )
    triage.case_registered(case=case)  # triage: records which suggested category was taken
    if case.category and case.category.auto_dispatch and case.proposed_unit_id:
        case = case_dispatch(
            case_id=case.pk,
            actor=None,
            unit=case.proposed_unit,
            note=_("Dispatched automatically by rule."),
            system=True,
        )
    return case


def _closing(note: str) -> Callable[[Case, datetime], tuple[list[str], Move]]:
    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.closed_at = now
        return ["closed_at"], Move(note=note, visibility=Visibility.PUBLIC)

    return apply


def case_reject(
    *, case_id: int, actor: User, reason: str, expected_version: int | None = None
) -> Case:
    """不予立案, with the reason the reporter will read."""
    reason = _require_text(reason, gettext_lazy("Give the reason for not registering the case."))
    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.REJECT,
        expected_version=expected_version,
        apply=_closing(reason),
    )


def case_answer(
    *, case_id: int, actor: User, answer: str, expected_version: int | None = None
) -> Case:
    """直接答复: a consultation answered on the spot closes the case."""
    answer = _require_text(answer, gettext_lazy("Write the answer given to the reporter."))
    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.ANSWER,
        expected_version=expected_version,
        apply=_closing(answer),
    )


def case_merge(
    *, case_id: int, actor: User, into: Case, note: str = "", expected_version: int | None = None
) -> Case:
    """合并: a duplicate joins the surviving case; its reporter follows the survivor."""
    if into.pk == case_id:
        raise InvalidInput(_("A case cannot be merged into itself."))
    if into.state in (State.MERGED, State.REJECTED):
        raise InvalidInput(
            _("The surviving case must be an open or closed case, not a merged or rejected one.")
        )
    authorize(actor, into, ACTION_ROLES[Action.MERGE])

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.merged_into = into
        case.closed_at = now
        return ["merged_into", "closed_at"], Move(
            note=note or _("Merged into %(code)s") % {"code": into.code},
            visibility=Visibility.PUBLIC,
            data={"into": into.code},
        )

    with transaction.atomic():
        case = _transition(
            case_id=case_id,
            actor=actor,
            action=Action.MERGE,
            expected_version=expected_version,
            apply=apply,
        )
        CaseEvent.objects.create(
            case=into,
            action=Action.COMMENT,
            from_state=into.state,
            to_state=into.state,
            actor=actor,
            actor_label=actor.get_full_name() or actor.username,
            visibility=Visibility.STAFF,
            note=_("Duplicate %(code)s merged into this case") % {"code": case.code},
            data={"merged": case.code},
            created_at=_now(),
        )
    return case


# ---------------------------------------------------------------- dispatch and signing


def _dispatch_apply(unit: Unit, note: str) -> Callable[[Case, datetime], tuple[list[str], Move]]:
    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        if not unit.is_active:
            raise InvalidInput(_("The unit %(unit)s is not active.") % {"unit": unit})
        previous = case.unit.name if case.unit_id and case.unit else ""
        case.unit, case.handler, case.dispatched_at, case.signed_at = unit, None, now, None
        fields = [
            "unit",
            "handler",
            "dispatched_at",
            "signed_at",
            *deadlines.set_dispatch_deadlines(case, now),
        ]
        move = Move(
            note=note, visibility=Visibility.PUBLIC, data={"unit": unit.name, "from_unit": previous}
        )
        move.after_commit.append(lambda: notifications.notify_dispatched(case_id=case.pk))
        return fields, move

    return apply


def case_dispatch(
    *,
    case_id: int,
    actor: User | None,
    unit: Unit | None,
    note: str = "",
    expected_version: int | None = None,
    system: bool = False,
) -> Case:
    """派遣: send a registered case to a unit; the sign and handle deadlines start now."""
    if unit is None:
        raise InvalidInput(_("Choose the unit to dispatch to."))
    case = _transition(
        case_id=case_id,
        actor=actor,
        action=Action.DISPATCH,
        expected_version=expected_version,
        apply=_dispatch_apply(unit, note),
        system=system,
    )
    triage.case_dispatched(case=case)  # triage: records which suggested unit was taken
    return case


def case_redispatch(
    *, case_id: int, actor: User, unit: Unit | None, note: str, expected_version: int | None = None
) -> Case:
    """改派: move a dispatched or in-progress case to another unit, with new deadlines."""
    if unit is None:
        raise InvalidInput(_("Choose the unit to dispatch to."))
    note = _require_text(note, gettext_lazy("Give the reason for re-dispatching."))
    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.REDISPATCH,
        expected_version=expected_version,
        apply=_dispatch_apply(unit, note),
    )


def case_sign(*, case_id: int, actor: User, expected_version: int | None = None) -> Case:
    """签收: the unit takes the case; the signer becomes its handler."""

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.handler, case.signed_at, case.warning_level = actor, now, 0
        return ["handler", "signed_at", "warning_level"], Move(visibility=Visibility.PUBLIC)

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.SIGN,
        expected_version=expected_version,
        apply=apply,
    )


# ---------------------------------------------------------------- return and extension requests


def _open_request(case: Case, kind: str) -> None:
    if case.requests.filter(
        kind=kind, status__in=[RequestStatus.PENDING_LEAD, RequestStatus.PENDING_DISPATCHER]
    ).exists():
        raise IllegalTransition(_("There is already an open request of this kind on the case."))


def _request_create(
    *,
    case_id: int,
    actor: User,
    kind: str,
    reason: str,
    extra_days: int | None,
    expected_version: int | None,
) -> CaseRequest:
    action = Action.RETURN_REQUEST if kind == RequestKind.RETURN else Action.EXTENSION_REQUEST
    reason = _require_text(reason, gettext_lazy("Give the reason for the request."))
    created: list[CaseRequest] = []

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        _open_request(case, kind)
        is_lead = any(
            m.role == Role.UNIT_LEAD and m.unit_id == case.unit_id for m in actor.memberships.all()
        )
        status = RequestStatus.PENDING_DISPATCHER if is_lead else RequestStatus.PENDING_LEAD
        created.append(
            CaseRequest.objects.create(
                case=case,
                kind=kind,
                status=status,
                reason=reason,
                extra_days=extra_days,
                requested_by=actor,
            )
        )
        move = Move(note=reason, data={"extra_days": extra_days, "request_status": status})
        move.after_commit.append(
            lambda: notifications.notify_request(case_id=case.pk, for_lead=not is_lead)
        )
        return [], move

    _transition(
        case_id=case_id, actor=actor, action=action, expected_version=expected_version, apply=apply
    )
    return created[0]


def case_request_return(
    *, case_id: int, actor: User, reason: str, expected_version: int | None = None
) -> CaseRequest:
    """退单申请: the unit says the case is not theirs; its lead approves, then the dispatcher."""
    return _request_create(
        case_id=case_id,
        actor=actor,
        kind=RequestKind.RETURN,
        reason=reason,
        extra_days=None,
        expected_version=expected_version,
    )


def case_request_extension(
    *, case_id: int, actor: User, reason: str, extra_days: int, expected_version: int | None = None
) -> CaseRequest:
    """延期申请: more working days to handle the case; its lead approves, then the dispatcher."""
    if not 1 <= int(extra_days) <= 60:
        raise InvalidInput(_("An extension is 1 to 60 working days."))
    return _request_create(
        case_id=case_id,
        actor=actor,
        kind=RequestKind.EXTENSION,
        reason=reason,
        extra_days=int(extra_days),
        expected_version=expected_version,
    )


def _locked_request(request_id: int, status: str) -> CaseRequest:
    try:
        request = CaseRequest.objects.select_for_update().select_related("case").get(pk=request_id)
    except CaseRequest.DoesNotExist as exc:
        raise NotFound() from exc
    if request.status != status:
        raise IllegalTransition(_("This request has already been decided."))
    return request


def case_request_decide_lead(
    *, request_id: int, actor: User, approve: bool, note: str = ""
) -> CaseRequest:
    """The unit lead approves a handler's request (on to the dispatcher) or turns it down."""
    with transaction.atomic():
        request = _locked_request(request_id, RequestStatus.PENDING_LEAD)
        approve_action = (
            Action.RETURN_APPROVE_LEAD
            if request.kind == RequestKind.RETURN
            else Action.EXTENSION_APPROVE_LEAD
        )
        action = approve_action if approve else Action.REQUEST_REJECT
        authorize(actor, request.case, ACTION_ROLES[approve_action])
        request.status = RequestStatus.PENDING_DISPATCHER if approve else RequestStatus.REJECTED
        request.decided_by, request.decision_note = (None, "") if approve else (actor, note)
        request.save(update_fields=["status", "decided_by", "decision_note", "updated_at"])

        def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
            move = Move(note=note, data={"request": request.pk, "kind": request.kind})
            if approve:
                move.after_commit.append(
                    lambda: notifications.notify_request(case_id=case.pk, for_lead=False)
                )
            else:
                move.after_commit.append(
                    lambda: notifications.notify_request_decided(
                        case_id=case.pk, requester_id=request.requested_by_id, approved=False
                    )
                )
            return [], move

        _transition(
            case_id=request.case_id,
            actor=actor,
            action=action,
            expected_version=None,
            apply=apply,
            system=True,
        )
    return request


def case_request_decide(
    *,
    request_id: int,
    actor: User,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
) -> CaseRequest:
    """The dispatcher's decision. An approved return puts the case back to `registered` for
    re-routing; an approved extension moves the handle deadline by the requested working days."""
    with transaction.atomic():
        request = _locked_request(request_id, RequestStatus.PENDING_DISPATCHER)
        final_action = (
            Action.RETURN if request.kind == RequestKind.RETURN else Action.EXTENSION_APPROVE
        )
        authorize(actor, request.case, ACTION_ROLES[final_action])
        request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        request.decided_by, request.decision_note = actor, note
        request.save(update_fields=["status", "decided_by", "decision_note", "updated_at"])
        requester = request.requested_by_id

        def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
            move = Move(
                note=note or request.reason, data={"request": request.pk, "kind": request.kind}
            )
            move.after_commit.append(
                lambda: notifications.notify_request_decided(
                    case_id=case.pk, requester_id=requester, approved=approve
                )
            )
            if not approve:
                return [], move
            if request.kind == RequestKind.EXTENSION:
                move.data["extra_days"] = request.extra_days
                return deadlines.extend_handle_deadline(case, request.extra_days or 0), move
            move.visibility = Visibility.PUBLIC
            move.data["from_unit"] = case.unit.name if case.unit else ""
            case.unit, case.handler, case.sign_deadline, case.handle_deadline = (
                None,
                None,
                None,
                None,
            )
            case.suspended_at, case.warning_level = None, 0
            case.proposed_unit = unit_for(category=case.category, region=case.region)
            move.after_commit.append(lambda: notifications.notify_returned(case_id=case.pk))
            return [
                "unit",
                "handler",
                "sign_deadline",
                "handle_deadline",
                "suspended_at",
                "warning_level",
                "proposed_unit",
            ], move

        _transition(
            case_id=request.case_id,
            actor=actor,
            action=final_action if approve else Action.REQUEST_REJECT,
            expected_version=expected_version,
            apply=apply,
            system=True,
        )
    return request


# ---------------------------------------------------------------- suspension


def case_suspend(
    *, case_id: int, actor: User, reason: str, expected_version: int | None = None
) -> Case:
    """挂起: the clock stops (e.g. waiting for a court ruling or the heating season)."""
    reason = _require_text(reason, gettext_lazy("Give the reason for suspending the case."))

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        if case.is_suspended:
            raise IllegalTransition(_("The case is already suspended."))
        case.suspended_at = now
        return ["suspended_at"], Move(note=reason, visibility=Visibility.PUBLIC)

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.SUSPEND,
        expected_version=expected_version,
        apply=apply,
    )


def case_resume(
    *, case_id: int, actor: User, note: str = "", expected_version: int | None = None
) -> Case:
    """恢复: the clock runs again; the deadline moves by the working time spent suspended."""

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        if not case.is_suspended:
            raise IllegalTransition(_("The case is not suspended."))
        return deadlines.shift_for_suspension(case, now), Move(
            note=note, visibility=Visibility.PUBLIC
        )

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.RESUME,
        expected_version=expected_version,
        apply=apply,
    )


# ---------------------------------------------------------------- handling and verification


def case_feedback(
    *,
    case_id: int,
    actor: User,
    text: str,
    photos: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Case:
    """反馈: the unit reports the case handled, with text and after-photos (required when the
    category says so)."""
    text = _require_text(text, gettext_lazy("Describe how the case was handled."))
    prepared = prepare_photos(photos)

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        if case.is_suspended:
            raise IllegalTransition(_("Resume the case before reporting it handled."))
        if not photos and (case.category is None or case.category.photo_required):
            raise InvalidInput(_("Add at least one photo of the result."))
        case.handled_at = now
        fields = ["handled_at", *deadlines.set_verify_deadline(case, now)]
        # triage: reply checks, stored for the verifier; they never block the feedback
        flags = triage.feedback_flags(case=case, text=text, photo_count=len(prepared))
        return fields, Move(
            note=text,
            visibility=Visibility.PUBLIC,
            data={"reply_flags": flags},
            photos=prepared,
            photo_kind=AttachmentKind.AFTER,
        )

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.FEEDBACK,
        expected_version=expected_version,
        apply=apply,
    )


def case_verify(
    *,
    case_id: int,
    actor: User,
    passed: bool,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Case:
    """核查: on-site check of the handling. A failure sends the case back for rework (counted)."""
    if not passed:
        note = _require_text(note, gettext_lazy("Say what is still wrong, for the rework."))
    prepared = prepare_photos(photos)

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        move = Move(note=note, visibility=Visibility.PUBLIC, photos=prepared)
        if passed:
            case.verify_deadline = None
            return ["verify_deadline"], move
        case.rework_count += 1
        move.after_commit.append(lambda: notifications.notify_returned_for_rework(case_id=case.pk))
        return ["rework_count", *deadlines.set_rework_deadline(case, now)], move

    action = Action.VERIFY_PASS if passed else Action.VERIFY_FAIL
    return _transition(
        case_id=case_id, actor=actor, action=action, expected_version=expected_version, apply=apply
    )


def case_close(
    *, case_id: int, actor: User, note: str = "", expected_version: int | None = None
) -> Case:
    """结案: the verified case is closed; callback and rating are now possible."""

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.closed_at, case.warning_level = now, 0
        move = Move(note=note, visibility=Visibility.PUBLIC)
        move.after_commit.append(lambda: notifications.notify_closed(case_id=case.pk))
        return ["closed_at", "warning_level"], move

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.CLOSE,
        expected_version=expected_version,
        apply=apply,
    )


# ---------------------------------------------------------------- evaluation


def case_rate(
    *,
    case_id: int,
    satisfaction: str,
    resolved: bool,
    comment: str = "",
    actor: User | None = None,
    via_callback: bool = False,
) -> CaseRating:
    """评价 (the reporter, actor None — the portal checks the tracking code and phone) or 回访
    (staff record the reporter's answer at a callback). Only a closed case can be rated, and the
    reporter rates once."""
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Choose satisfied, basically satisfied or dissatisfied."))
    action = Action.CALLBACK if via_callback else Action.RATE
    created: list[CaseRating] = []

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        if not via_callback and case.ratings.filter(via_callback=False).exists():
            raise IllegalTransition(_("This case has already been rated."))
        created.append(
            CaseRating.objects.create(
                case=case,
                satisfaction=satisfaction,
                resolved=resolved,
                comment=comment.strip(),
                via_callback=via_callback,
                recorded_by=actor,
            )
        )
        data = {"satisfaction": satisfaction, "resolved": resolved}
        return [], Move(note=comment.strip(), visibility=Visibility.STAFF, data=data)

    _transition(
        case_id=case_id,
        actor=actor,
        action=action,
        expected_version=None,
        apply=apply,
        system=not via_callback,
    )
    return created[0]


def case_reopen(
    *, case_id: int, actor: User, reason: str, expected_version: int | None = None
) -> Case:
    """重办: a closed case the reporter was dissatisfied with goes back to registration."""
    reason = _require_text(reason, gettext_lazy("Give the reason for reopening the case."))

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        latest = case.ratings.order_by("-created_at", "-id").first()
        if latest is None or (latest.satisfaction != Satisfaction.DISSATISFIED and latest.resolved):
            raise IllegalTransition(
                _("Only a case rated dissatisfied or unresolved can be reopened.")
            )
        case.closed_at, case.unit, case.handler = None, None, None
        case.sign_deadline = case.handle_deadline = case.verify_deadline = None
        case.registered_at = now
        case.proposed_unit = unit_for(category=case.category, region=case.region)
        fields = [
            "closed_at",
            "unit",
            "handler",
            "sign_deadline",
            "handle_deadline",
            "verify_deadline",
            "registered_at",
            "proposed_unit",
        ]
        return fields, Move(note=reason, visibility=Visibility.PUBLIC)

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.REOPEN,
        expected_version=expected_version,
        apply=apply,
    )


def case_supervise(
    *, case_id: int, actor: User, note: str, expected_version: int | None = None
) -> Case:
    """督办: a leader or the dispatcher presses the unit; the supervision level goes up."""
    note = _require_text(note, gettext_lazy("Write the supervision instruction."))

    def apply(case: Case, now: datetime) -> tuple[list[str], Move]:
        case.supervision_level += 1
        move = Move(note=note, data={"level": case.supervision_level})
        move.after_commit.append(lambda: notifications.notify_supervised(case_id=case.pk))
        return ["supervision_level"], move

    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.SUPERVISE,
        expected_version=expected_version,
        apply=apply,
    )


def case_comment(
    *, case_id: int, actor: User, note: str, visibility: str = Visibility.INTERNAL
) -> Case:
    """An internal note on the timeline (no state change)."""
    note = _require_text(note, gettext_lazy("Write the note."))
    if visibility not in Visibility.values:
        raise InvalidInput(_("Unknown visibility."))
    return _transition(
        case_id=case_id,
        actor=actor,
        action=Action.COMMENT,
        expected_version=None,
        apply=lambda case, now: ([], Move(note=note, visibility=visibility)),
    )
