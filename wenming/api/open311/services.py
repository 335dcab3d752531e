"""Writes of the Open311 endpoint: API keys and filing a service request as a case."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.api.models import Open311ApiKey, Open311Submission
from wenming.cases.models import Case, CaseEvent, Category, Channel, Visibility
from wenming.cases.services import case_stamp, case_submit
from wenming.cases.states import Action, State

from .selectors import api_key_hash


def api_key_new_raw() -> str:
    return secrets.token_urlsafe(32)


def api_key_create(*, name: str, created_by: User | None = None) -> tuple[Open311ApiKey, str]:
    """A new key for an Open311 client: (the stored key, the raw key to hand over once)."""
    raw = api_key_new_raw()
    key = Open311ApiKey.objects.create(
        name=name.strip(), key_hash=api_key_hash(raw), created_by=created_by
    )
    return key, raw


@dataclass(frozen=True)
class Contact:
    """The reporter as the client sent them; stored, never shown by Open311."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""


@dataclass(frozen=True)
class ServiceRequestInput:
    category: Category
    description: str
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    media_url: str = ""
    media: Sequence[UploadedFile] = ()
    answers: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (question, answer)


def _description(data: ServiceRequestInput) -> str:
    text = data.description.strip() or data.category.name
    lines = [f"{question}: {answer}" for question, answer in data.answers]
    return "\n".join([text, *lines]) if lines else text


def open311_request_submit(
    *, api_key: Open311ApiKey, data: ServiceRequestInput, contact: Contact
) -> Case:
    """File a GeoReport v2 request as a case (channel `open311`, state `submitted`). The
    attribute answers join the description; contact details and the media URL are kept in
    an Open311Submission; the media URL is also noted on the staff timeline — it is never
    fetched."""
    name = " ".join(p for p in (contact.last_name.strip(), contact.first_name.strip()) if p)
    stamp = case_stamp()  # before the transaction: see case_stamp
    with transaction.atomic():
        case = case_submit(
            stamp=stamp,
            channel=Channel.OPEN311,
            title=(data.description.strip() or data.category.name)[:30],
            description=_description(data),
            reporter_name=name,
            reporter_phone=contact.phone,
            category=data.category,
            lat=data.lat,
            lon=data.lon,
            address=data.address,
            photos=data.media,
        )
        Open311Submission.objects.create(
            case=case,
            api_key=api_key,
            email=contact.email,
            device_id=contact.device_id[:100],
            account_id=contact.account_id[:100],
            media_url=data.media_url,
        )
        if data.media_url:
            _note_media_url(case, api_key, data.media_url)
    return case


def _note_media_url(case: Case, api_key: Open311ApiKey, url: str) -> None:
    # A timeline note with no state change, written in the submission's transaction like the
    # survivor's note of cases.services.case_merge (case_comment needs a staff actor).
    CaseEvent.objects.create(
        case=case,
        action=Action.COMMENT,
        from_state=State.SUBMITTED,
        to_state=State.SUBMITTED,
        actor=None,
        actor_label=f"open311: {api_key.name}"[:80],
        visibility=Visibility.STAFF,
        note=_("Media URL sent by the Open311 client (not fetched): %(url)s") % {"url": url},
        data={"media_url": url},
        created_at=timezone.now(),
    )
