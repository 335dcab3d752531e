"""The console's typeaheads: places and regions for 地, categories, the knowledge base."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.cases.models import Category
from wenming.core.errors import InvalidInput
from wenming.hotline import selectors, services
from wenming.hotline.models import KnowledgeItem, Place
from wenming.org.selectors import region_at

pytestmark = pytest.mark.django_db


def fills(response) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [json.loads(h.fill_json) for h in response.context["hits"]]


def test_a_landmark_is_found_by_another_name_and_fills_its_coordinates(operator):
    response = operator.get(reverse("hotline:address_search"), {"address": "一宫"})
    first = fills(response)[0]
    place = Place.objects.get(name="包头市第一工人文化宫")
    assert first == {
        "address": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "located": place.name,
    }
    assert "包头市第一工人文化宫" in response.content.decode()


def test_seeded_places_lie_in_qingshan_and_know_their_grid(city):
    for place in Place.objects.all():
        assert place.region is not None and place.region.path.startswith("/150000000000/")
        assert "/150204000000/" in place.region.path, place.name


def test_a_community_is_found_with_its_street_and_located_at_its_centroid(operator):
    response = operator.get(reverse("hotline:address_search"), {"address": "青东"})
    hit = response.context["hits"][0]
    assert hit.kind == "region" and hit.label == "青山区 › 青山路街道 › 青东社区"
    lat, lon = hit.fill["lat"], hit.fill["lon"]
    assert region_at(lat=lat, lon=lon).path.startswith(
        "/150000000000/150200000000/150204000000/150204001000/150204001002/"
    )


def test_places_come_before_regions(operator):
    hits = operator.get(reverse("hotline:address_search"), {"address": "青山"}).context["hits"]
    kinds = [h.kind for h in hits]
    assert kinds[0] == "place" and "region" in kinds
    assert kinds == sorted(kinds, key=lambda k: k != "place")


def test_an_empty_query_lists_nothing(operator):
    assert operator.get(reverse("hotline:address_search"), {"address": " "}).context["hits"] == []


def test_a_place_outside_the_city_is_refused(city):
    with pytest.raises(InvalidInput):
        services.place_locate(place=Place(name="远方", lat=10.0, lon=10.0))


def test_category_search_matches_keywords_and_offers_non_public_classes(operator):
    by_keyword = fills(operator.get(reverse("hotline:category_search"), {"category_query": "摆摊"}))
    assert by_keyword[0]["category_query"] == "0501 占道经营"
    assert by_keyword[0]["nature"] == "complaint"
    hits = operator.get(reverse("hotline:category_search"), {"category_query": "监控"}).context[
        "hits"
    ]
    monitoring = Category.objects.get(kind="component", code="0604")
    assert not monitoring.is_public
    assert any(h.fill["category"] == monitoring.pk for h in hits)
    assert all(Category.objects.get(pk=h.fill["category"]).parent_id for h in hits)


def test_category_search_puts_names_starting_with_the_query_first(city):
    hits = selectors.categories_search(query="占道")
    assert hits[0].label.endswith(" 占道经营") or hits[0].label.split(" ")[1].startswith("占道")


@pytest.fixture
def window(city) -> dict[str, KnowledgeItem]:
    today = timezone.localdate()
    day = timedelta(days=1)
    make = KnowledgeItem.objects.create
    return {
        "open": make(question="窗口甲 无期限", answer="甲"),
        "today": make(question="窗口甲 今天到期", answer="乙", valid_from=today, valid_until=today),
        "expired": make(question="窗口甲 已过期", answer="丙", valid_until=today - day),
        "upcoming": make(question="窗口甲 未生效", answer="丁", valid_from=today + day),
        "inactive": make(question="窗口甲 已停用", answer="戊", is_active=False),
    }


def test_only_valid_active_knowledge_items_are_offered(operator, window):
    response = operator.get(reverse("hotline:knowledge_search"), {"knowledge_query": "窗口甲"})
    assert {i.pk for i in response.context["items"]} == {window["open"].pk, window["today"].pk}
    assert selectors.knowledge_offered(window["expired"].pk) is None
    assert selectors.knowledge_offered(window["today"].pk) == window["today"]


def test_a_category_alone_lists_its_knowledge_items(operator, consult):
    item = KnowledgeItem.objects.create(question="政策问题", answer="答", category=consult)
    KnowledgeItem.objects.create(question="别的问题", answer="答")
    response = operator.get(reverse("hotline:knowledge_search"), {"category": consult.pk})
    items = response.context["items"]
    assert item in items and all(i.category == consult for i in items)
    assert "data-wm-fill" in response.content.decode()


def test_the_calls_category_ranks_its_items_first(city, consult, vendors):
    mine = KnowledgeItem.objects.create(question="窗口乙 甲", answer="x", category=vendors)
    KnowledgeItem.objects.create(question="窗口乙 乙", answer="x", category=consult)
    assert selectors.knowledge_search(query="窗口乙", category=vendors)[0] == mine


def test_the_seeded_knowledge_base_answers_common_questions(operator):
    for query in ("供暖", "占道经营", "受理范围", "志愿者 注册", "垃圾分类"):
        items = operator.get(
            reverse("hotline:knowledge_search"), {"knowledge_query": query}
        ).context["items"]
        assert items, query
    expired = KnowledgeItem.objects.filter(question__startswith="2026年春节").get()
    assert selectors.knowledge_offered(expired.pk) is None
