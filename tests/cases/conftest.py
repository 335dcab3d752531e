"""Fixtures for the problem loop: a category with known limits and a way to put a case in any
state through the real services."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.cases import services
from wenming.cases.models import Case, Category, CategoryKind, Channel, TimeLimit, TimeUnit, Urgency
from wenming.org.models import Region, Unit

STREET_UNIT = "BT-150204001000"  # 青山路街道办事处: the `handler`/`unitlead` unit
OTHER_UNIT = "BT-150204002000"  # 万青路街道办事处: the `outsider`'s unit


def jpeg(
    name: str = "photo.jpg", size: tuple[int, int] = (64, 48), exif: bytes | None = None
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 40))
    image.save(buffer, format="JPEG", **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(city) -> Category:
    major, _ = Category.objects.get_or_create(
        kind=CategoryKind.EVENT, code="91", defaults={"name": "测试大类"}
    )
    minor, _ = Category.objects.get_or_create(
        kind=CategoryKind.EVENT, code="9101", defaults={"name": "暴露垃圾（测试）", "parent": major}
    )
    TimeLimit.objects.update_or_create(
        category=minor,
        urgency=Urgency.NORMAL,
        defaults={
            "sign_amount": 2,
            "sign_unit": TimeUnit.HOURS,
            "handle_amount": 3,
            "handle_unit": TimeUnit.DAYS,
            "verify_amount": 1,
            "verify_unit": TimeUnit.DAYS,
        },
    )
    return minor


@pytest.fixture
def street_unit(city) -> Unit:
    return Unit.objects.get(code=STREET_UNIT)


@pytest.fixture
def other_unit(city) -> Unit:
    return Unit.objects.get(code=OTHER_UNIT)


def grid_point(code: str = "15020400100105") -> tuple[float, float]:
    grid = Region.objects.get(code=code)
    return grid.centroid_lat, grid.centroid_lon


@pytest.fixture
def submit(category):
    def make(**overrides) -> Case:
        lat, lon = grid_point()
        values = {
            "channel": Channel.SNAPSHOT,
            "title": "六合成社区垃圾堆放",
            "description": "小区门口垃圾三天没人清运，气味很大",
            "reporter_name": "李女士",
            "reporter_phone": "13912345678",
            "category": category,
            "lat": lat,
            "lon": lon,
            "address": "青山区六合成社区3号楼",
        }
        values.update(overrides)
        return services.case_submit(**values)

    return make


@pytest.fixture
def advance(cast, street_unit, submit):
    """advance(state) → a fresh case brought to `state` through the real services."""

    def to(state: str, **submit_overrides) -> Case:
        case = submit(**submit_overrides)
        steps = [
            ("registered", lambda c: services.case_register(case_id=c.pk, actor=cast.dispatcher)),
            (
                "dispatched",
                lambda c: services.case_dispatch(
                    case_id=c.pk, actor=cast.dispatcher, unit=street_unit
                ),
            ),
            ("in_progress", lambda c: services.case_sign(case_id=c.pk, actor=cast.handler)),
            (
                "handled",
                lambda c: services.case_feedback(
                    case_id=c.pk, actor=cast.handler, text="已清运完毕", photos=[jpeg()]
                ),
            ),
            (
                "verified",
                lambda c: services.case_verify(case_id=c.pk, actor=cast.inspector, passed=True),
            ),
            ("closed", lambda c: services.case_close(case_id=c.pk, actor=cast.dispatcher)),
        ]
        for _state_name, step in steps:
            if case.state == state:
                break
            case = step(case)
        assert case.state == state
        return case

    return to
