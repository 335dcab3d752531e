"""A volunteer on a phone finds an activity near them, signs up for its shift and checks in on
site: the phone's position (the context's geolocation) is checked against the place."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from shapely.geometry import shape

from wenming.volunteers.models import CheckinMethod, ServiceType, Signup, SignupStatus, Volunteer
from wenming.volunteers.services.activities import Place, activity_create_one_off

from .conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

TITLE = "青山路文明交通劝导"


def activity_starting_soon(volunteer: Volunteer):  # type: ignore[no-untyped-def]
    """An activity of the volunteer's own center whose shift starts in ten minutes: sign-up
    is still open and check-in (from 30 minutes before the start) already is."""
    region = volunteer.center.region
    point = shape(region.boundary).representative_point()
    starts = timezone.now() + timedelta(minutes=10)
    # A seeded shift of this volunteer at the same time would refuse the sign-up.
    Signup.objects.filter(
        volunteer=volunteer,
        shift__starts_at__lt=starts + timedelta(hours=2),
        shift__ends_at__gt=starts,
    ).update(status=SignupStatus.CANCELLED)
    return activity_create_one_off(
        center=volunteer.center,
        title=TITLE,
        service_type=ServiceType.TRAFFIC,
        place=Place(region=region, address="青山路与民族东路路口", lat=point.y, lon=point.x),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=5,
        actor=None,
        description="在路口引导行人文明过街。",
    )


def test_a_volunteer_signs_up_and_checks_in_on_site(new_phone, live_server, transactional_city):
    volunteer = Volunteer.objects.select_related("center__region").get(user__username="volunteer")
    activity = activity_starting_soon(volunteer)
    page = new_phone(
        geolocation={"latitude": activity.lat, "longitude": activity.lon, "accuracy": 10},
        permissions=["geolocation"],
    )
    log_in(page, live_server, "volunteer", next_url="/volunteers/")
    expect(page.get_by_role("heading", name="志愿服务")).to_be_visible()
    page.get_by_role("link", name="附近", exact=True).click()
    page.wait_for_url("**/volunteers/?*lat=*")
    card = page.get_by_role("link", name=TITLE)
    expect(card).to_contain_text("0 m")  # the phone stands at the place
    screenshot(page, "volunteer-01-hub-near-me")

    card.click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    screenshot(page, "volunteer-02-activity")
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_role("alert")).to_have_text("报名成功，期待您的参与！")
    expect(page.get_by_text("已报名", exact=True)).to_be_visible()
    screenshot(page, "volunteer-03-signed-up")

    page.goto(f"{live_server.url}/volunteers/")
    page.get_by_role("link", name="我的服务").click()
    shift_card = page.locator(".card", has=page.get_by_role("link", name=TITLE))
    screenshot(page, "volunteer-04-my-shifts")
    shift_card.get_by_role("button", name="在此签到").click()
    expect(page.get_by_role("alert")).to_have_text("签到成功，感谢您的服务！")
    expect(shift_card.get_by_role("button", name="签退")).to_be_visible()
    screenshot(page, "volunteer-05-checked-in")

    signup = Signup.objects.get(volunteer=volunteer, shift__activity=activity)
    assert signup.checked_in_at is not None
    assert signup.check_in_method == CheckinMethod.LOCATION
    assert signup.check_in_distance_m == 0
