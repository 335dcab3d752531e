"""Confirming hours into the append-only ledger, corrections, star levels, certificates."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import IllegalTransition, InvalidInput

from ..models import (
    DEFAULT_STAR_THRESHOLDS,
    Certificate,
    EntryKind,
    LedgerEntry,
    Shift,
    Signup,
    SignupStatus,
    StarLevel,
    Volunteer,
)

TENTH = Decimal("0.1")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _hours(seconds: float) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(TENTH, rounding=ROUND_DOWN)


def _default_hours(signup: Signup) -> Decimal:
    if signup.checked_in_at is None or signup.checked_out_at is None:
        raise InvalidInput(_("The volunteer has not checked in and out; enter the hours served."))
    served = min(signup.checked_out_at, signup.shift.ends_at) - max(
        signup.checked_in_at, signup.shift.starts_at
    )
    return _hours(max(served.total_seconds(), 0))


@transaction.atomic
def hours_confirm(
    *, signup: Signup, actor: User, hours: Decimal | None = None, note: str = ""
) -> LedgerEntry:
    """Confirm a sign-up's hours into the ledger (once). Without `hours`, the time between
    check-in and check-out inside the shift counts; given hours may not exceed the shift."""
    locked = Signup.objects.select_for_update().select_related("shift__activity").get(pk=signup.pk)
    if locked.confirmed_at is not None:
        raise IllegalTransition(_("These hours have been confirmed already."))
    if locked.status != SignupStatus.ACTIVE or locked.checked_in_at is None:
        raise IllegalTransition(_("Only a volunteer who checked in can have hours confirmed."))
    if hours is None:
        hours = _default_hours(locked)
    hours = Decimal(hours).quantize(TENTH, rounding=ROUND_DOWN)
    limit = _hours(locked.shift.duration.total_seconds())
    if not Decimal("0") < hours <= limit:
        raise InvalidInput(
            _("Hours must be more than 0 and at most the shift's %(limit)s h.") % {"limit": limit}
        )
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_at"])
    return LedgerEntry.objects.create(
        volunteer_id=locked.volunteer_id,
        kind=EntryKind.SERVICE,
        hours=hours,
        service_date=timezone.localdate(locked.shift.starts_at),
        activity=locked.shift.activity,
        signup=locked,
        center_id=locked.shift.activity.center_id,
        note=note,
        recorded_by=actor,
    )


def shift_confirm_all(*, shift: Shift, actor: User) -> int:
    """Confirm every checked-out, unconfirmed sign-up of a shift; returns how many."""
    pending = shift.signups.filter(
        status=SignupStatus.ACTIVE, checked_out_at__isnull=False, confirmed_at__isnull=True
    )
    for signup in pending:
        hours_confirm(signup=signup, actor=actor)
    return len(pending)


@transaction.atomic
def ledger_correct(
    *, entry: LedgerEntry, actor: User, hours_delta: Decimal, reason: str
) -> LedgerEntry:
    """Correct a service entry by appending a correction (never by editing it). The entry and
    its corrections may not add up to less than zero."""
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the correction."))
    original = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if original.kind != EntryKind.SERVICE:
        raise InvalidInput(_("Correct the original service entry, not a correction."))
    delta = Decimal(hours_delta).quantize(TENTH, rounding=ROUND_DOWN)
    if delta == 0:
        raise InvalidInput(_("A correction changes the hours by something other than 0."))
    earlier = original.corrections.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if original.hours + earlier + delta < 0:
        raise InvalidInput(_("The corrected hours cannot be less than zero."))
    return LedgerEntry.objects.create(
        volunteer_id=original.volunteer_id,
        kind=EntryKind.CORRECTION,
        hours=delta,
        service_date=original.service_date,
        activity_id=original.activity_id,
        corrects=original,
        center_id=original.center_id,
        note=reason.strip(),
        recorded_by=actor,
    )


def volunteer_total_hours(volunteer: Volunteer) -> Decimal:
    """A volunteer's confirmed hours: the sum of their ledger entries."""
    total = volunteer.ledger_entries.aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0.0")


def star_thresholds() -> list[tuple[int, Decimal]]:
    """(stars, minimum hours), ascending; the configured StarLevel rows or the defaults."""
    rows = [(s.stars, s.min_hours) for s in StarLevel.objects.order_by("stars")]
    return rows or [(n + 1, Decimal(h)) for n, h in enumerate(DEFAULT_STAR_THRESHOLDS)]


def star_level_for(hours: Decimal, thresholds: list[tuple[int, Decimal]] | None = None) -> int:
    """Stars earned with `hours` (0 below the first threshold)."""
    levels = thresholds if thresholds is not None else star_thresholds()
    return max((stars for stars, minimum in levels if hours >= minimum), default=0)


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def certificate_issue(*, volunteer: Volunteer, actor: User) -> Certificate:
    """Issue a service certificate from the ledger as it stands (志愿服务记录证明), with a
    verification code anyone can check on the portal."""
    if not volunteer.is_approved or not volunteer.number:
        raise IllegalTransition(_("Only approved volunteers can have a certificate."))
    summary = volunteer.ledger_entries.aggregate(
        total=Sum("hours"), first=Min("service_date"), last=Max("service_date")
    )
    if not summary["total"] or summary["total"] <= 0:
        raise InvalidInput(_("There are no confirmed hours to certify yet."))
    return Certificate.objects.create(
        code=_new_code(),
        volunteer=volunteer,
        real_name=volunteer.real_name,
        id_number_masked=volunteer.id_number_masked,
        volunteer_number=volunteer.number,
        total_hours=summary["total"],
        entry_count=volunteer.ledger_entries.filter(kind=EntryKind.SERVICE).count(),
        first_service_date=summary["first"],
        last_service_date=summary["last"],
        issuer=volunteer.center,
        issued_by=actor,
    )


MAX_RECORD_HOURS = Decimal("24")


@transaction.atomic
def hours_record(
    *,
    volunteer: Volunteer,
    hours: Decimal,
    service_date: date,
    actor: User,
    note: str,
) -> LedgerEntry:
    """Record hours served without an on-line check-in (a paper sign-in sheet, hours moved
    from another platform): a service entry of the volunteer's center, with a note."""
    hours = Decimal(hours).quantize(TENTH, rounding=ROUND_DOWN)
    if not Decimal("0") < hours <= MAX_RECORD_HOURS:
        raise InvalidInput(_("Record more than 0 and at most 24 hours per entry."))
    if service_date > timezone.localdate():
        raise InvalidInput(_("Hours can only be recorded for services already done."))
    if not note.strip():
        raise InvalidInput(_("Say where the hours come from."))
    if not volunteer.is_approved:
        raise IllegalTransition(_("Only approved volunteers can have hours recorded."))
    return LedgerEntry.objects.create(
        volunteer=volunteer,
        kind=EntryKind.SERVICE,
        hours=hours,
        service_date=service_date,
        center_id=volunteer.center_id,
        note=note.strip(),
        recorded_by=actor,
    )
