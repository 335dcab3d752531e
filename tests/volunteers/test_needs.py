"""The four orders: need → dispatch → take → rate, with events, deadlines and illegal moves."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from wenming.notify.models import Notification
from wenming.org.models import Region
from wenming.volunteers import services
from wenming.volunteers.models import Need, NeedEvent, SignupStatus
from wenming.volunteers.states import NeedState, allowed_actions, next_state

PHONE = "13912345678"


@pytest.fixture
def need(city):  # type: ignore[no-untyped-def]
    start = timezone.now() + timedelta(days=2)
    return services.need_submit(
        title="帮助独居老人打扫卫生",
        description="老人行动不便",
        service_type="elderly",
        region=Region.objects.get(code="150204001002"),
        address="青东社区 12 栋",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        people_needed=2,
        requester_name="张女士",
        requester_phone=PHONE,
    )


def test_a_need_goes_to_the_center_of_its_region_with_a_review_deadline(need):
    assert need.state == NeedState.SUBMITTED
    assert need.center.name == "青东社区新时代文明实践站"
    assert need.code.startswith("XQ")
    assert need.due_at > timezone.now() + timedelta(hours=47)
    assert need.requester_phone_masked == "139****5678"
    assert PHONE not in need.requester_phone_encrypted
    assert [e.action for e in need.events.all()] == ["submit"]


def test_the_dispatch_path_runs_to_the_rating(need, cast, team, make_volunteer):
    taker = make_volunteer(user=None)
    services.team_member_add(team=team, volunteer=taker)
    need = services.need_accept(need=need, actor=cast.centerstaff)
    need = services.need_dispatch(need=need, team=team, actor=cast.centerstaff)
    assert need.state == NeedState.DISPATCHED and need.team == team
    assert Notification.objects.filter(recipient=taker.user, kind="volunteers.need_dispatched")
    need = services.need_take(need=need, volunteer=taker)
    assert need.state == NeedState.TAKEN and need.taken_by == taker
    activity = need.activity
    assert activity.team_only and activity.team == team
    assert activity.shifts.get().signups.get().volunteer == taker
    with time_machine.travel(need.starts_at + timedelta(hours=3)):
        need = services.need_complete(need=need, actor=cast.centerstaff)
        need = services.need_rate(need=need, phone=PHONE, rating=5, comment="很好")
    assert need.state == NeedState.RATED and need.rating == 5
    assert [e.action for e in need.events.all()] == [
        "submit",
        "accept",
        "dispatch",
        "take",
        "complete",
        "rate",
    ]
    assert NeedEvent.objects.filter(need=need, actor=cast.centerstaff).count() == 3


def test_the_publish_path_opens_an_activity_for_everyone(need, cast):
    need = services.need_accept(need=need, actor=cast.centerstaff)
    need = services.need_publish(need=need, actor=cast.centerstaff)
    assert need.state == NeedState.PUBLISHED
    assert not need.activity.team_only
    assert need.activity.shifts.get().capacity == 2


def test_illegal_moves_are_refused(need, cast, team, make_volunteer):
    with pytest.raises(IllegalTransition):
        services.need_dispatch(need=need, team=team, actor=cast.centerstaff)
    with pytest.raises(IllegalTransition):
        services.need_rate(need=need, phone=PHONE, rating=5)
    with pytest.raises(IllegalTransition):
        services.need_complete(need=need, actor=cast.centerstaff)
    need = services.need_accept(need=need, actor=cast.centerstaff)
    with pytest.raises(IllegalTransition):
        services.need_accept(need=need, actor=cast.centerstaff)
    assert Need.objects.get(pk=need.pk).events.count() == 2  # refused moves leave no event


def test_only_a_member_of_the_team_takes_the_order(need, cast, team, make_volunteer):
    need = services.need_dispatch(
        need=services.need_accept(need=need, actor=cast.centerstaff),
        team=team,
        actor=cast.centerstaff,
    )
    with pytest.raises(PermissionDenied):
        services.need_take(need=need, volunteer=make_volunteer())


def test_a_team_member_may_hand_the_order_back(need, cast, team, make_volunteer):
    member = make_volunteer()
    services.team_member_add(team=team, volunteer=member)
    need = services.need_dispatch(
        need=services.need_accept(need=need, actor=cast.centerstaff),
        team=team,
        actor=cast.centerstaff,
    )
    with pytest.raises(InvalidInput):
        services.need_decline(need=need, volunteer=member, note="")
    need = services.need_decline(need=need, volunteer=member, note="人手不足")
    assert need.state == NeedState.ACCEPTED and need.team is None


def test_rating_needs_the_requesters_phone_and_one_to_five_stars(need, cast):
    need = services.need_publish(
        need=services.need_accept(need=need, actor=cast.centerstaff), actor=cast.centerstaff
    )
    with time_machine.travel(need.starts_at + timedelta(hours=1)):
        need = services.need_complete(need=need, actor=cast.centerstaff)
    with pytest.raises(PermissionDenied):
        services.need_rate(need=need, phone="13900000000", rating=5)
    with pytest.raises(InvalidInput):
        services.need_rate(need=need, phone=PHONE, rating=6)


def test_completion_before_the_service_started_is_refused(need, cast):
    need = services.need_publish(
        need=services.need_accept(need=need, actor=cast.centerstaff), actor=cast.centerstaff
    )
    with pytest.raises(InvalidInput):
        services.need_complete(need=need, actor=cast.centerstaff)


def test_bad_needs_are_refused(city):
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(InvalidInput):
        services.need_submit(
            title="x",
            description="x",
            service_type="other",
            region=Region.objects.get(code="150204001002"),
            address="x",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            people_needed=1,
            requester_name="x",
            requester_phone=PHONE,
        )
    with pytest.raises(InvalidInput):
        services.need_submit(
            title="x",
            description="x",
            service_type="other",
            region=Region.objects.get(code="150204001002"),
            address="x",
            starts_at=start + timedelta(days=2),
            ends_at=start + timedelta(days=2),
            people_needed=1,
            requester_name="x",
            requester_phone="123",
        )


def test_unrated_needs_close_after_the_rating_period_once(need, cast):
    need = services.need_publish(
        need=services.need_accept(need=need, actor=cast.centerstaff), actor=cast.centerstaff
    )
    with time_machine.travel(need.starts_at + timedelta(hours=1)):
        services.need_complete(need=need, actor=cast.centerstaff)
    later = need.starts_at + timedelta(days=9)
    assert services.needs_close_unrated(now=later) >= 1
    assert services.needs_close_unrated(now=later) == 0
    assert Need.objects.get(pk=need.pk).state == NeedState.CLOSED


def test_the_state_table_allows_only_listed_moves():
    assert next_state("submitted", "accept") == "accepted"
    assert "take" in allowed_actions("dispatched")
    assert allowed_actions("rated") == {"note"}
    with pytest.raises(IllegalTransition):
        next_state("rated", "rate")
    assert SignupStatus.ACTIVE == "active"


def test_staff_see_the_requester_phone_masked_and_reveal_it_audited(client, cast, need):
    from django.urls import reverse

    from wenming.audit.models import AuditEntry

    url = reverse("volunteers:need_detail", args=[need.pk])
    client.force_login(cast.centerstaff)
    body = client.get(url).content.decode()
    assert "139****5678" in body and PHONE not in body
    revealed = client.post(url)
    assert revealed.status_code == 200 and PHONE in revealed.content.decode()
    entry = AuditEntry.objects.get(action="need.reveal_phone")
    assert (entry.actor_name, entry.object_id) == ("centerstaff", str(need.pk))


def test_the_volunteer_phone_is_masked_until_revealed(client, cast, make_volunteer):
    from django.urls import reverse

    from wenming.audit.models import AuditEntry

    volunteer = make_volunteer()
    url = reverse("volunteers:volunteer_detail", args=[volunteer.pk])
    client.force_login(cast.centerstaff)
    assert volunteer.phone not in client.get(url).content.decode()
    assert volunteer.phone in client.post(url).content.decode()
    assert AuditEntry.objects.filter(action="volunteer.reveal_phone").count() == 1
    client.force_login(cast.outsider)
    assert client.post(url).status_code == 404
    assert AuditEntry.objects.filter(action="volunteer.reveal_phone").count() == 1
