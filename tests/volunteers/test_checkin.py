"""Check-in and check-out: geofence, time window, QR code of the day, double check-in."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.volunteers import services
from wenming.volunteers.models import CheckinMethod

NEAR = {"lat": 40.6605, "lon": 109.8805}  # ~70 m from the place (40.66, 109.88)
FAR = {"lat": 40.67, "lon": 109.88}  # ~1.1 km


@pytest.fixture
def signup(make_activity, make_volunteer):  # type: ignore[no-untyped-def]
    return services.signup_create(shift=make_activity().shifts.get(), volunteer=make_volunteer())


def at(signup, minutes: int):  # type: ignore[no-untyped-def]
    return signup.shift.starts_at + timedelta(minutes=minutes)


def test_haversine_distance():
    assert round(services.haversine_m(40.66, 109.88, 40.67, 109.88)) == 1112


def test_check_in_near_the_place_in_the_window(signup):
    done = services.signup_check_in(
        signup=signup, volunteer=signup.volunteer, now=at(signup, -10), **NEAR
    )
    assert done.check_in_method == CheckinMethod.LOCATION
    assert 50 < done.check_in_distance_m < 100


def test_check_in_far_from_the_place_is_refused(signup):
    with pytest.raises(InvalidInput, match="1112"):
        services.signup_check_in(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 0), **FAR
        )


def test_the_radius_is_per_activity(make_activity, make_volunteer, place):
    wide = make_activity()
    wide.radius_m = 1500
    wide.save()
    signup = services.signup_create(shift=wide.shifts.get(), volunteer=make_volunteer())
    assert services.signup_check_in(
        signup=signup, volunteer=signup.volunteer, now=at(signup, 0), **FAR
    )


@pytest.mark.parametrize("minutes", [-31, 120, 200])
def test_check_in_outside_the_time_window_is_refused(signup, minutes):
    with pytest.raises(InvalidInput, match="open from"):
        services.signup_check_in(
            signup=signup, volunteer=signup.volunteer, now=at(signup, minutes), **NEAR
        )


def test_double_check_in_is_refused(signup):
    services.signup_check_in(signup=signup, volunteer=signup.volunteer, now=at(signup, 0), **NEAR)
    with pytest.raises(IllegalTransition, match="already"):
        services.signup_check_in(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 1), **NEAR
        )


def test_no_position_and_no_code_is_refused(signup):
    with pytest.raises(InvalidInput):
        services.signup_check_in(signup=signup, volunteer=signup.volunteer, now=at(signup, 0))


def test_qr_code_of_the_day_checks_in_without_position(signup):
    activity = signup.shift.activity
    when = at(signup, 0)
    yesterday = services.checkin_code(activity, timezone.localdate(when) - timedelta(days=1))
    with pytest.raises(InvalidInput, match="QR"):
        services.signup_check_in(
            signup=signup, volunteer=signup.volunteer, now=when, code=yesterday
        )
    today = services.checkin_code(activity, timezone.localdate(when))
    done = services.signup_check_in(signup=signup, volunteer=signup.volunteer, now=when, code=today)
    assert done.check_in_method == CheckinMethod.QR


def test_someone_elses_sign_up_cannot_be_checked_in(signup, make_volunteer):
    from wenming.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.signup_check_in(
            signup=signup, volunteer=make_volunteer(), now=at(signup, 0), **NEAR
        )


def test_check_out_after_check_in_and_before_the_late_margin(signup):
    with pytest.raises(IllegalTransition):
        services.signup_check_out(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 60), **NEAR
        )
    services.signup_check_in(signup=signup, volunteer=signup.volunteer, now=at(signup, 0), **NEAR)
    with pytest.raises(InvalidInput):
        services.signup_check_out(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 121), **FAR
        )
    with pytest.raises(InvalidInput, match="closed"):
        services.signup_check_out(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 241 + 60), **NEAR
        )
    done = services.signup_check_out(
        signup=signup, volunteer=signup.volunteer, now=at(signup, 125), **NEAR
    )
    assert done.attended == timedelta(minutes=125)
    with pytest.raises(IllegalTransition):
        services.signup_check_out(
            signup=signup, volunteer=signup.volunteer, now=at(signup, 126), **NEAR
        )
    with time_machine.travel(at(signup, 130)):
        pass
