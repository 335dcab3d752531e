"""Writes for honors: nominate (with photos), approve with a level, reject."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.core.images import photo_normalize
from wenming.core.masking import mask_phone
from wenming.core.validators import validate_mobile_phone
from wenming.org.models import Region

from .models import Honoree, HonoreePhoto, HonoreeStatus, HonorLevel

MAX_PHOTOS = 6


@transaction.atomic
def honoree_nominate(
    *,
    name: str,
    category: str,
    region: Region,
    title: str,
    story: str,
    nominator_name: str,
    nominator_phone: str,
    photos: Sequence[UploadedFile] = (),
    user: User | AnonymousUser | None = None,
) -> Honoree:
    """Nominate someone for the good-people list; each photo is checked and re-encoded."""
    try:
        phone = validate_mobile_phone(nominator_phone)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS})
    if len(story.strip()) < 20:
        raise InvalidInput(_("Tell the story in at least 20 characters."))
    honoree = Honoree.objects.create(
        name=name.strip(),
        category=category,
        region=region,
        title=title.strip(),
        story=story.strip(),
        year=timezone.localdate().year,
        nominator_name=nominator_name.strip(),
        nominator_phone_masked=mask_phone(phone),
        nominated_by=user if user is not None and user.is_authenticated else None,
    )
    for upload in photos:
        photo = photo_normalize(upload, name=f"honoree-{honoree.pk}")
        HonoreePhoto.objects.create(honoree=honoree, image=photo.image, thumbnail=photo.thumbnail)
    return honoree


def _locked_nominated(honoree: Honoree) -> Honoree:
    locked = Honoree.objects.select_for_update().get(pk=honoree.pk)
    if locked.status != HonoreeStatus.NOMINATED:
        raise IllegalTransition(_("This nomination has been reviewed already."))
    return locked


@transaction.atomic
def honoree_approve(*, honoree: Honoree, actor: User, level: str, note: str = "") -> Honoree:
    """Put a nominee on the public list at a level (district, city, provincial, national)."""
    if level not in HonorLevel.values:
        raise InvalidInput(_("Choose the level of the honor."))
    locked = _locked_nominated(honoree)
    locked.status, locked.level = HonoreeStatus.APPROVED, level
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
    locked.save(
        update_fields=["status", "level", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
    )
    return locked


@transaction.atomic
def honoree_reject(*, honoree: Honoree, actor: User, note: str) -> Honoree:
    """Turn a nomination down, with the reason."""
    if not note.strip():
        raise InvalidInput(_("Give the reason for the rejection."))
    locked = _locked_nominated(honoree)
    locked.status = HonoreeStatus.REJECTED
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return locked
