"""Writes of the inspection loop: rounds, inspectors' submissions, findings → cases, rechecks.

How a finding becomes a case (the problem loop's services, never its tables):
1. `case_submit(channel="inspection", actor=<the inspector>)` with the item's category, the
   site's location and the item's photos (the case is not public: secret inspection);
2. `case_register(actor=<the round's creator>)` — rounds are created by an administrator or
   dispatcher (MANAGE_ROLES), the office that commissioned the inspection, so registration is
   theirs. If that user may not register cases in the site's region (e.g. an administrator
   without a dispatcher membership who is not a superuser), the case stays `submitted` in the
   dispatcher's queue: nothing is lost and the cases app keeps its rules unchanged;
3. `case_dispatch(actor=None, system=True)` to the site's responsible unit, which starts the
   category's sign and handle deadlines (unless the category is auto-dispatched by a routing
   rule at registration, which then stands).
A re-inspection of a handled case calls `case_verify` as the inspector, and on a pass
`case_close` as the round's creator (same fallback: it stays `verified` for the dispatcher).

Exactly one case per failed item: results are unique per (inspection, item), an assignment has
at most one inspection (locked while it is written), and a repeated submission id returns the
first submission unchanged.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.cases import services as case_services
from wenming.cases.models import Case, Channel
from wenming.cases.states import State
from wenming.core.errors import DomainError, IllegalTransition, InvalidInput, NotFound
from wenming.core.images import NormalizedPhoto, photo_normalize
from wenming.core.scope import has_role, scope_filter
from wenming.org.models import Region

from . import notifications
from .access import (
    INSPECT_ROLES,
    MANAGE_ROLES,
    assignment_for_inspector,
    findings_in_scope,
    require_role,
)
from .models import (
    Assignment,
    ChecklistItem,
    InspectionRound,
    ItemResult,
    Outcome,
    PointSite,
    Recheck,
    ResultPhoto,
    RoundStatus,
    SiteInspection,
    SiteType,
)
from .sampling import sites_sample

FULL_SCORE = Decimal(100)
MAX_PHOTOS_PER_ITEM = 5


@dataclass(frozen=True)
class ItemAnswer:
    """An inspector's answer for one checklist item."""

    item_id: int
    outcome: str
    note: str = ""
    photos: Sequence[UploadedFile | ContentFile] = ()


@dataclass(frozen=True)
class _Checked:
    item: ChecklistItem
    outcome: str
    note: str
    photos: list[tuple[NormalizedPhoto, bytes]]


def site_score(deductions: Decimal) -> Decimal:
    """100 minus the deductions of the failed items, never below 0."""
    return max(Decimal(0), FULL_SCORE - deductions)


# ---------------------------------------------------------------- rounds


def _round_sites(
    *,
    region: Region,
    site_ids: Sequence[int],
    types: Sequence[SiteType],
    per_type: int | None,
    seed: int,
) -> list[PointSite]:
    if site_ids:
        sites = list(
            PointSite.objects.filter(
                pk__in=site_ids, is_active=True, region__path__startswith=region.path
            ).order_by("code")
        )
        if len(sites) != len(set(site_ids)):
            raise InvalidInput(_("Some chosen sites are inactive or outside the round's area."))
        return sites
    if not types:
        raise InvalidInput(_("Choose site types to sample from, or pick the sites by hand."))
    return sites_sample(region=region, types=types, per_type=per_type, seed=seed)


def round_create(
    *,
    actor: User,
    name: str,
    region: Region,
    starts_on: date,
    ends_on: date,
    types: Sequence[SiteType] = (),
    per_type: int | None = None,
    seed: int | None = None,
    site_ids: Sequence[int] = (),
    inspector: User | None = None,
    note: str = "",
) -> InspectionRound:
    """Create a round over the region's sites: hand-picked (`site_ids`) or sampled by type,
    `per_type` at random with `seed` (a new seed is drawn and stored when none is given, so
    the sample can always be reproduced). Optionally assigns every site to one inspector."""
    require_role(actor, *MANAGE_ROLES)
    if not scope_filter(
        actor, Region.objects.filter(pk=region.pk), region_field="", roles=MANAGE_ROLES
    ).exists():
        raise NotFound()
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the round a name."))
    if ends_on < starts_on:
        raise InvalidInput(_("The round cannot end before it starts."))
    if per_type is not None and per_type < 0:
        raise InvalidInput(_("The sample size cannot be negative."))
    seed = seed if seed is not None else secrets.randbelow(10**6)
    sites = _round_sites(
        region=region, site_ids=site_ids, types=types, per_type=per_type, seed=seed
    )
    if not sites:
        raise InvalidInput(_("No active site matches; the round would be empty."))
    sampling = (
        {"site_ids": list(site_ids)}
        if site_ids
        else {"types": [t.code for t in types], "per_type": per_type, "seed": seed}
    )
    with transaction.atomic():
        inspection_round = InspectionRound.objects.create(
            name=name,
            region=region,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
            sampling=sampling,
            note=note.strip(),
        )
        Assignment.objects.bulk_create(Assignment(round=inspection_round, site=s) for s in sites)
    if inspector is not None:
        round_assign(
            round_id=inspection_round.pk,
            actor=actor,
            site_ids=[s.pk for s in sites],
            inspector=inspector,
        )
    return inspection_round


