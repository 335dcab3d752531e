"""Writes of accountability: red/black lists (draft → approve → publish, corrections as new
versions) and exposures (draft → publish). Each is atomic, locks the row it moves, and refuses
a move from the wrong status with a domain error; published rows never change (the models
refuse it too)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.cases.models import Case
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.core.masking import redact_text
from wenming.core.scope import has_role
from wenming.org.models import Region

from . import selectors
from .models import Exposure, ListColor, ListEntry, ListStatus, PublishedRecordLocked, RedBlackList
from .periods import Period

MAX_LIST_SIZE = 20


def _require_office(actor: User) -> None:
    if not has_role(actor, *selectors.LIST_ROLES):
        raise PermissionDenied()


def _locked_list(list_id: int, *, status: str) -> RedBlackList:
    try:
        lst = RedBlackList.objects.select_for_update().get(pk=list_id)
    except RedBlackList.DoesNotExist as exc:
        raise NotFound() from exc
    if lst.status == ListStatus.PUBLISHED and status != ListStatus.PUBLISHED:
        raise PublishedRecordLocked()
    if lst.status != status:
        raise IllegalTransition()
    return lst


def _entries(lst: RedBlackList, standings: list[selectors.Standing], color: str) -> list[ListEntry]:
    return [
        ListEntry(
            list=lst,
            color=color,
            position=position,
            unit_id=s.row.id,
            unit_name=s.row.name,
            rank=s.rank,
            composite=Decimal(str(s.composite)) if s.composite is not None else None,
            grade=s.grade,
        )
        for position, s in enumerate(standings, start=1)
    ]


def list_draft(
    *, actor: User, region: Region, period: Period, top: int, bottom: int, title: str = ""
) -> RedBlackList:
    """A draft list from the period's ranking in the region: the top `top` units on the red
    list, the bottom `bottom` on the black list (never the same unit on both)."""
    _require_office(actor)
    if not (0 <= top <= MAX_LIST_SIZE and 0 <= bottom <= MAX_LIST_SIZE) or top + bottom == 0:
        raise InvalidInput(_("Put 1 to %(n)s units on each list.") % {"n": MAX_LIST_SIZE})
    ranked = selectors.ranking_for(user=actor, period=period, region=region).ranked
    if not ranked:
        raise InvalidInput(_("No unit has enough cases in this period to be ranked."))
    red = ranked[:top]
    black = [s for s in reversed(ranked) if s not in red][:bottom]  # the worst first
    default_title = _("Red and black list of %(region)s, %(period)s") % {
        "region": region.name,
        "period": period.label,
    }
    with transaction.atomic():
        lst = RedBlackList.objects.create(
            title=title.strip() or default_title,
            region=region,
            period_kind=period.kind,
            period_start=period.start,
            created_by=actor,
        )
        ListEntry.objects.bulk_create(
            _entries(lst, red, ListColor.RED) + _entries(lst, black, ListColor.BLACK)
        )
    return lst


def _entry(entry_id: int) -> ListEntry:
    entry = ListEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def list_entry_update(*, actor: User, entry_id: int, reason: str) -> ListEntry:
    """Write the reason shown next to a unit on a draft list."""
    _require_office(actor)
    with transaction.atomic():
        entry = _entry(entry_id)
        _locked_list(entry.list_id, status=ListStatus.DRAFT)
        entry.reason = reason.strip()
        entry.save(update_fields=["reason"])
    return entry


def list_entry_remove(*, actor: User, entry_id: int) -> None:
    """Take a unit off a draft list (e.g. a ranking error under review)."""
    _require_office(actor)
    with transaction.atomic():
        entry = _entry(entry_id)
        _locked_list(entry.list_id, status=ListStatus.DRAFT)
        entry.delete()


def list_approve(*, actor: User, list_id: int) -> RedBlackList:
    """Approve a draft: every entry needs a reason; the list can then be published."""
    _require_office(actor)
    with transaction.atomic():
        lst = _locked_list(list_id, status=ListStatus.DRAFT)
        if not lst.entries.exists():
            raise InvalidInput(_("The list has no units."))
        if lst.entries.filter(reason="").exists():
            raise InvalidInput(_("Give the reason for every unit before approving."))
        lst.status, lst.approved_by, lst.approved_at = ListStatus.APPROVED, actor, timezone.now()
        lst.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return lst


def list_reopen(*, actor: User, list_id: int) -> RedBlackList:
    """Send an approved (not yet published) list back to draft for more edits."""
    _require_office(actor)
    with transaction.atomic():
        lst = _locked_list(list_id, status=ListStatus.APPROVED)
        lst.status, lst.approved_by, lst.approved_at = ListStatus.DRAFT, None, None
        lst.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return lst


def list_publish(*, actor: User, list_id: int) -> RedBlackList:
    """Publish an approved list on the portal. From now on it never changes."""
    _require_office(actor)
    with transaction.atomic():
        lst = _locked_list(list_id, status=ListStatus.APPROVED)
        lst.status, lst.published_by, lst.published_at = (
            ListStatus.PUBLISHED,
            actor,
            timezone.now(),
        )
        lst.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    return lst


def list_correct(*, actor: User, list_id: int, note: str) -> RedBlackList:
    """Start a correction of a published list: a new draft version with the same entries and
    reasons, pointing at the version it will replace once published."""
    _require_office(actor)
    note = note.strip()
    if not note:
        raise InvalidInput(_("Say what the correction is for."))
    with transaction.atomic():
        old = RedBlackList.objects.select_for_update().filter(pk=list_id).first()
        if old is None:
            raise NotFound()
        if old.status != ListStatus.PUBLISHED:
            raise IllegalTransition(_("Only a published list is corrected; edit the draft."))
        if old.corrections.exclude(status=ListStatus.PUBLISHED).exists():
            raise IllegalTransition(_("A correction of this list is already in progress."))
        new = RedBlackList.objects.create(
            title=old.title,
            region=old.region,
            period_kind=old.period_kind,
            period_start=old.period_start,
            version=old.version + 1,
            supersedes=old,
            correction_note=note,
            created_by=actor,
        )
        ListEntry.objects.bulk_create(
            ListEntry(
                list=new,
                color=e.color,
                position=e.position,
                unit_id=e.unit_id,
                unit_name=e.unit_name,
                rank=e.rank,
                composite=e.composite,
                grade=e.grade,
                reason=e.reason,
            )
            for e in old.entries.all()
        )
    return new


# ---------------------------------------------------------------- exposure desk


def exposure_draft(*, actor: User, case: Case, comment: str = "") -> Exposure:
    """A draft exposure of a case: a redacted snapshot (no reporter data; phones and plates in
    the text masked) that the office may edit before publishing."""
    _require_office(actor)
    if case.region_id is None:
        raise InvalidInput(_("The case has no region."))
    return Exposure.objects.create(
        case=case,
        title=redact_text(case.title),
        summary=redact_text(case.description),
        comment=comment.strip(),
        category_name=case.category.name if case.category else "",
        region_id=case.region_id,
        unit_name=case.unit.name if case.unit else "",
        reported_at=case.reported_at,
        created_by=actor,
    )


def exposure_update(
    *, actor: User, exposure_id: int, title: str, summary: str, comment: str
) -> Exposure:
    """Edit a draft exposure's text (masked again on save)."""
    _require_office(actor)
    if not title.strip() or not summary.strip():
        raise InvalidInput(_("A title and a summary are required."))
    with transaction.atomic():
        exposure = _locked_exposure(exposure_id)
        exposure.title = redact_text(title.strip())[:120]
        exposure.summary = redact_text(summary.strip())
        exposure.comment = redact_text(comment.strip())
        exposure.save(update_fields=["title", "summary", "comment", "updated_at"])
    return exposure


def _locked_exposure(exposure_id: int) -> Exposure:
    try:
        exposure = Exposure.objects.select_for_update().get(pk=exposure_id)
    except Exposure.DoesNotExist as exc:
        raise NotFound() from exc
    if exposure.is_published:
        raise PublishedRecordLocked()
    return exposure


def exposure_publish(*, actor: User, exposure_id: int) -> Exposure:
    """Publish a draft exposure on the portal; its text never changes afterwards."""
    _require_office(actor)
    with transaction.atomic():
        exposure = _locked_exposure(exposure_id)
        exposure.status, exposure.published_by = ListStatus.PUBLISHED, actor
        exposure.published_at = timezone.now()
        exposure.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    return exposure
