"""Check-in and check-out on the volunteer's phone: by location (within the activity's radius)
or by the activity's QR code of the day, always inside the shift's time window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core import crypto
from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied

from ..models import Activity, CheckinMethod, ServicePolicy, Signup, SignupStatus, Volunteer
from .common import haversine_m


def checkin_code(activity: Activity, day: date) -> str:
    """The activity's check-in code for a day (printed as a QR code on site). It changes every
    day, so a photo of yesterday's code does not work today."""
    return crypto.keyed_hash(f"{activity.checkin_key}:{day.isoformat()}", purpose="checkin")[:16]


def _locked_own(signup: Signup, volunteer: Volunteer) -> Signup:
    locked = Signup.objects.select_for_update().select_related("shift__activity").get(pk=signup.pk)
    if locked.volunteer_id != volunteer.pk:
        raise PermissionDenied()
    if locked.status != SignupStatus.ACTIVE:
        raise IllegalTransition(_("This sign-up was cancelled."))
    return locked


def _place_check(
    signup: Signup, lat: float | None, lon: float | None, code: str | None, now: datetime
) -> tuple[str, int | None]:
    """(method, distance in metres) when the volunteer is at the place, else InvalidInput."""
    activity = signup.shift.activity
    distance = None
    if lat is not None and lon is not None:
        distance = round(haversine_m(lat, lon, activity.lat, activity.lon))
    if code:
        if code.strip() != checkin_code(activity, timezone.localdate(now)):
            raise InvalidInput(_("This QR code is not today's code for this activity."))
        return CheckinMethod.QR, distance
    if distance is None:
        raise InvalidInput(_("Allow location access or scan the QR code on site to check in."))
    if distance > activity.radius_m:
        raise InvalidInput(
            _(
                "You are %(distance)s m from the place; check in within %(radius)s m of it, "
                "or scan the QR code on site."
            )
            % {"distance": distance, "radius": activity.radius_m}
        )
    return CheckinMethod.LOCATION, distance


@transaction.atomic
def signup_check_in(
    *,
    signup: Signup,
    volunteer: Volunteer,
    lat: float | None = None,
    lon: float | None = None,
    code: str | None = None,
    now: datetime | None = None,
) -> Signup:
    """Check in at the place, from the policy's early margin before the shift until its end."""
    now = now or timezone.now()
    locked = _locked_own(signup, volunteer)
    if locked.checked_in_at is not None:
        raise IllegalTransition(_("You have checked in for this shift already."))
    shift, policy = locked.shift, ServicePolicy.current()
    opens = shift.starts_at - timedelta(minutes=policy.checkin_early_minutes)
    if not opens <= now < shift.ends_at:
        raise InvalidInput(
            _("Check-in is open from %(opens)s until the shift ends at %(ends)s.")
            % {
                "opens": f"{timezone.localtime(opens):%m-%d %H:%M}",
                "ends": f"{timezone.localtime(shift.ends_at):%H:%M}",
            }
        )
    method, distance = _place_check(locked, lat, lon, code, now)
    locked.checked_in_at, locked.check_in_method, locked.check_in_distance_m = (
        now,
        method,
        distance,
    )
    locked.save(update_fields=["checked_in_at", "check_in_method", "check_in_distance_m"])
    return locked


@transaction.atomic
def signup_check_out(
    *,
    signup: Signup,
    volunteer: Volunteer,
    lat: float | None = None,
    lon: float | None = None,
    code: str | None = None,
    now: datetime | None = None,
) -> Signup:
    """Check out at the place, after checking in and before the policy's late margin."""
    now = now or timezone.now()
    locked = _locked_own(signup, volunteer)
    if locked.checked_in_at is None:
        raise IllegalTransition(_("Check in first."))
    if locked.checked_out_at is not None:
        raise IllegalTransition(_("You have checked out for this shift already."))
    closes = locked.shift.ends_at + timedelta(minutes=ServicePolicy.current().checkout_late_minutes)
    if now > closes:
        raise InvalidInput(_("Check-out has closed; ask the organizer to confirm your hours."))
    _method, distance = _place_check(locked, lat, lon, code, now)
    locked.checked_out_at, locked.check_out_distance_m = now, distance
    locked.save(update_fields=["checked_out_at", "check_out_distance_m"])
    return locked
