"""Fixtures of the hotline console: a signed-in operator, a filled-in call and the places."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.cases.models import Category, CategoryKind
from wenming.hotline.forms import new_token
from wenming.org.models import Region

CONSOLE = reverse("hotline:console")
STREET_GRID = "15020400100105"  # a grid of 青山路街道 (the `handler`'s street)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def operator(client, cast):
    client.force_login(cast.operator)
    return client


@pytest.fixture
def vendors(city) -> Category:
    """占道经营: street order, routed to the street office in 青山区 (no auto-dispatch)."""
    return Category.objects.get(kind=CategoryKind.EVENT, code="0501")


@pytest.fixture
def consult(city) -> Category:
    return Category.objects.get(kind=CategoryKind.EVENT, code="1301")


def grid_point(code: str = STREET_GRID) -> tuple[float, float]:
    grid = Region.objects.get(code=code)
    return grid.centroid_lat, grid.centroid_lon


@pytest.fixture
def call_data(vendors):
    """call_data(**overrides) → the POST of a complete call about a street vendor."""

    def make(**overrides: object) -> dict[str, object]:
        lat, lon = grid_point()
        data: dict[str, object] = {
            "token": new_token(),
            "phone": "139 1234 5678",
            "caller_name": "王先生",
            "who": "一家水果店",
            "when": "每天下午4点以后",
            "address": "青山路街道六合成社区钢铁大街32号",
            "lat": lat,
            "lon": lon,
            "located": "六合成社区",
            "cause": "店面太小",
            "course": "水果摊摆到人行道上，行人只能走机动车道",
            "category_query": "0501 占道经营",
            "category": vendors.pk,
            "nature": "complaint",
            "urgency": "normal",
            "knowledge_query": "",
            "knowledge_item": "",
            "answer": "",
            "unit": "",
            "ending": "register",
        }
        data.update(overrides)
        return data

    return make
