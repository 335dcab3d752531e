"""Campaign activities: who records them, and counts and participants per kind, region and
center over a period (staff page, dashboard, monthly report)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.core.errors import InvalidInput, PermissionDenied
from wenming.livelihood import activities, services
from wenming.livelihood.models import CampaignActivity
from wenming.org.models import Region, Unit
from wenming.volunteers.models import Center

from .conftest import jpeg


def record(actor, day, kind="lecture", participants=50, region="150204001001", **extra):  # type: ignore[no-untyped-def]
    values = {
        "kind": kind,
        "title": "理论宣讲",
        "held_on": day,
        "place": "社区活动室",
        "region": Region.objects.get(code=region),
        "participants": participants,
    }
    if "unit" not in extra and "center" not in extra:
        extra["center"] = Center.objects.filter(region__code="150204000000").first()
    return services.activity_record(actor=actor, **{**values, **extra})


@pytest.fixture
def spread(cast):  # type: ignore[no-untyped-def]
    """Activities in March of two streets of 青山区 and one outside the period."""
    record(cast.centerstaff, date(2026, 3, 1), "lecture", 40)
    record(cast.centerstaff, date(2026, 3, 31), "lecture", 60)
    record(cast.centerstaff, date(2026, 3, 15), "performance", 200, region="150204002001")
    record(cast.centerstaff, date(2026, 4, 1), "training", 30)  # outside March
    unit = Unit.objects.get(code="BT-150204001000")
    record(cast.handler, date(2026, 3, 20), "volunteer", 25, unit=unit)


def test_statistics_over_a_period_per_kind_region_and_center(spread):
    rows = activities.in_period(CampaignActivity.objects.all(), date(2026, 3, 1), date(2026, 3, 31))
    assert activities.totals(rows) == activities.Totals(4, 325)
    kinds = {line.key: (line.count, line.participants) for line in activities.by_kind(rows)}
    assert kinds == {
        "lecture": (2, 100),
        "performance": (1, 200),
        "volunteer": (1, 25),
        "publicity": (0, 0),
        "training": (0, 0),
    }
    streets = {
        line.key: (line.count, line.participants)
        for line in activities.by_region(rows, Region.objects.get(code="150204000000"))
    }
    assert streets["150204001000"] == (3, 125) and streets["150204002000"] == (1, 200)
    assert streets["150204003000"] == (0, 0)
    centers = activities.by_center(rows)
    assert sum(line.count for line in centers) == 3  # the unit's activity has no center
    april = activities.in_period(
        CampaignActivity.objects.all(), date(2026, 4, 1), date(2026, 4, 30)
    )
    assert activities.totals(april) == activities.Totals(1, 30)


def test_recording_is_checked(cast):
    record(cast.centerstaff, date(2026, 3, 1), photos=[jpeg()])
    assert CampaignActivity.objects.get().photos.count() == 1
    with pytest.raises(InvalidInput):
        record(cast.centerstaff, timezone.localdate() + timedelta(days=1))
    with pytest.raises(InvalidInput):
        services.activity_record(
            actor=cast.centerstaff, kind="lecture", title="x", held_on=date(2026, 3, 1),
            place="x", region=Region.objects.get(code="150204001001"), participants=1,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # another district
        record(cast.centerstaff, date(2026, 3, 1), region="150202000000")
    with pytest.raises(PermissionDenied):  # a handler for a unit not theirs
        record(cast.outsider, date(2026, 3, 1), unit=Unit.objects.get(code="BT-150204001000"))


def test_the_activity_page_shows_the_periods_statistics(client, cast, spread):
    client.force_login(cast.centerstaff)
    response = client.get(
        reverse("livelihood:activity_list"), {"start": "2026-03-01", "end": "2026-03-31"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>4</strong> activities, <strong>325</strong> participants" in body
    assert "青山路街道" in body


def test_the_activity_page_is_scoped(client, cast, spread):
    url = reverse("livelihood:activity_list")
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    client.force_login(cast.outsider)  # a handler of 万青路街道: their unit's activities only
    assert "<strong>0</strong> activities" in client.get(url, params).content.decode()
    client.force_login(cast.handler)
    assert "<strong>1</strong> activities" in client.get(url, params).content.decode()
    client.force_login(cast.nobody)
    assert client.get(url).status_code == 404
    assert client.get(reverse("livelihood:activity_new")).status_code == 404


def test_the_page_records_an_activity(client, cast):
    client.force_login(cast.centerstaff)
    center = Center.objects.filter(region__code="150204000000").first()
    response = client.post(
        reverse("livelihood:activity_new"),
        {
            "kind": "publicity", "title": "垃圾分类宣传", "held_on": "2026-03-02", "place": "广场",
            "region": Region.objects.get(code="150204001001").pk, "center": center.pk,
            "participants": "120", "photos": [jpeg()],
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert CampaignActivity.objects.get().participants == 120


def test_the_dashboard_counts_this_months_activities(client, cast):
    today = timezone.localdate()
    record(cast.centerstaff, today, "lecture", 70)
    record(cast.centerstaff, today.replace(day=1) - timedelta(days=1), "lecture", 10)  # last month
    client.force_login(cast.admin)
    data = client.get(reverse("dashboard:data")).json()["activities"]
    assert (data["count"], data["participants"]) == (1, 70)
    assert data["by_kind"][0] == {
        "key": "lecture",
        "label": "Lecture (宣讲)",
        "count": 1,
        "participants": 70,
    }


def test_the_monthly_report_has_the_activities_and_the_projects(cast):
    from reportlab.platypus import Paragraph

    from wenming.accountability.models import PeriodKind
    from wenming.accountability.periods import period_containing
    from wenming.accountability.reports import _styles, _table, cjk_font, monthly_report_pdf
    from wenming.livelihood.reports import monthly_report_section

    from .conftest import make_project

    record(cast.centerstaff, date(2026, 3, 10), "lecture", 45)
    make_project("T-R1", year=2026, start_month=date(2026, 1, 1))
    font = cjk_font()
    region = Region.objects.get(code="150204000000")
    period = period_containing(PeriodKind.MONTH, date(2026, 3, 10))
    parts = monthly_report_section(
        region=region, period=period, styles=_styles(font), font=font, table=_table
    )
    texts = [p.getPlainText() for p in parts if isinstance(p, Paragraph)]
    assert "1 activities with 45 participants." in texts
    assert "1 projects: 0 finished, 1 behind schedule, 1 reports overdue this month." in texts
    pdf = monthly_report_pdf(user=cast.admin, region=region, period=period)
    assert pdf.startswith(b"%PDF")
