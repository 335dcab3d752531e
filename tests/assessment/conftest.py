"""Fixtures for the assessment loop: a small indicator tree whose contents name the demo
handler's unit, and a fresh cycle in a month the demo seed never touches."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.assessment import services
from wenming.assessment.models import Indicator, IndicatorLevel, Method
from wenming.org.models import Unit

MONTH = date(2031, 3, 1)
STREET_UNIT = "BT-150204001000"  # the `handler` / `unitlead` unit (青山路街道)
OTHER_UNIT = "BT-150204002000"  # the `outsider`'s unit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tree(city):
    """Project T → indicator T1 → contents T101 (lead: street 1, cooperating: street 2) and
    T102 (lead: street 2). All other indicators are switched off for these tests."""
    Indicator.objects.update(is_active=False)
    street, other = Unit.objects.get(code=STREET_UNIT), Unit.objects.get(code=OTHER_UNIT)
    project = Indicator.objects.create(code="T", name="测试项目", level=IndicatorLevel.PROJECT)
    indicator = Indicator.objects.create(
        code="T1", name="测试指标", level=IndicatorLevel.INDICATOR, parent=project
    )
    first = Indicator.objects.create(
        code="T101",
        name="测试内容一",
        level=IndicatorLevel.CONTENT,
        parent=indicator,
        method=Method.MATERIAL,
        points=2,
        lead_unit=street,
    )
    first.cooperating_units.set([other])
    Indicator.objects.create(
        code="T102",
        name="测试内容二",
        level=IndicatorLevel.CONTENT,
        parent=indicator,
        method=Method.FIELD,
        points=3,
        lead_unit=other,
    )
    return project


@pytest.fixture
def cycle(tree, cast):
    return services.cycle_open(month=MONTH, actor=cast.admin)


def task_of(cycle, code: str, unit: str = STREET_UNIT):
    return cycle.tasks.get(indicator__code=code, unit__code=unit)


def pdf(name: str = "report.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF", "application/pdf")


def office(name: str, part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{part}document.xml", "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def submitted(task, actor):
    services.evidence_add(task_id=task.pk, actor=actor, text="工作台账已上传")
    return services.task_submit(task_id=task.pk, actor=actor)


GOOD_YAML_PATH = (
    __import__("pathlib").Path(__file__).resolve().parents[2]
    / "wenming"
    / "assessment"
    / "data"
    / "indicators.yaml"
)
