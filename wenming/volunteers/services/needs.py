"""The four orders (四单): need (点单) → dispatch (派单) → take (接单) → rate (评单).

Each public function is one move of `states.MOVES`: it locks the need, checks the move,
writes a NeedEvent and sets the deadline of the next step, all in one transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core import crypto
from wenming.core.errors import InvalidInput, PermissionDenied
from wenming.core.validators import validate_mobile_phone
from wenming.org.models import Region

from ..models import (
    Need,
    NeedEvent,
    ServicePolicy,
    Team,
    TeamMember,
    Visibility,
    Volunteer,
    VolunteerStatus,
)
from ..states import NeedAction, NeedState, next_state
from .activities import Place, activity_create_one_off, signup_create
from .common import actor_label, center_for_region, invalid, next_number

MAX_PEOPLE = 200


def _move(
    need: Need,
    *,
    action: str,
    actor: User | AnonymousUser | None,
    note: str = "",
    visibility: str = Visibility.PUBLIC,
    label: str = "",
    **changes: Any,
) -> Need:
    locked = Need.objects.select_for_update().get(pk=need.pk)
    to_state = next_state(locked.state, action)
    NeedEvent.objects.create(
        need=locked,
        action=action,
        from_state=locked.state,
        to_state=to_state,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label or actor_label(actor),
        note=note,
        visibility=visibility,
    )
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.state = to_state
    locked.save(update_fields=["state", "updated_at", *changes])
    return locked


def _check_times(starts_at: datetime, ends_at: datetime, people: int) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must be after the start."))
    if starts_at <= timezone.now():
        raise InvalidInput(_("The service must start in the future."))
    if not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput(_("Ask for 1 to %(n)s volunteers.") % {"n": MAX_PEOPLE})


@transaction.atomic
def need_submit(
    *,
    title: str,
    description: str,
    service_type: str,
    region: Region,
    address: str,
    starts_at: datetime,
    ends_at: datetime,
    people_needed: int,
    requester_name: str,
    requester_phone: str,
    requester_org: str = "",
    lat: float | None = None,
    lon: float | None = None,
    user: User | AnonymousUser | None = None,
) -> Need:
    """Post a need (点单). It goes to the practice center serving its region, with a review
    deadline from the service policy; the requester follows it by code and phone."""
    _check_times(starts_at, ends_at, people_needed)
    try:
        phone = validate_mobile_phone(requester_phone)
    except ValidationError as exc:
        raise invalid(exc) from exc
    center = center_for_region(region)
    if center is None:
        raise InvalidInput(_("No practice center serves this region yet."))
    need = Need(
        code=next_number(f"XQ{timezone.localdate():%Y%m%d}", 4),
        title=title.strip(),
        description=description.strip(),
        service_type=service_type,
        center=center,
        region=region,
        address=address.strip(),
        lat=lat,
        lon=lon,
        starts_at=starts_at,
        ends_at=ends_at,
        people_needed=people_needed,
        requester_name=requester_name.strip(),
        requester_org=requester_org.strip(),
        requester_user=user if user is not None and user.is_authenticated else None,
        due_at=timezone.now() + timedelta(hours=ServicePolicy.current().review_hours),
    )
    need.set_requester_phone(phone)
    need.save()
    NeedEvent.objects.create(
        need=need,
        action=NeedAction.SUBMIT,
        to_state=NeedState.SUBMITTED,
        actor=need.requester_user,
        actor_label=need.requester_name,
    )
    return need


def need_requester_matches(need: Need, phone: str) -> bool:
    """Whether `phone` is the requester's (how a citizen proves the need is theirs)."""
    try:
        number = validate_mobile_phone(phone)
    except ValidationError:
        return False
    return crypto.keyed_hash(number, purpose="phone") == need.requester_phone_hash


@transaction.atomic
def need_accept(*, need: Need, actor: User, note: str = "") -> Need:
    """Accept a need after review; the center must dispatch or publish it before the deadline."""
    due = timezone.now() + timedelta(hours=ServicePolicy.current().review_hours)
    return _move(need, action=NeedAction.ACCEPT, actor=actor, note=note, due_at=due)


@transaction.atomic
def need_reject(*, need: Need, actor: User, note: str) -> Need:
    """Turn a need down; the reason is shown to the requester."""
    if not note.strip():
        raise InvalidInput(_("Give the reason for the rejection."))
    return _move(need, action=NeedAction.REJECT, actor=actor, note=note, due_at=None)


@transaction.atomic
def need_dispatch(*, need: Need, team: Team, actor: User, note: str = "") -> Need:
    """Dispatch a need to a team (派单); one of its members must take it before the deadline."""
    if not team.is_active:
        raise InvalidInput(_("This team is not active."))
    due = timezone.now() + timedelta(hours=ServicePolicy.current().take_hours)
    moved = _move(
        need,
        action=NeedAction.DISPATCH,
        actor=actor,
        note=_("Dispatched to %(team)s. %(note)s") % {"team": team.name, "note": note},
        team=team,
        due_at=due,
    )
    _notify_team(moved, team)
    return moved


