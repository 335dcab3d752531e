"""Shift sign-ups: capacity (also under concurrent sign-ups), swaps, cancellation, reminders."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from wenming.notify.models import Notification
from wenming.volunteers import services
from wenming.volunteers.models import Signup, SignupStatus


def test_sign_ups_stop_at_capacity(make_activity, make_volunteer):
    shift = make_activity(capacity=2).shifts.get()
    for _ in range(2):
        services.signup_create(shift=shift, volunteer=make_volunteer())
    with pytest.raises(services.ShiftFull):
        services.signup_create(shift=shift, volunteer=make_volunteer())
    assert shift.signups.filter(status=SignupStatus.ACTIVE).count() == 2


def test_signing_up_twice_or_for_an_overlapping_shift_is_refused(make_activity, make_volunteer):
    volunteer = make_volunteer()
    shift = make_activity().shifts.get()
    services.signup_create(shift=shift, volunteer=volunteer)
    with pytest.raises(InvalidInput, match="already"):
        services.signup_create(shift=shift, volunteer=volunteer)
    with pytest.raises(InvalidInput):
        services.signup_create(shift=make_activity().shifts.get(), volunteer=volunteer)


def test_pending_volunteers_and_started_shifts_are_refused(make_activity, make_volunteer):
    with pytest.raises(PermissionDenied):
        services.signup_create(
            shift=make_activity().shifts.get(), volunteer=make_volunteer(approved=False)
        )
    started = make_activity(starts_in=timedelta(minutes=-5)).shifts.get()
    with pytest.raises(IllegalTransition):
        services.signup_create(shift=started, volunteer=make_volunteer())


def test_team_only_activities_take_only_members(make_activity, make_volunteer, team):
    activity = make_activity(team=team, team_only=True)
    with pytest.raises(PermissionDenied):
        services.signup_create(shift=activity.shifts.get(), volunteer=make_volunteer())
    member = make_volunteer()
    services.team_member_add(team=team, volunteer=member)
    assert services.signup_create(shift=activity.shifts.get(), volunteer=member)


def test_a_cancelled_place_opens_again(make_activity, make_volunteer):
    shift = make_activity(capacity=1).shifts.get()
    first = make_volunteer()
    signup = services.signup_create(shift=shift, volunteer=first)
    with pytest.raises(PermissionDenied):
        services.signup_cancel(signup=signup, volunteer=make_volunteer())
    services.signup_cancel(signup=signup, volunteer=first)
    assert services.signup_create(shift=shift, volunteer=make_volunteer())


def test_swap_moves_to_another_shift_with_room(cast, district_center, place, make_volunteer):
    start = timezone.localdate() + timedelta(days=7)
    activity = services.activity_create_recurring(
        center=district_center,
        title="路口劝导",
        service_type="traffic",
        place=place,
        roster=services.Roster(
            first=start,
            last=start + timedelta(days=6),
            weekdays=[0, 1, 2, 3, 4],
            start=timezone.datetime(2000, 1, 1, 7).time(),
            end=timezone.datetime(2000, 1, 1, 9).time(),
        ),
        capacity=1,
        actor=cast.centerstaff,
    )
    first, second = activity.shifts.all()[:2]
    assert activity.shifts.count() == 5
    me, other = make_volunteer(), make_volunteer()
    signup = services.signup_create(shift=first, volunteer=me)
    services.signup_create(shift=second, volunteer=other)
    with pytest.raises(services.ShiftFull):
        services.signup_swap(signup=signup, volunteer=me, to_shift=second)
    third = activity.shifts.all()[2]
    moved = services.signup_swap(signup=signup, volunteer=me, to_shift=third)
    assert moved.shift == third
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.CANCELLED


def test_rosters_are_checked(district_center, place, cast):
    today = timezone.localdate()
    seven, nine = timezone.datetime(2000, 1, 1, 7).time(), timezone.datetime(2000, 1, 1, 9).time()
    with pytest.raises(InvalidInput):
        services.roster_days(
            services.Roster(
                first=today, last=today - timedelta(days=1), weekdays=[0], start=seven, end=nine
            )
        )
    with pytest.raises(InvalidInput):
        services.roster_days(
            services.Roster(
                first=today, last=today + timedelta(days=400), weekdays=[0], start=seven, end=nine
            )
        )
    with pytest.raises(InvalidInput):
        services.roster_days(
            services.Roster(
                first=today, last=today + timedelta(days=3), weekdays=[0], start=nine, end=seven
            )
        )


def test_reminders_are_sent_once(make_activity, make_volunteer):
    volunteer = make_volunteer()
    services.signup_create(
        shift=make_activity(starts_in=timedelta(hours=5)).shifts.get(), volunteer=volunteer
    )
    assert services.shift_reminders_send() >= 1
    assert services.shift_reminders_send() == 0
    assert (
        Notification.objects.filter(
            recipient=volunteer.user, kind="volunteers.shift_reminder"
        ).count()
        == 1
    )


@pytest.mark.postgres
def test_capacity_holds_under_concurrent_sign_ups(
    transactional_city, make_activity, make_volunteer
):
    """Eight volunteers sign up for three places at once. PostgreSQL: the shift row lock makes
    them queue; SQLite: IMMEDIATE transactions serialise the writers. Three succeed."""
    shift = make_activity(capacity=3).shifts.get()
    volunteers = [make_volunteer() for _ in range(8)]
    barrier, results = threading.Barrier(len(volunteers)), []

    def sign_up(volunteer):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.signup_create(shift=shift, volunteer=volunteer)
            results.append("ok")
        except services.ShiftFull:
            results.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["full"] * 5 + ["ok"] * 3, connection.vendor
    assert Signup.objects.filter(shift=shift, status=SignupStatus.ACTIVE).count() == 3
