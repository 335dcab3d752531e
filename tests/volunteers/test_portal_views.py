"""Public volunteer pages: activities near me, registration, needs, check-in, certificates."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from wenming.volunteers import services
from wenming.volunteers.models import Certificate, Need, Signup, Volunteer
from wenming.volunteers.seed import demo_id_number
from wenming.volunteers.states import NeedState


def test_the_hub_lists_open_activities_nearest_first(client, city, make_activity):
    make_activity()
    response = client.get(reverse("volunteer_portal:hub"), {"lat": "40.66", "lon": "109.88"})
    rows = response.context["rows"]
    assert rows and rows[0][2] is not None
    distances = [d for _a, _s, d in rows]
    assert distances == sorted(distances)
    assert all(shift.taken < shift.capacity for _a, shift, _d in rows)


def test_the_portal_home_links_volunteer_service(client, city):
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("volunteer_portal:hub") in page
    assert reverse("volunteer_portal:verify") in page


def test_registration_refuses_a_bad_identity_number_clearly(client, city):
    number = demo_id_number(801)
    with override("en"):
        response = client.post(
            reverse("volunteer_portal:register"),
            {
                "real_name": "赵志愿",
                "id_number": number[:17] + ("1" if number[17] == "0" else "0"),
                "phone": "13611112222",
                "home_region": _community_pk(),
                "password": "A-long-pass-2026",
                "agree": "on",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert not Volunteer.objects.filter(real_name="赵志愿").exists()


def _community_pk() -> int:
    from wenming.org.models import Region

    return Region.objects.get(code="150204001001").pk


def test_registration_creates_an_account_and_a_pending_volunteer(client, city, settings):
    response = client.post(
        reverse("volunteer_portal:register"),
        {
            "real_name": "赵志愿",
            "id_number": demo_id_number(802),
            "phone": "13611113333",
            "home_region": _community_pk(),
            "skills": ["traffic"],
            "availability": ["weekend"],
            "password": "A-long-pass-2026",
            "agree": "on",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(real_name="赵志愿")
    assert volunteer.status == "pending" and volunteer.user.username == "13611113333"
    me = client.get(reverse("volunteer_portal:me")).content.decode()
    assert volunteer.real_name in me


def test_sign_up_and_check_in_from_the_phone(client, cast, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=20))
    client.force_login(cast.volunteer)
    shift = activity.shifts.get()
    client.post(reverse("volunteer_portal:shift_signup", args=[shift.pk]))
    signup = Signup.objects.get(shift=shift, volunteer__user=cast.volunteer)
    far = client.post(
        reverse("volunteer_portal:signup_action", args=[signup.pk, "check-in"]),
        {"lat": "40.70", "lon": "109.88"},
        follow=True,
        HTTP_REFERER=reverse("volunteer_portal:me"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert Signup.objects.get(pk=signup.pk).checked_in_at is None
    assert "within 200 m" in far.content.decode()
    client.post(
        reverse("volunteer_portal:signup_action", args=[signup.pk, "check-in"]),
        {"lat": "40.6601", "lon": "109.8801"},
    )
    assert Signup.objects.get(pk=signup.pk).checked_in_at is not None


def test_a_full_shift_refuses_sign_up_with_a_message(client, cast, make_activity, make_volunteer):
    shift = make_activity(capacity=1).shifts.get()
    services.signup_create(shift=shift, volunteer=make_volunteer())
    client.force_login(cast.volunteer)
    response = client.post(
        reverse("volunteer_portal:shift_signup", args=[shift.pk]),
        follow=True,
        HTTP_REFERER=reverse("volunteer_portal:activity", args=[shift.activity_id]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not Signup.objects.filter(shift=shift, volunteer__user=cast.volunteer).exists()
    assert "This shift is full" in response.content.decode()


def test_someone_elses_sign_up_is_404(client, cast, make_activity, make_volunteer):
    signup = services.signup_create(shift=make_activity().shifts.get(), volunteer=make_volunteer())
    client.force_login(cast.volunteer)
    assert (
        client.post(
            reverse("volunteer_portal:signup_action", args=[signup.pk, "cancel"])
        ).status_code
        == 404
    )


@time_machine.travel(datetime(2026, 12, 6, 9, 30, tzinfo=timezone.get_fixed_timezone(480)))
def test_qr_check_in_page(client, cast, make_activity):
    # Half past nine: ten minutes on is still today (at 23:55 it would be tomorrow's shift).
    activity = make_activity(starts_in=timedelta(minutes=10))
    volunteer = Volunteer.objects.get(user=cast.volunteer)
    signup = services.signup_create(shift=activity.shifts.get(), volunteer=volunteer)
    code = services.checkin_code(activity, timezone.localdate())
    client.force_login(cast.volunteer)
    page = client.get(reverse("volunteer_portal:qr_checkin", args=[activity.pk, code]))
    assert page.context["signup"] == signup
    client.post(
        reverse("volunteer_portal:signup_action", args=[signup.pk, "check-in"]), {"code": code}
    )
    assert Signup.objects.get(pk=signup.pk).check_in_method == "qr"


def test_post_follow_and_rate_a_need(client, city, cast):
    start = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("volunteer_portal:need_new"),
        {
            "title": "社区助老",
            "description": "陪老人就医",
            "service_type": "elderly",
            "region": _community_pk(),
            "address": "六合成社区 5 栋",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "people_needed": "2",
            "requester_name": "钱先生",
            "requester_phone": "13722223333",
        },
    )
    need = Need.objects.get(title="社区助老")
    assert response.status_code == 302 and need.code in response["Location"]
    other = client.__class__()
    assert other.get(reverse("volunteer_portal:need", args=[need.code])).status_code == 302
    assert (
        other.post(
            reverse("volunteer_portal:need_track"), {"code": need.code, "phone": "13700000000"}
        ).status_code
        == 200
    )
    assert (
        other.post(
            reverse("volunteer_portal:need_track"), {"code": need.code, "phone": "13722223333"}
        ).status_code
        == 302
    )
    need = services.need_publish(
        need=services.need_accept(need=need, actor=cast.centerstaff), actor=cast.centerstaff
    )
    Need.objects.filter(pk=need.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    services.need_complete(need=Need.objects.get(pk=need.pk), actor=cast.centerstaff)
    url = reverse("volunteer_portal:need", args=[need.code])
    client.post(url, {"action": "rate", "rating": "4", "comment": "好", "phone": "13700000000"})
    assert Need.objects.get(pk=need.pk).state == NeedState.SERVED
    client.post(url, {"action": "rate", "rating": "4", "comment": "好", "phone": "13722223333"})
    assert Need.objects.get(pk=need.pk).rating == 4


def test_a_team_member_takes_an_order_from_the_phone(client, cast):
    need = Need.objects.filter(
        state=NeedState.DISPATCHED, team__name="青山区文明交通劝导志愿服务队"
    ).first()
    if need is None:
        need = Need.objects.filter(state=NeedState.SUBMITTED).first()
        need = services.need_accept(need=need, actor=cast.centerstaff)
        from wenming.volunteers.models import Team

        need = services.need_dispatch(
            need=need,
            team=Team.objects.get(name="青山区文明交通劝导志愿服务队"),
            actor=cast.centerstaff,
        )
    client.force_login(cast.volunteer)
    assert need.title in client.get(reverse("volunteer_portal:me")).content.decode()
    client.post(reverse("volunteer_portal:order_action", args=[need.pk, "take"]))
    assert Need.objects.get(pk=need.pk).state == NeedState.TAKEN


def test_leaderboards_and_center_pages(client, city):
    board = client.get(reverse("volunteer_portal:leaderboard"))
    hours = [v.hours for v in board.context["volunteers"]]
    assert hours and hours == sorted(hours, reverse=True)
    teams = client.get(
        reverse("volunteer_portal:leaderboard"), {"tab": "teams", "region": "150204000000"}
    )
    assert teams.context["teams"]
    from wenming.volunteers.models import Center

    center = Center.objects.get(region__code="150204000000")
    page = client.get(reverse("volunteer_portal:center", args=[center.pk]))
    assert page.status_code == 200 and page.context["stats"]["volunteers"] >= 37
    assert client.get(reverse("volunteer_portal:centers"), {"q": "六合成"}).status_code == 200


def test_anyone_verifies_a_certificate(client, cast):
    certificate = Certificate.objects.get(volunteer__user=cast.volunteer)
    ok = client.get(reverse("volunteer_portal:verify"), {"code": certificate.code.lower()})
    assert ok.context["certificate"] == certificate
    assert certificate.volunteer_number in ok.content.decode()
    assert certificate.real_name not in ok.content.decode()  # the name is masked in public
    bad = client.get(reverse("volunteer_portal:verify"), {"code": "ABCD-EFGH-JKLM"})
    assert bad.context["certificate"] is None and bad.context["checked"]


def test_the_certificate_pdf_is_for_its_volunteer_and_staff(client, cast, make_volunteer):
    certificate = Certificate.objects.get(volunteer__user=cast.volunteer)
    url = reverse("volunteer_portal:certificate_pdf", args=[certificate.code])
    client.force_login(cast.volunteer)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"STSong-Light" in response.content
    client.force_login(cast.centerstaff)
    assert client.get(url).status_code == 200
    client.force_login(cast.handler)
    assert client.get(url).status_code == 404


def test_a_volunteer_requests_a_certificate(client, cast):
    client.force_login(cast.volunteer)
    before = Certificate.objects.count()
    client.post(reverse("volunteer_portal:certificate_request"))
    assert Certificate.objects.count() == before + 1
    latest = Certificate.objects.filter(volunteer__user=cast.volunteer).first()
    assert latest.total_hours == services.volunteer_total_hours(latest.volunteer) > Decimal(0)


@pytest.mark.parametrize(
    "name", ["hub", "need_new", "need_track", "leaderboard", "centers", "verify", "register"]
)
def test_public_pages_open_without_login(client, city, name):
    assert client.get(reverse(f"volunteer_portal:{name}")).status_code == 200
