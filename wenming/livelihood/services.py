"""Writes of livelihood projects: monthly progress reports (submit → approve / return),
sites, citizens' comments (moderated like the board) and campaign activities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.core.images import photo_normalize
from wenming.core.scope import has_role, scope_paths
from wenming.org.models import Region, Unit
from wenming.org.selectors import region_at
from wenming.portal.models import MessageStatus
from wenming.portal.services import MODERATOR_ROLES, sensitive_words_in
from wenming.volunteers.models import Center

from . import progress, selectors
from .models import (
    ActivityPhoto,
    CampaignActivity,
    LivelihoodProject,
    PhotoStage,
    ProgressReport,
    ProjectComment,
    ProjectSite,
    ReportPhoto,
    ReportQuantity,
    ReportStatus,
)

MAX_PHOTOS = 9


def _photos_checked(count: int) -> None:
    if count > MAX_PHOTOS:
        raise InvalidInput(_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS})


# ---------------------------------------------------------------- progress reports


def _check_report_month(project: LivelihoodProject, month: date) -> date:
    month = progress.month_start(month)
    if month < progress.month_start(project.start_month):
        raise InvalidInput(
            _("The project is reported from %(m)s on.") % {"m": f"{project.start_month:%Y-%m}"}
        )
    if month > progress.month_start(timezone.localdate()):
        raise InvalidInput(_("A month that has not begun cannot be reported."))
    return month


def _check_quantities(
    project: LivelihoodProject, quantities: Mapping[int, Decimal]
) -> dict[int, Decimal]:
    targets = set(project.targets.values_list("pk", flat=True))
    if set(quantities) - targets:
        raise InvalidInput(_("A quantity names a target of another project."))
    if any(q < 0 for q in quantities.values()):
        raise InvalidInput(_("Quantities done cannot be negative."))
    return {pk: q for pk, q in quantities.items() if q}


@transaction.atomic
def report_submit(
    *,
    project: LivelihoodProject,
    actor: User | AnonymousUser,
    month: date,
    text: str,
    quantities: Mapping[int, Decimal],
    photos: Sequence[tuple[str, UploadedFile]] = (),
) -> ProgressReport:
    """The lead unit's report of a month: quantities done in the month (per target), what was
    done, photos tagged before / during / after. It waits for the office's review."""
    if not selectors.can_report(actor, project):
        raise PermissionDenied(_("Only the lead unit reports this project's progress."))
    if not text.strip():
        raise InvalidInput(_("Describe the progress of the month."))
    _photos_checked(len(photos))
    if any(stage not in PhotoStage.values for stage, _upload in photos):
        raise InvalidInput(_("Tag each photo as before, during or after."))
    month = _check_report_month(project, month)
    amounts = _check_quantities(project, quantities)
    try:
        with transaction.atomic():  # the partial unique constraint refuses a second live report
            report = ProgressReport.objects.create(
                project=project,
                month=month,
                text=text.strip(),
                submitted_by=actor if isinstance(actor, User) else None,
            )
    except IntegrityError as exc:
        raise IllegalTransition(
            _("%(m)s has already been reported; wait for the review.") % {"m": f"{month:%Y-%m}"}
        ) from exc
    for target_id, quantity in amounts.items():
        ReportQuantity.objects.create(report=report, target_id=target_id, quantity=quantity)
    for stage, upload in photos:
        photo = photo_normalize(upload, name=f"report-{report.pk}")
        ReportPhoto.objects.create(
            report=report, stage=stage, image=photo.image, thumbnail=photo.thumbnail
        )
    return report


def _locked_submitted(report_id: int) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_for_update().get(pk=report_id)
    except ProgressReport.DoesNotExist as exc:
        raise NotFound() from exc
    if report.status != ReportStatus.SUBMITTED:
        raise IllegalTransition(_("This report has been reviewed already."))
    return report


def _review(report_id: int, actor: User, status: str, note: str) -> ProgressReport:
    if not selectors.is_office(actor):
        raise PermissionDenied()
    # The row lock keeps two reviewers from deciding the same report twice.
    report = _locked_submitted(report_id)
    report.status, report.review_note = status, note.strip()[:200]
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    return report


@transaction.atomic
def report_approve(*, report_id: int, actor: User, note: str = "") -> ProgressReport:
    """Accept a report: its quantities count in the progress, and the portal shows it."""
    return _review(report_id, actor, ReportStatus.APPROVED, note)


@transaction.atomic
def report_return(*, report_id: int, actor: User, note: str) -> ProgressReport:
    """Send a report back with the reason; the unit submits a corrected one."""
    if not note.strip():
        raise InvalidInput(_("Say what needs correcting."))
    return _review(report_id, actor, ReportStatus.RETURNED, note)


