"""Staff pages: center staff in scope see and act; other roles and other areas get 404."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wenming.org.models import Membership, Region, Role
from wenming.volunteers import services
from wenming.volunteers.models import Activity, Center, LedgerEntry, Need, Team, Volunteer
from wenming.volunteers.states import NeedState

NEAR = {"lat": 40.6605, "lon": 109.8805}


@pytest.fixture
def streetstaff(city):  # type: ignore[no-untyped-def]
    """Center staff of 万青路街道's institute: 青山路街道 and the district center are out of scope."""
    user, _ = get_user_model().objects.get_or_create(username="streetstaff")
    Membership.objects.get_or_create(
        user=user,
        role=Role.CENTER_STAFF,
        region_scope=Region.objects.get(code="150204002000"),
        defaults={"center": Center.objects.get(region__code="150204002000")},
    )
    return user


@pytest.fixture
def objects(make_activity, make_volunteer, cast):  # type: ignore[no-untyped-def]
    """One of each, all under 青山路街道 or the district center."""
    activity = make_activity()
    volunteer = make_volunteer()
    signup = services.signup_create(shift=activity.shifts.get(), volunteer=volunteer)
    services.signup_check_in(signup=signup, volunteer=volunteer, now=signup.shift.starts_at, **NEAR)
    entry = services.hours_record(
        volunteer=volunteer,
        hours=Decimal(2),
        service_date=timezone.localdate(),
        actor=cast.centerstaff,
        note="纸质",
    )
    return {
        "volunteer": volunteer,
        "activity": activity,
        "shift": activity.shifts.get(),
        "signup": signup,
        "entry": entry,
        "team": Team.objects.get(name="青山区文明交通劝导志愿服务队"),
        "need": Need.objects.filter(center__region__code="150204001002").first()
        or Need.objects.filter(
            center__region__path__startswith=Region.objects.get(code="150204001000").path
        ).first(),
        "center": Center.objects.get(region__code="150204000000"),
    }


def detail_urls(o):  # type: ignore[no-untyped-def]
    return [
        reverse("volunteers:center_detail", args=[o["center"].pk]),
        reverse("volunteers:volunteer_detail", args=[o["volunteer"].pk]),
        reverse("volunteers:team_detail", args=[o["team"].pk]),
        reverse("volunteers:need_detail", args=[o["need"].pk]),
        reverse("volunteers:activity_detail", args=[o["activity"].pk]),
        reverse("volunteers:activity_qr", args=[o["activity"].pk]),
        reverse("volunteers:shift_detail", args=[o["shift"].pk]),
        reverse("volunteers:ledger_correct", args=[o["entry"].pk]),
    ]


LIST_URLS = [
    "volunteers:center_list",
    "volunteers:volunteer_list",
    "volunteers:team_list",
    "volunteers:need_list",
    "volunteers:activity_list",
    "volunteers:activity_create",
    "volunteers:ledger_list",
]


def test_center_staff_open_every_page(client, cast, objects):
    client.force_login(cast.centerstaff)
    for url in [reverse(name) for name in LIST_URLS] + detail_urls(objects):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("username", ["handler", "volunteer", "nobody", "dispatcher"])
def test_other_roles_get_404_everywhere(client, cast, objects, username):
    client.force_login(cast[username])
    for url in [reverse(name) for name in LIST_URLS] + detail_urls(objects):
        assert client.get(url).status_code == 404, url


def test_staff_of_another_street_get_404_for_objects_outside_their_scope(
    client, streetstaff, objects
):
    client.force_login(streetstaff)
    for url in detail_urls(objects):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("volunteers:volunteer_list")).content.decode()
    assert objects["volunteer"].real_name not in listing
    post_urls = [
        reverse("volunteers:volunteer_review", args=[objects["volunteer"].pk]),
        reverse("volunteers:volunteer_record_hours", args=[objects["volunteer"].pk]),
        reverse("volunteers:volunteer_certificate", args=[objects["volunteer"].pk]),
        reverse("volunteers:need_move", args=[objects["need"].pk, "accept"]),
        reverse("volunteers:activity_cancel", args=[objects["activity"].pk]),
        reverse("volunteers:signup_confirm", args=[objects["signup"].pk]),
        reverse("volunteers:shift_confirm_all", args=[objects["shift"].pk]),
    ]
    for url in post_urls:
        assert client.post(url, {"decision": "approve"}).status_code == 404, url


