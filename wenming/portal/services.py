"""Writes of the public portal: idempotent snapshot intake and the message board's flow
(submit → moderate → reply → publish, or turn into a case)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.cases.models import Case, Category, Channel, Nature
from wenming.cases.services import case_stamp, case_submit
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.core.personal import phone_columns
from wenming.core.scope import has_role
from wenming.org.models import Role

from .models import BoardMessage, MessageKind, MessageStatus, ReportToken, SensitiveWord

MODERATOR_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.ADMIN)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
KIND_NATURE: dict[str, str] = {
    MessageKind.QUESTION: Nature.CONSULT,
    MessageKind.COMPLAINT: Nature.COMPLAINT,
    MessageKind.SUGGESTION: Nature.SUGGESTION,
}


def snapshot_submit(
    *,
    token: str,
    category: Category,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    photos: Sequence[UploadedFile] = (),
) -> tuple[Case, bool]:
    """File a 随手拍 report once per form token: (case, created). A resubmitted form (same
    token) returns the first case and creates nothing."""
    existing = ReportToken.objects.filter(token=token).select_related("case").first()
    if existing:
        return existing.case, False
    title = f"{category.name}：{description.strip()[:40]}"
    stamp = case_stamp()  # before the transaction: see case_stamp
    try:
        with transaction.atomic():
            case = case_submit(
                stamp=stamp,
                channel=Channel.SNAPSHOT,
                title=title,
                description=description,
                category=category,
                lat=lat,
                lon=lon,
                address=address,
                reporter_name=reporter_name,
                reporter_phone=reporter_phone,
                is_anonymous=is_anonymous,
                photos=photos,
            )
            ReportToken.objects.create(token=token, case=case)
    except IntegrityError:
        # The same form arrived twice at once; the other request's case won, ours rolled back.
        return ReportToken.objects.select_related("case").get(token=token).case, False
    return case, True


# ---------------------------------------------------------------- message board


def sensitive_words_in(text: str) -> list[str]:
    """The active sensitive words that occur in the text (case-insensitive)."""
    lowered = text.lower()
    words = SensitiveWord.objects.filter(is_active=True).values_list("word", flat=True)
    return sorted({w for w in words if w.strip() and w.strip().lower() in lowered})


def _new_message_code() -> str:
    while True:
        code = "LY" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not BoardMessage.objects.filter(code=code).exists():
            return code


def board_message_submit(
    *,
    token: str,
    kind: str,
    title: str,
    body: str,
    is_public: bool,
    author_name: str = "",
    author_phone: str = "",
) -> tuple[BoardMessage, bool]:
    """A citizen's message, waiting for moderation: `held` when it contains a sensitive word,
    `pending` otherwise. Once per form token: (message, created)."""
    existing = BoardMessage.objects.filter(submit_token=token).first()
    if existing:
        return existing, False
    if kind not in MessageKind.values:
        raise InvalidInput(_("Choose question, complaint or suggestion."))
    if not is_public and not author_phone:
        raise InvalidInput(_("A private message needs your phone number, so you can read it."))
    flagged = sensitive_words_in(f"{title}\n{body}")
    try:
        with transaction.atomic():
            message = BoardMessage.objects.create(
                code=_new_message_code(),
                submit_token=token,
                kind=kind,
                title=title.strip()[:80],
                body=body.strip(),
                is_public=is_public,
                author_name=author_name.strip(),
                **phone_columns("author_phone", author_phone),
                status=MessageStatus.HELD if flagged else MessageStatus.PENDING,
                flagged_words="、".join(flagged)[:200],
            )
    except IntegrityError:
        return BoardMessage.objects.get(submit_token=token), False
    return message, True


def _check_moderator(actor: User) -> None:
    if not actor.is_authenticated or not has_role(actor, *MODERATOR_ROLES):
        raise PermissionDenied()


def _locked(message_id: int) -> BoardMessage:
    try:
        return BoardMessage.objects.select_for_update().get(pk=message_id)
    except BoardMessage.DoesNotExist as exc:
        raise NotFound() from exc


def board_message_moderate(
    *, message_id: int, actor: User, approve: bool, note: str = ""
) -> BoardMessage:
    """Approve (publish if the author chose public) or refuse a waiting message. The row lock
    keeps two moderators from deciding the same message twice."""
    _check_moderator(actor)
    if not approve and not note.strip():
        raise InvalidInput(_("Give the reason for not publishing the message."))
    with transaction.atomic():
        message = _locked(message_id)
        if message.status not in (MessageStatus.PENDING, MessageStatus.HELD):
            raise IllegalTransition(_("This message has already been moderated."))
        message.status = MessageStatus.APPROVED if approve else MessageStatus.REJECTED
        message.moderated_by, message.moderated_at = actor, timezone.now()
        message.moderation_note = note.strip()[:200]
        message.save(
            update_fields=[
                "status",
                "moderated_by",
                "moderated_at",
                "moderation_note",
                "updated_at",
            ]
        )
    return message


def board_message_reply(*, message_id: int, actor: User, reply: str) -> BoardMessage:
    """The official reply, published under the message (replacing an earlier reply)."""
    _check_moderator(actor)
    reply = reply.strip()
    if not reply:
        raise InvalidInput(_("Write the reply."))
    with transaction.atomic():
        message = _locked(message_id)
        if message.status == MessageStatus.REJECTED:
            raise IllegalTransition(_("A message that was not published cannot be replied to."))
        message.reply, message.replied_by, message.replied_at = reply, actor, timezone.now()
        message.save(update_fields=["reply", "replied_by", "replied_at", "updated_at"])
    return message


def board_message_to_case(
    *, message_id: int, actor: User, category: Category | None = None
) -> Case:
    """Turn a message into a case (channel `board`) and link them; once per message."""
    _check_moderator(actor)
    with transaction.atomic():
        message = _locked(message_id)
        if message.case_id:
            raise IllegalTransition(_("This message has already been turned into a case."))
        case = case_submit(
            channel=Channel.BOARD,
            title=message.title,
            description=message.body,
            reporter_name=message.author_name,
            reporter_phone=message.author_phone,
            category=category,
            nature=KIND_NATURE.get(message.kind, Nature.COMPLAINT),
            is_public=message.is_public,
            actor=actor,
        )
        message.case = case
        message.save(update_fields=["case", "updated_at"])
    return case
