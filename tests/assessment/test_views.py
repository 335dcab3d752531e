"""Assessment pages: roles (403), scope (404), the evidence → submit → review flow through the
pages, imports through the page, and list pages whose query count does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.assessment.models import Task, TaskStatus

from .conftest import GOOD_YAML_PATH, pdf, submitted, task_of

PAGES = {
    "assessment:indicators": ["admin", "reviewer", "handler", "liaison"],
    "assessment:cycle_list": ["admin", "reviewer", "unitlead", "liaison"],
    "assessment:my_tasks": ["handler", "unitlead"],
    "assessment:review_queue": ["reviewer"],
    "assessment:scores": ["admin", "reviewer", "liaison"],
    "assessment:indicator_import": ["admin"],
}


@pytest.mark.parametrize("name, users", PAGES.items())
def test_pages_open_for_their_roles(client, cast, cycle, name, users):
    for username in users:
        client.force_login(cast[username])
        assert client.get(reverse(name)).status_code == 200, username


@pytest.mark.parametrize(
    "name, username",
    [
        ("assessment:my_tasks", "reviewer"),
        ("assessment:review_queue", "handler"),
        ("assessment:scores", "handler"),
        ("assessment:indicator_import", "reviewer"),
        ("assessment:cycle_list", "inspector"),
        ("assessment:indicators", "volunteer"),
    ],
)
def test_wrong_roles_get_403(client, cast, cycle, name, username):
    client.force_login(cast[username])
    assert client.get(reverse(name)).status_code == 403


def test_another_units_task_is_404(client, cast, cycle):
    task = task_of(cycle, "T101")  # the handler's street
    client.force_login(cast.outsider)
    assert client.get(reverse("assessment:task_detail", args=[task.pk])).status_code == 404
    response = client.post(reverse("assessment:evidence_add", args=[task.pk]), {"text": "x"})
    assert response.status_code == 404
    client.force_login(cast.handler)
    assert client.get(reverse("assessment:task_detail", args=[task.pk])).status_code == 200


def test_evidence_submit_and_review_through_the_pages(client, cast, cycle):
    task = task_of(cycle, "T101")
    client.force_login(cast.handler)
    client.post(reverse("assessment:evidence_add", args=[task.pk]), {"text": "方案", "file": pdf()})
    client.post(reverse("assessment:task_submit", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SUBMITTED
    client.force_login(cast.reviewer)
    assert "测试内容一" in client.get(reverse("assessment:review_queue")).content.decode()
    page = client.get(reverse("assessment:task_detail", args=[task.pk])).content.decode()
    assert "report.pdf" in page and "Save the review" in page
    client.post(reverse("assessment:task_review", args=[task.pk]), {"passed": "yes", "score": "88"})
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PASSED


def test_a_refused_upload_shows_the_reason(client, cast, cycle):
    task = task_of(cycle, "T101")
    client.force_login(cast.handler)
    response = client.post(
        reverse("assessment:evidence_add", args=[task.pk]),
        {"file": pdf("macro.xlsm")},
        follow=True,
    )
    assert "Only PDF" in response.content.decode()
    assert not task.evidence.exists()


def test_closing_through_the_page_and_grading_afterwards_is_refused(client, cast, cycle):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    client.force_login(cast.reviewer)
    client.post(reverse("assessment:task_review", args=[task.pk]), {"passed": "yes", "score": "70"})
    client.force_login(cast.admin)
    assert client.post(reverse("assessment:cycle_close", args=[cycle.pk])).status_code == 302
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.SUBMITTED)
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("assessment:task_review", args=[task.pk]),
        {"passed": "yes", "score": "99"},
        follow=True,
    )
    assert "closed" in response.content.decode()
    assert Task.objects.get(pk=task.pk).score == 70


def test_indicator_import_page_lists_problems(client, cast, city):
    client.force_login(cast.admin)
    bad = GOOD_YAML_PATH.read_text(encoding="utf-8").replace(
        "lead_unit: BT-JYJ", "lead_unit: BT-ZZZ"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("indicators.yaml", bad.encode())
    page = client.post(reverse("assessment:indicator_import"), {"file": upload}).content.decode()
    assert "Nothing was imported" in page and "BT-ZZZ" in page


def test_exports_download(client, cast, city):
    client.force_login(cast.reviewer)
    for fmt in ("yaml", "xlsx"):
        response = client.get(reverse("assessment:indicator_export", args=[fmt]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


# ---------------------------------------------------------------- query counts


def queries(client, user, url, **params) -> int:
    client.force_login(user)
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name, username",
    [
        ("cycle", "admin"),
        ("assessment:my_tasks", "handler"),
        ("assessment:review_queue", "reviewer"),
    ],
)
def test_task_lists_do_not_grow_queries(client, cast, cycle, tree, name, username):
    from wenming.assessment import services
    from wenming.assessment.models import Indicator, IndicatorLevel, Method
    from wenming.org.models import Unit

    def grow(start, n):
        for i in range(start, start + n):
            Indicator.objects.create(
                code=f"TQ{i:02d}",
                name=f"内容{i}",
                level=IndicatorLevel.CONTENT,
                parent=Indicator.objects.get(code="T1"),
                method=Method.FIELD,
                lead_unit=Unit.objects.get(code="BT-150204001000"),
            )
        services.cycle_open(month=cycle.month, actor=cast.admin)
        for task in cycle.tasks.filter(status=TaskStatus.PENDING, unit__code="BT-150204001000"):
            submitted(task, cast.handler)

    url = reverse("assessment:cycle_detail", args=[cycle.pk]) if name == "cycle" else reverse(name)
    grow(0, 2)
    small = queries(client, cast[username], url)
    grow(2, 8)
    assert queries(client, cast[username], url) == small


@pytest.mark.parametrize("model", ["indicator", "cycle", "task"])
def test_the_admin_lists_assessment_data(client, cast, cycle, model):
    client.force_login(cast.admin)
    assert client.get(reverse(f"admin:assessment_{model}_changelist")).status_code == 200
