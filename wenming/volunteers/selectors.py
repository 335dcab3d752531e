"""Reads for volunteer service. Staff reads are scoped to the user's region scope through the
center's region; missing and out-of-scope rows both answer 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from wenming.core.scope import get_in_scope_or_404, has_role, scope_filter
from wenming.org.models import Region

from .models import (
    Activity,
    ActivityStatus,
    Center,
    Certificate,
    LedgerEntry,
    Need,
    Shift,
    Signup,
    SignupStatus,
    Team,
    Volunteer,
    VolunteerStatus,
)
from .services.common import STAFF_ROLES, haversine_m
from .services.ledger import star_level_for, star_thresholds, volunteer_total_hours
from .states import OPEN_STATES

AnyUser = User | AnonymousUser
HOURS = Coalesce(Sum("ledger_entries__hours"), Value(Decimal(0)), output_field=DecimalField())


def require_staff(user: AnyUser) -> None:
    """Staff pages of volunteer service: center staff and admins; anyone else gets a 404."""
    if not has_role(user, *STAFF_ROLES):
        raise Http404


def _scoped(user: AnyUser, queryset: QuerySet, field: str) -> QuerySet:
    require_staff(user)
    return scope_filter(user, queryset, region_field=field, roles=STAFF_ROLES)


def centers_for_staff(user: AnyUser) -> QuerySet[Center]:
    """Centers in scope with their counts of volunteers, teams and activities."""
    return _scoped(user, Center.objects.all(), "region").select_related("region", "parent")


def center_stats(center: Center) -> dict[str, object]:
    """Activity statistics of a center and the centers below it."""
    under = Q(center__region__path__startswith=center.region.path)
    entries = LedgerEntry.objects.filter(under)
    return {
        "volunteers": Volunteer.objects.filter(under, status=VolunteerStatus.APPROVED).count(),
        "teams": Team.objects.filter(under, is_active=True).count(),
        "activities": Activity.objects.filter(under).count(),
        "needs_open": Need.objects.filter(under, state__in=OPEN_STATES).count(),
        "needs_served": Need.objects.filter(under, state__in=["served", "rated", "closed"]).count(),
        "hours": entries.aggregate(total=Sum("hours"))["total"] or Decimal(0),
    }


def volunteers_for_staff(user: AnyUser) -> QuerySet[Volunteer]:
    return _scoped(user, Volunteer.objects.all(), "center__region").select_related(
        "center", "home_region"
    )


def volunteer_for_staff(user: AnyUser, pk: int) -> Volunteer:
    return get_in_scope_or_404(
        user, volunteers_for_staff(user), region_field="center__region", pk=pk
    )


def teams_for_staff(user: AnyUser) -> QuerySet[Team]:
    return _scoped(user, Team.objects.all(), "center__region").select_related("center", "leader")


def team_for_staff(user: AnyUser, pk: int) -> Team:
    return get_in_scope_or_404(user, teams_for_staff(user), region_field="center__region", pk=pk)


def needs_for_staff(user: AnyUser) -> QuerySet[Need]:
    return _scoped(user, Need.objects.all(), "center__region").select_related(
        "center", "team", "region"
    )


def need_for_staff(user: AnyUser, pk: int) -> Need:
    return get_in_scope_or_404(user, needs_for_staff(user), region_field="center__region", pk=pk)


def activities_for_staff(user: AnyUser) -> QuerySet[Activity]:
    return _scoped(user, Activity.objects.all(), "center__region").select_related("center", "team")


def activity_for_staff(user: AnyUser, pk: int) -> Activity:
    return get_in_scope_or_404(
        user, activities_for_staff(user), region_field="center__region", pk=pk
    )


def ledger_for_staff(user: AnyUser) -> QuerySet[LedgerEntry]:
    return _scoped(user, LedgerEntry.objects.all(), "volunteer__center__region").select_related(
        "volunteer", "activity", "recorded_by", "corrects"
    )


def signup_for_staff(user: AnyUser, pk: int) -> Signup:
    queryset = _scoped(user, Signup.objects.all(), "shift__activity__center__region")
    return get_in_scope_or_404(
        user, queryset, region_field="shift__activity__center__region", pk=pk
    )


@dataclass(frozen=True)
class StarProgress:
    hours: Decimal
    stars: int
    next_stars: int | None
    hours_to_next: Decimal | None


def star_progress(volunteer: Volunteer) -> StarProgress:
    """Total confirmed hours, stars earned and what the next star needs."""
    hours = volunteer_total_hours(volunteer)
    levels = star_thresholds()
    stars = star_level_for(hours, levels)
    upcoming = [(s, h) for s, h in levels if h > hours]
    if not upcoming:
        return StarProgress(hours, stars, None, None)
    return StarProgress(hours, stars, upcoming[0][0], upcoming[0][1] - hours)


def volunteer_signups(volunteer: Volunteer) -> QuerySet[Signup]:
    return volunteer.signups.filter(status=SignupStatus.ACTIVE).select_related("shift__activity")


def open_activities(
    *,
    lat: float | None = None,
    lon: float | None = None,
    service_type: str = "",
    region: Region | None = None,
) -> list[tuple[Activity, Shift, float | None]]:
    """Published activities with a future shift that has room, nearest first when a position is
    given (else soonest first): (activity, its next open shift, distance in metres)."""
    now = timezone.now()
    shifts = (
        Shift.objects.filter(starts_at__gt=now, activity__status=ActivityStatus.PUBLISHED)
        .filter(activity__team_only=False)
        .annotate(taken=Count("signups", filter=Q(signups__status=SignupStatus.ACTIVE)))
        .select_related("activity__center")
        .order_by("starts_at")
    )
    if service_type:
        shifts = shifts.filter(activity__service_type=service_type)
    if region is not None:
        shifts = shifts.filter(activity__region__path__startswith=region.path)
    first: dict[int, Shift] = {}
    for shift in shifts[:2000]:
        if shift.taken < shift.capacity and shift.activity_id not in first:  # type: ignore[attr-defined]
            first[shift.activity_id] = shift
    rows = [
        (
            s.activity,
            s,
            haversine_m(lat, lon, s.activity.lat, s.activity.lon)
            if lat is not None and lon is not None
            else None,
        )
        for s in first.values()
    ]
    if lat is not None and lon is not None:
        rows.sort(key=lambda row: row[2] or 0)
    return rows


def shifts_with_room(activity: Activity) -> QuerySet[Shift]:
    """An activity's future shifts with their number of sign-ups (`taken`)."""
    return (
        activity.shifts.filter(ends_at__gt=timezone.now())
        .annotate(taken=Count("signups", filter=Q(signups__status=SignupStatus.ACTIVE)))
        .order_by("starts_at")
    )


