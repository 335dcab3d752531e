"""A livelihood project in a real browser: the lead unit reports the month's progress with a
photo, the civilization office approves it, and the public page on a phone shows it."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wenming.livelihood.models import (
    LivelihoodProject,
    ProgressReport,
    ProjectMilestone,
    ProjectTarget,
    ReportStatus,
)
from wenming.org.models import Region, Unit

from .conftest import make_jpeg, screenshot

pytestmark = pytest.mark.e2e

TEXT = "本月完成青东社区等12个楼院的环境整治。"


def a_project() -> LivelihoodProject:
    today = timezone.localdate()
    project = LivelihoodProject.objects.create(
        year=today.year,
        code="E2E-01",
        title="青山路街道楼院环境整治",
        lead_unit=Unit.objects.get(code="BT-150204001000"),
        region=Region.objects.get(code="150204001000"),
        start_month=date(today.year, 1, 1),
    )
    ProjectTarget.objects.create(
        project=project, name="整治楼院", quantity=Decimal(48), measure="个"
    )
    ProjectMilestone.objects.create(
        project=project, title="完成", due_date=date(today.year, 12, 31), planned_percent=100
    )
    return project


def test_a_unit_reports_the_office_approves_and_citizens_see_it(
    staff, new_phone, live_server, transactional_city, tmp_path
):
    project = a_project()
    month = f"{timezone.localdate():%Y-%m}"

    handler = staff("handler", locale="en-US")
    handler.goto(f"{live_server.url}/staff/livelihood/{project.pk}/")
    handler.get_by_role("link", name="Report progress").click()
    handler.get_by_label("Month", exact=True).fill(month)
    handler.get_by_label("Progress this month").fill(TEXT)
    handler.get_by_label("整治楼院（个）").fill("12")
    handler.get_by_label("Photos after").set_input_files(str(make_jpeg(tmp_path / "after.jpg")))
    screenshot(handler, "livelihood-01-report")
    handler.get_by_role("button", name="Send the report").click()
    expect(handler.get_by_text("The report was sent to the civilization office.")).to_be_visible()
    expect(handler.get_by_text("Waiting for review")).to_be_visible()

    office = staff("admin", locale="en-US")
    office.goto(f"{live_server.url}/staff/livelihood/reports/")
    office.get_by_role("link", name=project.title).click()
    expect(office.get_by_text(TEXT)).to_be_visible()
    screenshot(office, "livelihood-02-review")
    office.get_by_role("button", name="Approve").click()
    expect(office.get_by_text("The report is approved and counts in the progress.")).to_be_visible()
    assert ProgressReport.objects.get().status == ReportStatus.APPROVED

    citizen = new_phone(locale="en-US")
    citizen.goto(f"{live_server.url}/livelihood/")
    citizen.get_by_role("link", name=project.title).click()
    expect(citizen.get_by_text(TEXT)).to_be_visible()
    expect(citizen.get_by_role("progressbar")).to_contain_text("25.0%")
    expect(citizen.get_by_text("12 / 48 个")).to_be_visible()
    expect(citizen.get_by_role("img", name="After").first).to_be_visible()
    screenshot(citizen, "livelihood-03-public")