# ---------------------------------------------------------------- sites


def site_add(*, project: LivelihoodProject, name: str, lat: float, lon: float) -> ProjectSite:
    """A site on the map; its region is found from the point (None outside the city)."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("The point is not a valid location."))
    return ProjectSite.objects.create(
        project=project, name=name.strip(), lat=lat, lon=lon, region=region_at(lat=lat, lon=lon)
    )


# ---------------------------------------------------------------- comments


def comment_submit(
    *,
    project: LivelihoodProject,
    token: str,
    body: str,
    author_name: str = "",
    rating: int | None = None,
) -> tuple[ProjectComment, bool]:
    """A citizen's comment, waiting for moderation (held when it has a sensitive word). A
    rating is accepted only once the project is finished. Once per form token."""
    existing = ProjectComment.objects.filter(submit_token=token).first()
    if existing:
        return existing, False
    if not body.strip():
        raise InvalidInput(_("Write your comment."))
    if rating is not None:
        if not 1 <= rating <= 5:
            raise InvalidInput(_("Rate from 1 to 5 stars."))
        if not selectors.standings([project])[project.pk].finished:
            raise InvalidInput(_("A project can be rated once it is finished."))
    flagged = sensitive_words_in(body)
    try:
        with transaction.atomic():
            comment = ProjectComment.objects.create(
                project=project,
                submit_token=token,
                body=body.strip(),
                author_name=author_name.strip()[:50],
                rating=rating,
                status=MessageStatus.HELD if flagged else MessageStatus.PENDING,
                flagged_words="、".join(flagged)[:200],
            )
    except IntegrityError:
        return ProjectComment.objects.get(submit_token=token), False
    return comment, True


@transaction.atomic
def comment_moderate(
    *, comment_id: int, actor: User, approve: bool, note: str = ""
) -> ProjectComment:
    """Publish or refuse a waiting comment (the board's moderators decide)."""
    if not has_role(actor, *MODERATOR_ROLES):
        raise PermissionDenied()
    if not approve and not note.strip():
        raise InvalidInput(_("Give the reason for not publishing the comment."))
    try:
        comment = ProjectComment.objects.select_for_update().get(pk=comment_id)
    except ProjectComment.DoesNotExist as exc:
        raise NotFound() from exc
    if comment.status not in (MessageStatus.PENDING, MessageStatus.HELD):
        raise IllegalTransition(_("This comment has already been moderated."))
    comment.status = MessageStatus.APPROVED if approve else MessageStatus.REJECTED
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.moderation_note = note.strip()[:200]
    comment.save(
        update_fields=["status", "moderated_by", "moderated_at", "moderation_note", "updated_at"]
    )
    return comment


# ---------------------------------------------------------------- activities


def _check_activity_owner(
    actor: User | AnonymousUser, region: Region, center: Center | None, unit: Unit | None
) -> None:
    from .activities import CENTER_ROLES

    if center is None and unit is None:
        raise InvalidInput(_("Name the practice center or the unit that held the activity."))
    if unit is not None and unit.pk in selectors.user_unit_ids(actor):
        return
    paths = scope_paths(actor, CENTER_ROLES)
    if paths is None or any(region.path.startswith(p) for p in paths):  # None: superuser
        return
    raise PermissionDenied(_("You may record activities only in your own area or unit."))


@transaction.atomic
def activity_record(
    *,
    actor: User | AnonymousUser,
    kind: str,
    title: str,
    held_on: date,
    place: str,
    region: Region,
    participants: int,
    center: Center | None = None,
    unit: Unit | None = None,
    description: str = "",
    photos: Sequence[UploadedFile] = (),
) -> CampaignActivity:
    """Record an activity a practice center or a unit held (not one in the future)."""
    _check_activity_owner(actor, region, center, unit)
    if held_on > timezone.localdate():
        raise InvalidInput(_("Record an activity once it has taken place."))
    if participants < 0:
        raise InvalidInput(_("The number of participants cannot be negative."))
    _photos_checked(len(photos))
    activity = CampaignActivity.objects.create(
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        region=region,
        center=center,
        unit=unit,
        participants=participants,
        description=description.strip(),
        recorded_by=actor if actor.is_authenticated else None,
    )
    for upload in photos:
        photo = photo_normalize(upload, name=f"activity-{activity.pk}")
        ActivityPhoto.objects.create(
            activity=activity, image=photo.image, thumbnail=photo.thumbnail
        )
    return activity
