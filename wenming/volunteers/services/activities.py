"""Activities and their shifts, sign-ups (capacity held under concurrency), swaps, reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import DomainError, IllegalTransition, InvalidInput, PermissionDenied
from wenming.org.models import Region

from ..models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Center,
    Need,
    ServicePolicy,
    Shift,
    Signup,
    SignupStatus,
    Team,
    TeamMember,
    Volunteer,
)

MAX_ROSTER_DAYS = 366


class ShiftFull(DomainError):
    code = "shift_full"
    status = 409


@dataclass(frozen=True)
class Place:
    region: Region
    address: str
    lat: float
    lon: float
    radius_m: int | None = None  # None: the policy's default


@dataclass(frozen=True)
class Roster:
    """A recurring shift roster: every listed weekday (0 = Monday) from `first` to `last`."""

    first: date
    last: date
    weekdays: Sequence[int]
    start: time
    end: time


def _check_place(center: Center, place: Place) -> None:
    if not place.region.is_within(center.region):
        raise InvalidInput(_("The place must be in the center's own area."))
    if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
        raise InvalidInput(_("The coordinates of the place are not valid."))


def _new_activity(
    *, center: Center, place: Place, actor: User | None, kind: str, **fields: object
) -> Activity:
    _check_place(center, place)
    if int(fields.get("capacity", 0) or 0) < 1:  # type: ignore[call-overload]
        raise InvalidInput(_("An activity needs room for at least one volunteer."))
    radius = place.radius_m or ServicePolicy.current().default_radius_m
    return Activity.objects.create(
        center=center,
        kind=kind,
        region=place.region,
        address=place.address,
        lat=place.lat,
        lon=place.lon,
        radius_m=radius,
        created_by=actor,
        **fields,  # type: ignore[arg-type]
    )


@transaction.atomic
def activity_create_one_off(
    *,
    center: Center,
    title: str,
    service_type: str,
    place: Place,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    actor: User | None,
    description: str = "",
    team: Team | None = None,
    team_only: bool = False,
    need: Need | None = None,
) -> Activity:
    """Create a one-off activity with a single shift covering it."""
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must be after the start."))
    activity = _new_activity(
        center=center,
        place=place,
        actor=actor,
        kind=ActivityKind.ONE_OFF,
        title=title,
        service_type=service_type,
        capacity=capacity,
        description=description,
        team=team,
        team_only=team_only and team is not None,
        need=need,
    )
    Shift.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    return activity


def roster_days(roster: Roster) -> list[date]:
    """The dates of a roster (refused when empty, reversed or longer than a year)."""
    if roster.end <= roster.start:
        raise InvalidInput(_("The end must be after the start."))
    span = (roster.last - roster.first).days
    if span < 0 or span >= MAX_ROSTER_DAYS:
        raise InvalidInput(_("A roster runs from its first day for at most a year."))
    days = [roster.first + timedelta(days=n) for n in range(span + 1)]
    days = [d for d in days if d.weekday() in set(roster.weekdays)]
    if not days:
        raise InvalidInput(_("The roster has no day on the chosen weekdays."))
    return days


@transaction.atomic
def activity_create_recurring(
    *,
    center: Center,
    title: str,
    service_type: str,
    place: Place,
    roster: Roster,
    capacity: int,
    actor: User | None,
    description: str = "",
    team: Team | None = None,
    team_only: bool = False,
) -> Activity:
    """Create a recurring shift roster (e.g. traffic persuasion every weekday 7:00–9:00 at an
    intersection): one shift per roster day, each with `capacity` places."""
    days = roster_days(roster)
    activity = _new_activity(
        center=center,
        place=place,
        actor=actor,
        kind=ActivityKind.RECURRING,
        title=title,
        service_type=service_type,
        capacity=capacity,
        description=description,
        team=team,
        team_only=team_only and team is not None,
        weekdays=sorted(set(roster.weekdays)),
    )
    zone = timezone.get_current_timezone()
    Shift.objects.bulk_create(
        Shift(
            activity=activity,
            starts_at=datetime.combine(day, roster.start, zone),
            ends_at=datetime.combine(day, roster.end, zone),
            capacity=capacity,
        )
        for day in days
    )
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity) -> Activity:
    """Cancel an activity: its future shifts take no more sign-ups; hours already served stay."""
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    return activity


def _check_can_sign_up(shift: Shift, volunteer: Volunteer) -> None:
    activity = shift.activity
    if not volunteer.is_approved:
        raise PermissionDenied(_("Only approved volunteers can sign up."))
    if activity.status != ActivityStatus.PUBLISHED:
        raise IllegalTransition(_("This activity has been cancelled."))
    if shift.starts_at <= timezone.now():
        raise IllegalTransition(_("This shift has already started."))
    if (
        activity.team_only
        and not TeamMember.objects.filter(team=activity.team, volunteer=volunteer).exists()
    ):
        raise PermissionDenied(_("Only members of %(team)s can sign up.") % {"team": activity.team})


def _check_room(shift: Shift, volunteer: Volunteer) -> None:
    """Call with the shift row locked: the count and the insert then see the same rows."""
    active = Signup.objects.filter(shift=shift, status=SignupStatus.ACTIVE)
    if active.filter(volunteer=volunteer).exists():
        raise InvalidInput(_("You have signed up for this shift already."))
    if active.count() >= shift.capacity:
        raise ShiftFull(_("This shift is full (%(n)s places).") % {"n": shift.capacity})
    overlapping = Signup.objects.filter(
        volunteer=volunteer,
        status=SignupStatus.ACTIVE,
        shift__starts_at__lt=shift.ends_at,
        shift__ends_at__gt=shift.starts_at,
    ).exclude(shift=shift)
    if overlapping.exists():
        raise InvalidInput(_("You have another shift at this time."))


@transaction.atomic
def signup_create(*, shift: Shift, volunteer: Volunteer) -> Signup:
    """Sign a volunteer up for a shift. The shift row is locked (SELECT … FOR UPDATE) so two
    sign-ups for the last place cannot both see it free; on SQLite the IMMEDIATE transaction
    serialises writers to the same effect."""
    locked = Shift.objects.select_for_update().select_related("activity").get(pk=shift.pk)
    _check_can_sign_up(locked, volunteer)
    _check_room(locked, volunteer)
    return Signup.objects.create(shift=locked, volunteer=volunteer)


def _own_open_signup(signup: Signup, volunteer: Volunteer) -> Signup:
    locked = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if locked.volunteer_id != volunteer.pk:
        raise PermissionDenied()
    if locked.status != SignupStatus.ACTIVE or locked.checked_in_at is not None:
        raise IllegalTransition(_("This sign-up cannot be changed any more."))
    if locked.shift.starts_at <= timezone.now():
        raise IllegalTransition(_("This shift has already started."))
    return locked


@transaction.atomic
def signup_cancel(*, signup: Signup, volunteer: Volunteer) -> Signup:
    """Withdraw from a shift that has not started; the place opens for others."""
    locked = _own_open_signup(signup, volunteer)
    locked.status, locked.cancelled_at = SignupStatus.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    return locked


@transaction.atomic
def signup_swap(*, signup: Signup, volunteer: Volunteer, to_shift: Shift) -> Signup:
    """Move a sign-up to another shift of the same activity (换班), if it has room."""
    locked = _own_open_signup(signup, volunteer)
    if to_shift.activity_id != locked.shift.activity_id or to_shift.pk == locked.shift_id:
        raise InvalidInput(_("Choose another shift of the same activity."))
    # Lock both shifts in id order so two opposite swaps cannot deadlock.
    shifts = {
        s.pk: s
        for s in Shift.objects.select_for_update()
        .select_related("activity")
        .filter(pk__in=[locked.shift_id, to_shift.pk])
        .order_by("pk")
    }
    target = shifts[to_shift.pk]
    _check_can_sign_up(target, volunteer)
    locked.status, locked.cancelled_at = SignupStatus.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    _check_room(target, volunteer)
    return Signup.objects.create(shift=target, volunteer=volunteer)


def shift_reminders_send(*, now: datetime | None = None) -> int:
    """Remind volunteers of shifts starting within the policy's reminder hours. Each sign-up is
    claimed with a compare-and-set UPDATE first, so running twice (or on two workers) sends
    each reminder once. Returns the number sent."""
    from wenming.notify.services import notify

    now = now or timezone.now()
    horizon = now + timedelta(hours=ServicePolicy.current().reminder_hours)
    due = Signup.objects.filter(
        status=SignupStatus.ACTIVE,
        reminded_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=horizon,
        volunteer__user__isnull=False,
    ).select_related("shift__activity", "volunteer__user")
    sent = 0
    for signup in due:
        with transaction.atomic():
            if not Signup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            _remind(signup, notify)
            sent += 1
    return sent


def _remind(signup: Signup, notify: object) -> None:
    from django.urls import reverse

    shift = signup.shift
    start = timezone.localtime(shift.starts_at)
    notify(  # type: ignore[operator]
        recipients=[signup.volunteer.user],
        kind="volunteers.shift_reminder",
        title=_("Reminder: %(title)s at %(time)s")
        % {"title": shift.activity.title, "time": f"{start:%m-%d %H:%M}"},
        body=shift.activity.address,
        url=reverse("volunteer_portal:me"),
    )