def _locked_round(round_id: int, actor: User) -> InspectionRound:
    require_role(actor, *MANAGE_ROLES)
    found = scope_filter(actor, InspectionRound.objects.select_for_update(), roles=MANAGE_ROLES)
    inspection_round = found.filter(pk=round_id).first()
    if inspection_round is None:
        raise NotFound()
    return inspection_round


def _check_inspector(inspector: User, sites: Sequence[PointSite]) -> None:
    memberships = list(
        inspector.memberships.filter(role__in=INSPECT_ROLES).select_related("region_scope")
    )
    for site in sites:
        if not any(site.region.path.startswith(m.region_scope.path) for m in memberships):
            raise InvalidInput(
                _("%(user)s is not an inspector for %(site)s.")
                % {"user": inspector.get_full_name() or inspector.username, "site": site.name}
            )


def round_assign(
    *, round_id: int, actor: User, site_ids: Sequence[int], inspector: User | None
) -> int:
    """Give the round's not yet inspected sites to an inspector whose scope covers them (None:
    take them back). Returns how many assignments changed; the inspector is notified."""
    with transaction.atomic():
        inspection_round = _locked_round(round_id, actor)
        if not inspection_round.is_open:
            raise IllegalTransition(_("The round is closed."))
        rows = list(
            inspection_round.assignments.filter(
                site_id__in=site_ids, result__isnull=True
            ).select_related("site__region")
        )
        if inspector is not None:
            _check_inspector(inspector, [a.site for a in rows])
        Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(inspector=inspector)
        if inspector is not None and rows:
            transaction.on_commit(
                lambda: notifications.notify_assigned(
                    round_id=round_id, inspector_id=inspector.pk, count=len(rows)
                )
            )
    return len(rows)


def round_close(*, round_id: int, actor: User) -> InspectionRound:
    """Close the round: no more submissions. Sites not inspected keep no score."""
    with transaction.atomic():
        inspection_round = _locked_round(round_id, actor)
        if not inspection_round.is_open:
            raise IllegalTransition(_("The round is already closed."))
        inspection_round.status, inspection_round.closed_at = RoundStatus.CLOSED, timezone.now()
        inspection_round.save(update_fields=["status", "closed_at", "updated_at"])
    return inspection_round


# ---------------------------------------------------------------- submissions


def _submission_id(value: str) -> str:
    value = (value or "").strip()
    if not 8 <= len(value) <= 64 or not all(c.isalnum() or c in "-_" for c in value):
        raise InvalidInput(_("The form is missing its submission id; reload the page."))
    return value


def _prepare(photos: Sequence[UploadedFile | ContentFile]) -> list[tuple[NormalizedPhoto, bytes]]:
    if len(photos) > MAX_PHOTOS_PER_ITEM:
        raise InvalidInput(_("At most %(n)s photos per item.") % {"n": MAX_PHOTOS_PER_ITEM})
    prepared = []
    for upload in photos:
        photo = photo_normalize(upload, name=getattr(upload, "name", "") or "photo")
        photo.image.seek(0)
        prepared.append((photo, photo.image.read()))
        photo.image.seek(0)
    return prepared


def checklist_items(site: PointSite) -> list[ChecklistItem]:
    """The items of the site type's active checklist, in order."""
    return list(
        ChecklistItem.objects.filter(
            checklist__site_type_id=site.site_type_id, checklist__is_active=True
        )
        .select_related("category")
        .order_by("order", "pk")
    )


