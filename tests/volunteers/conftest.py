"""Fixtures for volunteer service: the seeded 青山区 centers plus fresh volunteers and shifts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.org.models import Region
from wenming.volunteers import services
from wenming.volunteers.models import Center, Team
from wenming.volunteers.seed import demo_id_number

_numbers = itertools.count(500)
LIUHECHENG = "150204001001"  # 六合成社区 (青山路街道)


@pytest.fixture
def district_center(city):  # type: ignore[no-untyped-def]
    return Center.objects.get(region__code="150204000000")


@pytest.fixture
def make_volunteer(cast):  # type: ignore[no-untyped-def]
    def make(approved: bool = True, community: str = LIUHECHENG, user=None, account: bool = True):  # type: ignore[no-untyped-def]
        n = next(_numbers)
        volunteer = services.volunteer_register(
            real_name=f"测试{n}",
            id_number=demo_id_number(n),
            phone=f"1365{n:07d}",
            home_region=Region.objects.get(code=community),
            user=user,
            password="Wenming@2026" if account and user is None else None,
        )
        if approved:
            volunteer = services.volunteer_approve(volunteer=volunteer, actor=cast.centerstaff)
        return volunteer

    return make


@pytest.fixture
def place():  # type: ignore[no-untyped-def]
    region = Region.objects.get(code=LIUHECHENG)
    return services.Place(
        region=region, address="钢铁大街与青山路交叉口", lat=40.66, lon=109.88, radius_m=200
    )


@pytest.fixture
def make_activity(cast, district_center, place):  # type: ignore[no-untyped-def]
    def make(capacity: int = 3, starts_in: timedelta = timedelta(hours=2), hours: int = 2, **extra):  # type: ignore[no-untyped-def]
        start = timezone.now() + starts_in
        return services.activity_create_one_off(
            center=district_center,
            title="文明交通劝导",
            service_type="traffic",
            place=place,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            capacity=capacity,
            actor=cast.centerstaff,
            **extra,
        )

    return make


@pytest.fixture
def team(district_center):  # type: ignore[no-untyped-def]
    return Team.objects.get(name="青山区文明交通劝导志愿服务队")
