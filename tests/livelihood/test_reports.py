"""The monthly report flow: the lead unit submits, the office approves or returns; who may
see and do what on the staff pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from wenming.livelihood import selectors, services
from wenming.livelihood.models import ProgressReport, ReportStatus

from .conftest import LAST_YEAR, jpeg, make_project

MAY = date(LAST_YEAR, 5, 1)


def submit(project, user, month=MAY, amounts=(10, 50), **extra):  # type: ignore[no-untyped-def]
    targets = list(project.targets.all())
    quantities = {t.pk: Decimal(a) for t, a in zip(targets, amounts, strict=False)}
    values = {"text": "完成10个楼院整治", "quantities": quantities}
    return services.report_submit(project=project, actor=user, month=month, **{**values, **extra})


def test_the_lead_unit_submits_with_photos_and_it_waits_for_review(cast, project):
    report = submit(project, cast.handler, photos=[("before", jpeg()), ("after", jpeg())])
    assert report.status == ReportStatus.SUBMITTED
    assert sorted(report.photos.values_list("stage", flat=True)) == ["after", "before"]
    assert selectors.standings([project])[project.pk].percent == 0  # not reviewed yet


def test_other_units_cannot_report(cast, project):
    with pytest.raises(PermissionDenied):
        submit(project, cast.outsider)
    with pytest.raises(PermissionDenied):
        submit(project, cast.admin)  # the office reviews; it does not report for the unit


def test_bad_reports_are_refused(cast, project):
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, text="  ")
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, amounts=(-1, 0))
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, photos=[("sideways", jpeg())])
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, photos=[("after", SimpleUploadedFile("x.jpg", b"no"))])
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, month=date(LAST_YEAR - 1, 12, 1))  # before the project
    with pytest.raises(InvalidInput):
        submit(project, cast.handler, month=date(LAST_YEAR + 2, 1, 1))  # not begun
    foreign = make_project("T-09").targets.first()
    with pytest.raises(InvalidInput):
        services.report_submit(
            project=project,
            actor=cast.handler,
            month=MAY,
            text="x",
            quantities={foreign.pk: Decimal(1)},
        )
    assert not ProgressReport.objects.exists()


def test_approval_counts_the_quantities_and_ends_the_review(cast, project):
    report = submit(project, cast.handler)
    services.report_approve(report_id=report.pk, actor=cast.admin, note="属实")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_note) == (
        ReportStatus.APPROVED,
        cast.admin,
        "属实",
    )
    assert selectors.standings([project])[project.pk].percent == Decimal("25.0")  # 25 % + 25 %
    with pytest.raises(IllegalTransition):
        services.report_return(report_id=report.pk, actor=cast.admin, note="再看")
    with pytest.raises(IllegalTransition):  # one live report per month
        submit(project, cast.handler)


def test_a_returned_report_needs_a_reason_and_can_be_submitted_again(cast, project):
    report = submit(project, cast.handler)
    with pytest.raises(InvalidInput):
        services.report_return(report_id=report.pk, actor=cast.admin, note=" ")
    services.report_return(report_id=report.pk, actor=cast.admin, note="缺少照片")
    assert selectors.standings([project])[project.pk].percent == 0
    again = submit(project, cast.handler, photos=[("during", jpeg())])
    assert again.status == ReportStatus.SUBMITTED


def test_only_the_office_reviews(cast, project):
    report = submit(project, cast.handler)
    for user in (cast.handler, cast.unitlead, cast.liaison):
        with pytest.raises(PermissionDenied):
            services.report_approve(report_id=report.pk, actor=user)


# ---------------------------------------------------------------- pages


def test_the_unit_reports_through_the_page(client, cast, project):
    client.force_login(cast.handler)
    url = reverse("livelihood:report_new", args=[project.pk])
    targets = list(project.targets.all())
    response = client.post(
        url,
        {
            "month": f"{LAST_YEAR}-05",
            "text": "本月整治4个楼院",
            f"target_{targets[0].pk}": "4",
            f"target_{targets[1].pk}": "",
            "after": [jpeg()],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.month, report.quantities.get().quantity) == (MAY, Decimal(4))
    assert report.photos.get().stage == "after"


def test_report_page_is_for_the_lead_unit_only(client, cast, project):
    url = reverse("livelihood:report_new", args=[project.pk])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.admin)
    assert client.get(url).status_code == 404
    client.force_login(cast.handler)
    assert client.get(url).status_code == 200


def test_the_office_approves_through_the_review_page(client, cast, project):
    report = submit(project, cast.handler)
    client.force_login(cast.admin)
    page = client.get(reverse("livelihood:review_detail", args=[report.pk]))
    assert page.status_code == 200 and "完成10个楼院整治" in page.content.decode()
    response = client.post(
        reverse("livelihood:review", args=[report.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().status == ReportStatus.APPROVED


def test_returning_without_a_reason_shows_the_error(client, cast, project):
    report = submit(project, cast.handler)
    client.force_login(cast.admin)
    url = reverse("livelihood:review", args=[report.pk])
    detail = reverse("livelihood:review_detail", args=[report.pk])
    response = client.post(
        url, {"decision": "return", "note": ""}, headers={"referer": detail}, follow=True
    )
    assert "Say what needs correcting." in response.content.decode()
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


def test_review_pages_are_for_the_office(client, cast, project):
    report = submit(project, cast.handler)
    client.force_login(cast.handler)
    assert client.get(reverse("livelihood:review_list")).status_code == 404
    assert client.get(reverse("livelihood:review_detail", args=[report.pk])).status_code == 404
    response = client.post(reverse("livelihood:review", args=[report.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


def test_project_pages_are_scoped(client, cast, project):
    city_project = make_project("T-03", unit="BT-CGZF", region="150200000000")
    detail = reverse("livelihood:project_detail", args=[project.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login page
    client.force_login(cast.outsider)  # another street's handler
    assert client.get(detail).status_code == 404
    client.force_login(cast.nobody)
    assert client.get(reverse("livelihood:project_list")).status_code == 404
    client.force_login(cast.handler)
    assert client.get(detail).status_code == 200
    other = reverse("livelihood:project_detail", args=[city_project.pk])
    assert client.get(other).status_code == 404
    client.force_login(cast.liaison)  # 青山区: sees the street's project, not the city's
    assert client.get(detail).status_code == 200
    assert client.get(other).status_code == 404


def test_the_staff_list_flags_lagging_and_overdue_projects(
    client, cast, project, django_assert_max_num_queries
):
    client.force_login(cast.admin)
    for n in range(5):
        make_project(f"T-1{n}")
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("livelihood:project_list"), {"year": LAST_YEAR, "show": "lagging"}
        )
    body = response.content.decode()
    assert body.count("Behind schedule") >= 6 and "12 overdue reports" in body