def _check_answers(
    items: list[ChecklistItem], answers: Sequence[ItemAnswer], *, require_photos: bool
) -> list[_Checked]:
    """Every item answered once with pass/fail/n.a.; photos where a failure needs one."""
    by_item = {a.item_id: a for a in answers}
    known = {item.pk for item in items}
    if len(by_item) != len(answers) or set(by_item) - known:
        raise InvalidInput(_("The answers do not match this site's checklist; reload the page."))
    missing = [item for item in items if item.pk not in by_item]
    if missing:
        raise InvalidInput(_("Answer every item: %(n)s not answered yet.") % {"n": len(missing)})
    checked = []
    for item in items:
        answer = by_item[item.pk]
        if answer.outcome not in Outcome.values:
            raise InvalidInput(
                _("Answer “%(item)s” with pass, fail or not applicable.") % {"item": item.text}
            )
        if (
            answer.outcome == Outcome.FAIL
            and require_photos
            and item.photo_required
            and not answer.photos
        ):
            raise InvalidInput(
                _("“%(item)s” failed: add a photo of the problem.") % {"item": item.text}
            )
        photos = _prepare(answer.photos) if answer.outcome == Outcome.FAIL else []
        checked.append(_Checked(item, answer.outcome, answer.note.strip(), photos))
    return checked


def _check_location(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise InvalidInput(_("The location is not a valid latitude/longitude pair."))


def _quietly(step: Callable[[], Case], fallback: Case) -> Case:
    """Run a case move; on a refusal keep the case as it is for the dispatcher to take over."""
    try:
        return step()
    except DomainError:
        return fallback


def _file_case(
    *, checked: _Checked, assignment: Assignment, inspector: User | None, at: datetime
) -> Case:
    site, item = assignment.site, checked.item
    case = case_services.case_submit(
        channel=Channel.INSPECTION,
        title=f"{site.name}：{item.text}"[:120],
        description=checked.note or _("Secret inspection found: %(item)s") % {"item": item.text},
        category=item.category,
        lat=site.lat,
        lon=site.lon,
        address=site.address or site.name,
        is_public=False,
        actor=inspector,
        # photo_normalize takes ContentFile as well as uploads; each copy is re-encoded again.
        photos=cast(
            list[UploadedFile],
            [ContentFile(data, name=p.image.name or "photo.jpg") for p, data in checked.photos],
        ),
        reported_at=at,
    )
    note = _("Inspection round %(round)s, site %(site)s") % {
        "round": assignment.round.name,
        "site": site.code,
    }
    creator = assignment.round.created_by
    case = _quietly(
        lambda: case_services.case_register(
            case_id=case.pk, actor=creator, category=item.category, note=note
        ),
        case,
    )
    if case.state == State.REGISTERED:
        case = _quietly(
            lambda: case_services.case_dispatch(
                case_id=case.pk, actor=None, unit=site.unit, note=note, system=True
            ),
            case,
        )
    return case


def _record(
    *,
    assignment: Assignment,
    inspector: User | None,
    submission_id: str,
    checked: list[_Checked],
    at: datetime,
    lat: float | None,
    lon: float | None,
    note: str,
) -> SiteInspection:
    site = assignment.site
    deductions = sum((c.item.deduction for c in checked if c.outcome == Outcome.FAIL), Decimal(0))
    inspection = SiteInspection.objects.create(
        assignment=assignment,
        round=assignment.round,
        site=site,
        unit=site.unit,
        region=site.region,
        inspector=inspector,
        submission_id=submission_id,
        inspected_at=at,
        lat=lat,
        lon=lon,
        deductions=deductions,
        score=site_score(deductions),
        note=note.strip(),
    )
    for answer in checked:
        failed = answer.outcome == Outcome.FAIL
        result = ItemResult.objects.create(
            inspection=inspection,
            item=answer.item,
            outcome=answer.outcome,
            note=answer.note,
            deduction=answer.item.deduction if failed else Decimal(0),
        )
        for photo, _data in answer.photos:
            ResultPhoto.objects.create(result=result, image=photo.image, thumbnail=photo.thumbnail)
        if failed:
            result.case = _file_case(
                checked=answer, assignment=assignment, inspector=inspector, at=at
            )
            result.save(update_fields=["case"])
    return inspection


def _replayed(submission_id: str, assignment_id: int) -> SiteInspection | None:
    earlier = SiteInspection.objects.filter(submission_id=submission_id).first()
    if earlier is not None and earlier.assignment_id != assignment_id:
        raise InvalidInput(_("This submission id was already used for another site."))
    return earlier


def _submit(
    *,
    assignment: Assignment,
    inspector: User | None,
    submission_id: str,
    answers: Sequence[ItemAnswer],
    require_photos: bool,
    at: datetime,
    lat: float | None,
    lon: float | None,
    note: str,
) -> SiteInspection:
    submission_id = _submission_id(submission_id)
    if (earlier := _replayed(submission_id, assignment.pk)) is not None:
        return earlier
    _check_location(lat, lon)
    checked = _check_answers(
        checklist_items(assignment.site), answers, require_photos=require_photos
    )
    with transaction.atomic():
        # The lock makes a concurrent second submission wait, then find the first one.
        locked = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("round__created_by", "site__unit", "site__region")
            .get(pk=assignment.pk)
        )
        if (earlier := _replayed(submission_id, locked.pk)) is not None:
            return earlier
        if SiteInspection.objects.filter(assignment=locked).exists():
            raise IllegalTransition(_("This site was already inspected in this round."))
        if not locked.round.is_open:
            raise IllegalTransition(_("The round is closed."))
        return _record(
            assignment=locked,
            inspector=inspector,
            submission_id=submission_id,
            checked=checked,
            at=at,
            lat=lat,
            lon=lon,
            note=note,
        )


