"""Hotspots on a hand-built set: two clusters, noise, a previous period and a duplicate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.cases import services
from wenming.triage.hotspots import hotspots

from .conftest import place

HEAT = ("暖气不热", "家里暖气不热，室温只有十几度，老人孩子受不了。")


@pytest.fixture
def hand_built(report, cast):
    a = [
        place(report(*HEAT, key="event:1201", offset_m=(i * 20, 0)), days_ago=i + 1)
        for i in range(5)
    ]
    b = [
        place(
            report("广场舞噪音", "晚上广场舞音响太大", key="event:1003", offset_m=(2000, 0)),
            days_ago=2,
        )
        for _ in range(3)
    ]
    place(report(*HEAT, key="event:1201", offset_m=(0, 3000)), days_ago=1)  # lone case: noise
    place(report(*HEAT, key="event:1201", offset_m=(10, 10)), days_ago=40)  # previous period
    duplicate = report(*HEAT, key="event:1201", offset_m=(5, 5))
    services.case_merge(case_id=duplicate.pk, actor=cast.dispatcher, into=a[0])
    return a, b


def period():
    end = timezone.now() + timedelta(minutes=1)
    return end - timedelta(days=30), end


def test_it_clusters_by_place_and_topic_and_ranks_them(hand_built):
    a, b = hand_built
    start, end = period()
    found = hotspots(start=start, end=end, limit=10)
    assert [h["count"] for h in found] == [5, 3]
    heat, dance = found
    assert set(heat["case_codes"]) == {c.code for c in a}
    assert heat["major_class"]["code"] == "12" and heat["categories"] == ["供热温度不达标"]
    assert "暖气" in heat["topic"]
    assert heat["previous_count"] == 1 and heat["growth"] == 4.0
    assert heat["duplicates"] == 1 and heat["support"] == 6
    assert set(dance["case_codes"]) == {c.code for c in b}
    assert dance["previous_count"] == 0 and dance["growth"] is None


def test_it_ranks_by_growth_or_support_and_limits(hand_built):
    start, end = period()
    assert [h["count"] for h in hotspots(start=start, end=end, sort="growth")] == [3, 5]
    assert [h["support"] for h in hotspots(start=start, end=end, sort="support", limit=1)] == [6]


def test_it_applies_the_data_scope(hand_built, cast):
    start, end = period()
    assert len(hotspots(start=start, end=end, user=cast.dispatcher)) == 2
    assert hotspots(start=start, end=end, user=cast.outsider) == []
