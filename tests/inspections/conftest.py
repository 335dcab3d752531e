"""Fixtures for inspections: a small site type with a three-item checklist, sites in two
streets of 青山区, and a round created by the dispatcher and assigned to the `inspector`."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.cases.models import Category
from wenming.inspections import services
from wenming.inspections.models import Checklist, ChecklistItem, Outcome, PointSite, SiteType
from wenming.org.models import Membership, Region, Role, Unit

QINGSHAN = "150204000000"
STREET_1 = "150204001000"  # 青山路街道: the demo handler's street
STREET_2 = "150204002000"  # 万青路街道


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def site_type(city) -> SiteType:
    site_type = SiteType.objects.create(code="t-market", name="测试市场", order=99)
    checklist = Checklist.objects.create(site_type=site_type, name="测试市场检查标准")
    category = Category.objects.get(kind="event", code="0501")  # 占道经营: not auto-dispatched
    for order, (text, deduction, photo) in enumerate(
        [("设置公平秤", "3", True), ("明码标价", "2", False), ("地面无积水", "5", True)], start=1
    ):
        ChecklistItem.objects.create(
            checklist=checklist,
            order=order,
            text=text,
            category=category,
            deduction=Decimal(deduction),
            photo_required=photo,
        )
    return site_type


def items(site_type: SiteType) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(checklist__site_type=site_type).order_by("order"))


def make_site(site_type: SiteType, code: str, grid: str, unit_code: str) -> PointSite:
    region = Region.objects.get(code=grid)
    return PointSite.objects.create(
        code=code,
        name=f"测试点位{code}",
        site_type=site_type,
        lat=region.centroid_lat,
        lon=region.centroid_lon,
        region=region,
        unit=Unit.objects.get(code=unit_code),
    )


@pytest.fixture
def sites(site_type) -> list[PointSite]:
    """A and C in 青山路街道 (the handler's unit), B in 万青路街道."""
    return [
        make_site(site_type, "T-A", "15020400100105", f"BT-{STREET_1}"),
        make_site(site_type, "T-B", "15020400200105", f"BT-{STREET_2}"),
        make_site(site_type, "T-C", "15020400100205", f"BT-{STREET_1}"),
    ]


@pytest.fixture
def inspection_round(cast, sites, site_type):
    return services.round_create(
        actor=cast.dispatcher,
        name="测试暗访",
        region=Region.objects.get(code=QINGSHAN),
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 1, 1),
        types=[site_type],
        per_type=None,
        seed=1,
        inspector=cast.inspector,
    )


def assignment_of(inspection_round, site):
    return inspection_round.assignments.get(site=site)


def answers(site_type, outcomes: list[str], photos: bool = True) -> list[services.ItemAnswer]:
    return [
        services.ItemAnswer(
            item.pk,
            outcome,
            note="现场问题" if outcome == Outcome.FAIL else "",
            photos=[jpeg()] if photos and outcome == Outcome.FAIL else [],
        )
        for item, outcome in zip(items(site_type), outcomes, strict=True)
    ]


@pytest.fixture
def other_inspector(city):
    """An inspector of 万青路街道 only: inspector role, but not in the round."""
    user, _ = get_user_model().objects.get_or_create(username="inspector2")
    Membership.objects.get_or_create(
        user=user, role=Role.INSPECTOR, region_scope=Region.objects.get(code=STREET_2)
    )
    return user