def leaderboard_volunteers(
    *, region: Region | None = None, team: Team | None = None, limit: int = 50
) -> QuerySet[Volunteer]:
    """Approved volunteers by confirmed hours, within a region or a team."""
    volunteers = Volunteer.objects.filter(status=VolunteerStatus.APPROVED)
    if region is not None:
        volunteers = volunteers.filter(center__region__path__startswith=region.path)
    if team is not None:
        volunteers = volunteers.filter(teams=team)
    return (
        volunteers.annotate(hours=HOURS)
        .filter(hours__gt=0)
        .select_related("center")
        .order_by("-hours", "number")[:limit]
    )


def leaderboard_teams(*, region: Region | None = None, limit: int = 30) -> QuerySet[Team]:
    """Teams by the hours confirmed for the activities they organized."""
    teams = Team.objects.filter(is_active=True)
    if region is not None:
        teams = teams.filter(center__region__path__startswith=region.path)
    hours = Coalesce(
        Sum("activities__ledger_entries__hours"), Value(Decimal(0)), output_field=DecimalField()
    )
    return (
        teams.annotate(hours=hours, n_members=Count("members", distinct=True))
        .filter(hours__gt=0)
        .select_related("center")
        .order_by("-hours", "name")[:limit]
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (dashes and case do not matter)."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 12:
        return None
    formatted = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    return Certificate.objects.select_related("issuer").filter(code=formatted).first()


def volunteers_for_staff_or_none(user: AnyUser) -> QuerySet[Volunteer]:
    """Volunteers in the user's staff scope; none (no 404) for users who are not staff."""
    if not has_role(user, *STAFF_ROLES):
        return Volunteer.objects.none()
    return volunteers_for_staff(user)
