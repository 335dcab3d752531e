"""The earlier-cases panel: only that number's cases, only in the operator's scope, and a
fixed number of queries however many cases the caller has."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenming.cases.models import Case, Channel
from wenming.cases.services import case_submit
from wenming.org.models import Membership, Region, Role

from .conftest import grid_point

pytestmark = pytest.mark.django_db
PANEL = reverse("hotline:caller")
DONGHE = (40.59, 110.06)  # inside 东河区, outside 青山区


def district_operator() -> User:
    """An operator of 青山区 only (the demo operator covers the whole city)."""
    user, _ = get_user_model().objects.get_or_create(username="qs-operator")
    Membership.objects.get_or_create(
        user=user, role=Role.OPERATOR, region_scope=Region.objects.get(code="150204000000")
    )
    return user


def file(phone: str, title: str, point: tuple[float, float] | None = None) -> Case:
    lat, lon = point or grid_point()
    return case_submit(
        channel=Channel.HOTLINE,
        title=title,
        description="描述",
        reporter_phone=phone,
        reporter_name="赵女士",
        lat=lat,
        lon=lon,
    )


@pytest.fixture
def history(city) -> dict[str, Case]:
    return {
        "qingshan": file("13912345678", "青山的旧案"),
        "donghe": file("13912345678", "东河的旧案", DONGHE),
        "landline": file("04725123456", "座机来电"),
        "other": file("13800000001", "别人的案件"),
    }


def panel(client, phone: str):  # type: ignore[no-untyped-def]
    response = client.get(PANEL, {"phone": phone})
    assert response.status_code == 200
    return response


def test_the_panel_lists_only_that_numbers_cases(operator, history):
    response = panel(operator, "+86 139-1234-5678")
    shown = {c.code for c in response.context["cases"]}
    assert shown == {history["qingshan"].code, history["donghe"].code}
    page = response.content.decode()
    assert "青山的旧案" in page and "别人的案件" not in page
    assert (
        "Submitted" in page
        and f"{timezone.localdate(history['qingshan'].reported_at):%Y-%m-%d}" in page
    )
    assert "Name: 赵女士" in page


def test_the_panel_shows_only_cases_in_the_operators_scope(client, history):
    client.force_login(district_operator())
    shown = {c.code for c in panel(client, "13912345678").context["cases"]}
    assert shown == {history["qingshan"].code}


def test_a_landline_finds_cases_stored_without_its_dash(operator, history):
    shown = [c.code for c in panel(operator, "0472-5123456").context["cases"]]
    assert shown == [history["landline"].code]


def test_an_incomplete_number_shows_a_hint_not_cases(operator, history):
    response = panel(operator, "139")
    assert "cases" not in response.context
    assert "Enter a mobile number" in response.content.decode()


def test_a_new_caller_is_told_so(operator, history):
    assert "First call from this number" in panel(operator, "13700000000").content.decode()


def test_the_panel_is_a_fixed_number_of_queries(operator, history):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            panel(operator, "13912345678")
        return len(captured)

    panel(operator, "13912345678")  # warm
    few = count()
    for i in range(6):
        file("13912345678", f"又一次来电{i}")
    assert count() == few
