import pytest
from django.urls import reverse

from wenming.core.seed import seed_demo_city
from wenming.org.models import Liaison, Membership, Region, Unit
from wenming.org.seed import DEMO_PASSWORD, DEMO_USERS


def counts() -> tuple[int, int, int, int]:
    return (
        Region.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
        Liaison.objects.count(),
    )


def test_seeding_twice_changes_nothing(city):
    before = counts()
    seed_demo_city()
    assert counts() == before


def test_demo_city_has_real_districts_and_detailed_qingshan(city):
    assert Region.objects.get(code="150204000000").name == "青山区"
    assert Region.objects.get(code="150202000000").name == "东河区"
    assert Region.objects.filter(name="六合成社区", parent__name="青山路街道").exists()
    assert (
        Region.objects.filter(
            level="grid", path__startswith="/150000000000/150200000000/150204000000/"
        ).count()
        >= 200
    )


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_demo_user_can_log_in_and_sees_the_workbench(client, city, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("password_change") in response.content.decode()


def test_workbench_links_depend_on_role(client, cast):
    client.force_login(cast.admin)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    client.force_login(cast.handler)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


def test_workbench_needs_login(client, city):
    assert client.get(reverse("home")).status_code == 302


def test_the_portal_names_the_city_in_the_reader_s_language(client, city, settings):
    home = reverse("portal:home")
    chinese = client.get(home, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "包头市文明城市" in chinese and "共建文明包头市" in chinese
    english = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Baotou Civilized City" in english and "包头市" not in english
    settings.WENMING_CITY_NAME_EN = ""  # a city without an English name keeps its own
    english = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "包头市 Civilized City" in english


def test_login_page_in_chinese_by_default_and_english_on_request(client, city):
    chinese = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "登录" in chinese
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" in english