def inspection_submit(
    *,
    assignment_id: int,
    actor: User,
    submission_id: str,
    answers: Sequence[ItemAnswer],
    lat: float | None = None,
    lon: float | None = None,
    note: str = "",
) -> SiteInspection:
    """An inspector submits the checklist of a site assigned to them (NotFound for any other
    site). Idempotent by the client-generated `submission_id`: sending the same form again
    returns the first inspection and files no second case. Each failed item becomes one case
    dispatched to the site's unit; the site's score is 100 minus the failed items' deductions."""
    assignment = assignment_for_inspector(actor, assignment_id)
    return _submit(
        assignment=assignment,
        inspector=actor,
        submission_id=submission_id,
        answers=answers,
        require_photos=True,
        at=timezone.now(),
        lat=lat,
        lon=lon,
        note=note,
    )


def inspection_import(
    *,
    assignment_id: int,
    submission_id: str,
    answers: Sequence[ItemAnswer],
    inspected_at: datetime,
    note: str = "",
) -> SiteInspection:
    """Enter results gathered on paper (or the demo's history) for an assignment, by the
    assigned inspector, at the time they were gathered. Photos are optional here."""
    try:
        assignment = Assignment.objects.select_related("site", "round", "inspector").get(
            pk=assignment_id
        )
    except Assignment.DoesNotExist as exc:
        raise NotFound() from exc
    return _submit(
        assignment=assignment,
        inspector=assignment.inspector,
        submission_id=submission_id,
        answers=answers,
        require_photos=False,
        at=inspected_at,
        lat=None,
        lon=None,
        note=note,
    )


# ---------------------------------------------------------------- re-inspection


def recheck_submit(
    *,
    result_id: int,
    actor: User,
    submission_id: str,
    passed: bool,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Recheck:
    """复查: an inspector checks on site that a finding the unit reported handled is fixed.
    A pass verifies the case and closes it; a failure sends it back for rework. Idempotent by
    `submission_id`. Only findings whose case waits for verification can be re-inspected."""
    submission_id = _submission_id(submission_id)
    if (earlier := Recheck.objects.filter(submission_id=submission_id).first()) is not None:
        return earlier
    if not has_role(actor, *INSPECT_ROLES):
        raise NotFound()
    with transaction.atomic():
        result = (
            findings_in_scope(actor, roles=INSPECT_ROLES)
            .select_for_update(of=("self",))
            .select_related("case", "inspection__round__created_by")
            .filter(pk=result_id)
            .first()
        )
        if result is None or result.case is None:
            raise NotFound()
        if result.case.state != State.HANDLED:
            raise IllegalTransition(_("The unit has not reported this finding rectified yet."))
        case = case_services.case_verify(
            case_id=result.case.pk, actor=actor, passed=passed, note=note, photos=photos
        )
        if passed:
            creator = result.inspection.round.created_by
            _quietly(
                lambda: case_services.case_close(
                    case_id=case.pk,
                    actor=creator,
                    note=_("Rectification confirmed by re-inspection."),
                ),
                case,
            )
        return Recheck.objects.create(
            result=result,
            inspector=actor,
            passed=passed,
            note=note.strip(),
            submission_id=submission_id,
        )
