"""Fixtures of the livelihood tests: a project of last year led by the demo handler's unit
(青山路街道办事处), so every month of it can be reported and every report deadline is past."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wenming.livelihood.models import (
    LivelihoodProject,
    ProgressReport,
    ProjectMilestone,
    ProjectTarget,
)
from wenming.org.models import Region, Unit

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_project(
    code: str = "T-01", *, unit: str = "BT-150204001000", region: str = "150204001000", **extra
):  # type: ignore[no-untyped-def]
    values = {
        "year": LAST_YEAR,
        "title": "楼院环境整治",
        "lead_unit": Unit.objects.get(code=unit),
        "region": Region.objects.get(code=region),
        "start_month": date(LAST_YEAR, 1, 1),
    }
    project = LivelihoodProject.objects.create(code=code, **{**values, **extra})
    ProjectTarget.objects.create(
        project=project, name="整治楼院", quantity=Decimal(40), measure="个"
    )
    ProjectTarget.objects.create(
        project=project, name="新增车位", quantity=Decimal(200), measure="个"
    )
    for title, month, day, percent in [
        ("开工", 3, 31, 20),
        ("过半", 6, 30, 50),
        ("完成", 12, 31, 100),
    ]:
        ProjectMilestone.objects.create(
            project=project,
            title=title,
            due_date=date(LAST_YEAR, month, day),
            planned_percent=percent,
        )
    return project


@pytest.fixture
def project(city):  # type: ignore[no-untyped-def]
    return make_project()


def approved(
    project,
    month: date,
    amounts: list[int],
    *,
    reviewed: date | None = None,
    sent: date | None = None,
):  # type: ignore[no-untyped-def]
    """An approved report written straight to the tables (dates chosen by the test)."""
    from wenming.livelihood.models import ReportQuantity, ReportStatus

    report = ProgressReport.objects.create(
        project=project,
        month=month,
        text="进展",
        status=ReportStatus.APPROVED,
        reviewed_at=at(reviewed or month),
    )
    ProgressReport.objects.filter(pk=report.pk).update(created_at=at(sent or month))
    for target, amount in zip(project.targets.all(), amounts, strict=False):
        ReportQuantity.objects.create(report=report, target=target, quantity=Decimal(amount))
    return report