def _notify_team(need: Need, team: Team) -> None:
    from django.urls import reverse

    from wenming.notify.services import notify

    users = [
        m.volunteer.user
        for m in TeamMember.objects.filter(team=team, volunteer__user__isnull=False)
        .select_related("volunteer__user")
        .order_by("pk")
        if m.volunteer.user is not None
    ]
    notify(
        recipients=users,
        kind="volunteers.need_dispatched",
        title=_("New order for %(team)s: %(title)s") % {"team": team.name, "title": need.title},
        url=reverse("volunteer_portal:me"),
    )


def _need_place(need: Need) -> Place:
    lat = need.lat if need.lat is not None else need.region.centroid_lat
    lon = need.lon if need.lon is not None else need.region.centroid_lon
    if lat is None or lon is None:
        raise InvalidInput(_("The need has no location; add one before it becomes an activity."))
    return Place(region=need.region, address=need.address, lat=lat, lon=lon)


def _activity_for(need: Need, actor: User | None, team: Team | None) -> None:
    activity_create_one_off(
        center=need.center,
        title=need.title,
        service_type=need.service_type,
        place=_need_place(need),
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        capacity=need.people_needed,
        actor=actor,
        description=need.description,
        team=team,
        team_only=team is not None,
        need=need,
    )


@transaction.atomic
def need_publish(*, need: Need, actor: User, note: str = "") -> Need:
    """Publish an accepted need as an activity any volunteer may sign up for."""
    moved = _move(need, action=NeedAction.PUBLISH, actor=actor, note=note, due_at=need.ends_at)
    _activity_for(moved, actor, team=None)
    return moved


@transaction.atomic
def need_decline(*, need: Need, volunteer: Volunteer, note: str) -> Need:
    """A member of the team hands the need back to the center (with a reason)."""
    _check_member(need, volunteer)
    if not note.strip():
        raise InvalidInput(_("Give the reason for handing the need back."))
    return _move(
        need,
        action=NeedAction.DECLINE,
        actor=volunteer.user,
        note=note,
        label=volunteer.real_name,
        team=None,
        due_at=timezone.now() + timedelta(hours=ServicePolicy.current().review_hours),
    )


def _check_member(need: Need, volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.APPROVED or not (
        need.team_id and TeamMember.objects.filter(team_id=need.team_id, volunteer=volunteer)
    ):
        raise PermissionDenied(
            _("Only a member of the team the need was dispatched to can do this.")
        )


@transaction.atomic
def need_take(*, need: Need, volunteer: Volunteer) -> Need:
    """A team member takes the need (接单): it becomes the team's activity, with the taker
    signed up; other members may join until it is full."""
    next_state(need.state, NeedAction.TAKE)
    _check_member(need, volunteer)
    moved = _move(
        need,
        action=NeedAction.TAKE,
        actor=volunteer.user,
        label=f"{volunteer.real_name} ({need.team})",
        taken_by=volunteer,
        due_at=need.ends_at,
    )
    _activity_for(moved, volunteer.user, team=moved.team)
    signup_create(shift=moved.activity.shifts.get(), volunteer=volunteer)
    return moved


@transaction.atomic
def need_complete(*, need: Need, actor: User, note: str = "") -> Need:
    """Record that the service was done; the requester may rate it for the policy's days."""
    next_state(need.state, NeedAction.COMPLETE)  # an illegal move is refused before the rest
    if need.starts_at > timezone.now():
        raise InvalidInput(_("The service has not started yet."))
    due = timezone.now() + timedelta(days=ServicePolicy.current().rate_days)
    return _move(need, action=NeedAction.COMPLETE, actor=actor, note=note, due_at=due)


@transaction.atomic
def need_rate(*, need: Need, phone: str, rating: int, comment: str = "") -> Need:
    """The requester rates the service (评单), proving it is theirs with their phone."""
    next_state(need.state, NeedAction.RATE)
    if not need_requester_matches(need, phone):
        raise PermissionDenied(_("The phone number does not match this need."))
    if not 1 <= rating <= 5:
        raise InvalidInput(_("Rate from 1 to 5 stars."))
    return _move(
        need,
        action=NeedAction.RATE,
        actor=None,
        label=need.requester_name,
        note=comment,
        rating=rating,
        rating_comment=comment,
        due_at=None,
    )


@transaction.atomic
def need_close(*, need: Need, actor: User | None, note: str = "") -> Need:
    """Close a served need that was not rated in time."""
    return _move(
        need, action=NeedAction.CLOSE, actor=actor, note=note, label=_("System"), due_at=None
    )


@transaction.atomic
def need_cancel(*, need: Need, actor: User | None, note: str, phone: str = "") -> Need:
    """Cancel a need before it is taken: by center staff (actor) or by the requester (phone)."""
    if actor is None and not need_requester_matches(need, phone):
        raise PermissionDenied(_("The phone number does not match this need."))
    label = "" if actor is not None else need.requester_name
    return _move(need, action=NeedAction.CANCEL, actor=actor, note=note, label=label, due_at=None)


def needs_close_unrated(*, now: datetime | None = None) -> int:
    """Close served needs whose rating period ended (idempotent: closed ones are skipped)."""
    now = now or timezone.now()
    due = Need.objects.filter(state=NeedState.SERVED, due_at__lt=now).values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            need = Need.objects.select_for_update().get(pk=pk)
            if need.state == NeedState.SERVED:
                need_close(need=need, actor=None, note=_("Not rated in time."))
                closed += 1
    return closed