def test_pages_need_login(client, city):
    response = client.get(reverse("volunteers:volunteer_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_lists_page_filter_and_sort_in_few_queries(client, cast, django_assert_max_num_queries):
    client.force_login(cast.centerstaff)
    with django_assert_max_num_queries(12):
        page = client.get(
            reverse("volunteers:volunteer_list"), {"status": "approved", "sort": "-hours"}
        )
    assert page.context["page"].paginator.count >= 37
    hours = [v.hours for v in page.context["page"]]
    assert hours == sorted(hours, reverse=True)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("volunteers:ledger_list"), {"kind": "service"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("volunteers:need_list"), {"state": "submitted"}).status_code == 200
        )
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("volunteers:activity_list"), {"service_type": "traffic"}).status_code
            == 200
        )


def test_identity_numbers_are_shown_masked(client, cast, objects):
    client.force_login(cast.centerstaff)
    volunteer = objects["volunteer"]
    page = client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])).content.decode()
    assert volunteer.id_number_masked in page
    from wenming.core.crypto import decrypt

    assert decrypt(volunteer.id_number_encrypted) not in page


def test_review_confirm_and_correct_through_the_pages(client, cast, make_volunteer, objects):
    client.force_login(cast.centerstaff)
    pending = make_volunteer(approved=False)
    client.post(reverse("volunteers:volunteer_review", args=[pending.pk]), {"decision": "approve"})
    assert Volunteer.objects.get(pk=pending.pk).number
    signup = objects["signup"]
    client.post(reverse("volunteers:signup_confirm", args=[signup.pk]), {"hours": "1.5"})
    assert LedgerEntry.objects.get(signup=signup).hours == Decimal("1.5")
    back = reverse("volunteers:shift_detail", args=[signup.shift_id])
    again = client.post(
        reverse("volunteers:signup_confirm", args=[signup.pk]),
        {"hours": "1.5"},
        follow=True,
        HTTP_REFERER=back,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "confirmed already" in again.content.decode()
    entry = LedgerEntry.objects.get(signup=signup)
    client.post(
        reverse("volunteers:ledger_correct", args=[entry.pk]),
        {"hours_delta": "-0.5", "reason": "提前离岗"},
    )
    assert entry.corrections.get().hours == Decimal("-0.5")


def test_the_four_orders_through_the_staff_pages(client, cast, objects):
    client.force_login(cast.centerstaff)
    need = Need.objects.filter(state=NeedState.SUBMITTED).first()
    client.post(reverse("volunteers:need_move", args=[need.pk, "accept"]))
    client.post(
        reverse("volunteers:need_move", args=[need.pk, "dispatch"]), {"team": objects["team"].pk}
    )
    assert Need.objects.get(pk=need.pk).state == NeedState.DISPATCHED
    refused = client.post(
        reverse("volunteers:need_move", args=[need.pk, "accept"]),
        follow=True,
        HTTP_REFERER=reverse("volunteers:need_detail", args=[need.pk]),
    )
    assert Need.objects.get(pk=need.pk).state == NeedState.DISPATCHED
    assert refused.status_code == 200
    assert client.post(reverse("volunteers:need_move", args=[need.pk, "bogus"])).status_code == 404


def test_creating_a_recurring_roster_through_the_page(client, cast):
    client.force_login(cast.centerstaff)
    first = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("volunteers:activity_create"),
        {
            "title": "文明交通劝导 · 测试路口",
            "service_type": "traffic",
            "center": Center.objects.get(region__code="150204000000").pk,
            "region": Region.objects.get(code="150204001001").pk,
            "address": "测试路口",
            "lat": "40.66",
            "lon": "109.88",
            "radius_m": "150",
            "capacity": "4",
            "kind": "recurring",
            "first_date": first.isoformat(),
            "last_date": (first + timedelta(days=13)).isoformat(),
            "weekdays": ["0", "1", "2", "3", "4"],
            "start_time": "07:00",
            "end_time": "09:00",
        },
    )
    activity = Activity.objects.get(title="文明交通劝导 · 测试路口")
    assert response.status_code == 302
    assert activity.shifts.count() == 10
    assert activity.radius_m == 150


def test_the_qr_code_is_svg(client, cast, objects):
    client.force_login(cast.centerstaff)
    response = client.get(reverse("volunteers:activity_qr", args=[objects["activity"].pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
