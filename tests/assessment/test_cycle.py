"""The monthly cycle through its services: tasks, evidence, review, warnings, close, scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from wenming.assessment import services
from wenming.assessment.jobs import open_current_cycle
from wenming.assessment.models import (
    Cycle,
    Indicator,
    IndicatorLevel,
    Method,
    RegionScore,
    Task,
    TaskStatus,
    UnitScore,
)
from wenming.assessment.selectors import task_scores
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.notify.models import Notification
from wenming.org.models import Region, Unit

from .conftest import MONTH, OTHER_UNIT, STREET_UNIT, jpeg, office, pdf, submitted, task_of


def test_opening_a_month_makes_one_task_per_content_and_unit(cycle):
    tasks = set(cycle.tasks.values_list("indicator__code", "unit__code", "is_lead"))
    assert tasks == {
        ("T101", STREET_UNIT, True),
        ("T101", OTHER_UNIT, False),
        ("T102", OTHER_UNIT, True),
    }
    assert cycle.due_on.month == MONTH.month and cycle.due_on.day <= 25


def test_monthly_generation_is_idempotent_and_adds_only_whats_missing(cycle, cast, tree):
    services.cycle_open(month=MONTH + timedelta(days=10), actor=cast.admin)
    assert cycle.tasks.count() == 3 and Cycle.objects.filter(month=MONTH).count() == 1
    Indicator.objects.create(
        code="T103",
        name="新增内容",
        level=IndicatorLevel.CONTENT,
        parent=Indicator.objects.get(code="T1"),
        method=Method.SURVEY,
        lead_unit=Unit.objects.get(code=STREET_UNIT),
    )
    services.cycle_open(month=MONTH, actor=None)
    assert cycle.tasks.count() == 4


def test_the_worker_job_opens_the_current_month(tree):
    open_current_cycle()
    open_current_cycle()
    month = timezone.localdate().replace(day=1)
    cycle = Cycle.objects.get(month=month)
    assert cycle.tasks.filter(indicator__code__startswith="T").count() == 3


def test_only_an_administrator_opens_a_month(tree, cast):
    with pytest.raises(PermissionDenied):
        services.cycle_open(month=MONTH, actor=cast.reviewer)


def test_new_tasks_notify_the_unit(tree, cast, django_capture_on_commit_callbacks):
    Notification.objects.filter(recipient=cast.handler).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(month=MONTH, actor=cast.admin)
    assert Notification.objects.filter(recipient=cast.handler, kind="task.new").count() == 1


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize(
    "upload, kind",
    [
        (lambda: pdf(), "file"),
        (lambda: office("plan.docx", "word/"), "file"),
        (lambda: office("ledger.xlsx", "xl/"), "file"),
        (lambda: jpeg(), "photo"),
    ],
)
def test_units_add_documents_and_photos(cycle, cast, upload, kind):
    evidence = services.evidence_add(
        task_id=task_of(cycle, "T101").pk, actor=cast.handler, text="说明", upload=upload()
    )
    assert evidence.kind == kind and evidence.file.name
    if kind == "photo":
        assert evidence.thumbnail.name


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: pdf("virus.exe"), "Only PDF"),
        (lambda: SimpleUploadedFile_("fake.pdf", b"MZ\x90\x00 not a pdf"), "not a real PDF"),
        (lambda: SimpleUploadedFile_("fake.docx", b"PK not a zip"), "not a real DOCX"),
        (lambda: office("swapped.docx", "xl/"), "not a real DOCX"),
        (lambda: SimpleUploadedFile_("fake.jpg", b"GIF89a nope"), "not a photo"),
        (lambda: pdf(size=21 * 1024 * 1024), "larger than 20 MB"),
    ],
)
def test_bad_files_are_refused_like_case_photos(cycle, cast, upload, message):
    with pytest.raises(InvalidInput, match=message):
        services.evidence_add(
            task_id=task_of(cycle, "T101").pk, actor=cast.handler, upload=upload()
        )
    assert not task_of(cycle, "T101").evidence.exists()


def SimpleUploadedFile_(name, data):  # noqa: N802 - a factory like the class it wraps
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_linked_case_must_be_one_the_unit_can_see(cycle, cast):
    with pytest.raises(InvalidInput, match="No case"):
        services.evidence_add(
            task_id=task_of(cycle, "T101").pk, actor=cast.handler, case_code="BT0"
        )
    with pytest.raises(InvalidInput):
        services.evidence_add(task_id=task_of(cycle, "T101").pk, actor=cast.handler)


def test_evidence_is_for_the_tasks_own_unit(cycle, cast):
    task = task_of(cycle, "T101")
    with pytest.raises(NotFound):
        services.evidence_add(task_id=task.pk, actor=cast.outsider, text="不是我的任务")
    with pytest.raises(PermissionDenied):
        services.evidence_add(task_id=task.pk, actor=cast.reviewer, text="评审员不交材料")


def test_submitting_needs_evidence(cycle, cast):
    with pytest.raises(InvalidInput, match="Add evidence"):
        services.task_submit(task_id=task_of(cycle, "T101").pk, actor=cast.handler)
    task = submitted(task_of(cycle, "T101"), cast.handler)
    assert task.status == TaskStatus.SUBMITTED and task.submitted_at


# ---------------------------------------------------------------- review


def test_a_reviewer_passes_a_task(cycle, cast):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    review = services.task_review(task_id=task.pk, actor=cast.reviewer, passed=True, score=92)
    task.refresh_from_db()
    assert task.status == TaskStatus.PASSED and task.score == Decimal("92.0")
    assert review.reviewer == cast.reviewer
    with pytest.raises(IllegalTransition):
        services.evidence_add(task_id=task.pk, actor=cast.handler, text="又一份")


def test_a_failed_task_gets_a_deadline_and_is_resubmitted_with_new_evidence(cycle, cast):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    with pytest.raises(InvalidInput, match="what is missing"):
        services.task_review(task_id=task.pk, actor=cast.reviewer, passed=False, score=50)
    services.task_review(
        task_id=task.pk, actor=cast.reviewer, passed=False, score=50, comment="缺少照片"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED and task.fail_count == 1
    assert task.rectify_by and task.rectify_by > timezone.localdate()
    with pytest.raises(InvalidInput, match="Add evidence"):
        services.task_submit(task_id=task.pk, actor=cast.handler)  # old evidence is not enough
    task = submitted(task, cast.handler)
    services.task_review(task_id=task.pk, actor=cast.reviewer, passed=True, score=85)
    task.refresh_from_db()
    assert (task.status, task.score, task.fail_count) == (TaskStatus.PASSED, Decimal("85.0"), 1)


@pytest.mark.parametrize("score", [-1, 101, "abc"])
def test_a_score_is_0_to_100(cycle, cast, score):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    with pytest.raises(InvalidInput):
        services.task_review(task_id=task.pk, actor=cast.reviewer, passed=True, score=score)


def test_only_reviewers_grade_and_only_submitted_tasks(cycle, cast):
    task = task_of(cycle, "T101")
    with pytest.raises(IllegalTransition):
        services.task_review(task_id=task.pk, actor=cast.reviewer, passed=True, score=90)
    submitted(task, cast.handler)
    with pytest.raises(PermissionDenied):
        services.task_review(task_id=task.pk, actor=cast.handler, passed=True, score=100)
    with pytest.raises(NotFound):
        services.task_review(task_id=task.pk, actor=cast.outsider, passed=True, score=100)


def test_a_rectification_deadline_in_the_past_is_refused(cycle, cast):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    with pytest.raises(InvalidInput, match="past"):
        services.task_review(
            task_id=task.pk,
            actor=cast.reviewer,
            passed=False,
            score=10,
            comment="x",
            rectify_by=timezone.localdate() - timedelta(days=1),
        )


# ---------------------------------------------------------------- overdue warnings


def test_overdue_tasks_warn_their_unit_once(cycle, cast, django_capture_on_commit_callbacks):
    Notification.objects.filter(recipient=cast.handler).delete()
    late = cycle.due_on + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        warned = services.tasks_overdue_scan(today=late)
        again = services.tasks_overdue_scan(today=late + timedelta(days=1))
    assert warned >= 3 and again == 0  # (the demo's open cycle is late by then too)
    assert cycle.tasks.filter(warned_on=cycle.due_on).count() == 3
    overdue = Notification.objects.filter(recipient=cast.handler, kind="task.overdue")
    assert overdue.filter(title__contains="T101").count() == 1


def test_a_missed_rectification_deadline_warns_again(cycle, cast):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    services.tasks_overdue_scan(today=cycle.due_on + timedelta(days=1))  # others only
    services.task_review(task_id=task.pk, actor=cast.reviewer, passed=False, score=40, comment="x")
    task.refresh_from_db()
    services.tasks_overdue_scan(today=task.rectify_by + timedelta(days=1))
    task.refresh_from_db()
    assert task.warned_on == task.rectify_by


# ---------------------------------------------------------------- close and scores


def graded(cycle, cast):
    """T101/street: 90; T101/other: fails 40; T102/other: no evidence → 0 at the close."""
    a = submitted(task_of(cycle, "T101"), cast.handler)
    services.task_review(task_id=a.pk, actor=cast.reviewer, passed=True, score=90)
    b = submitted(task_of(cycle, "T101", OTHER_UNIT), cast.admin)
    services.task_review(task_id=b.pk, actor=cast.reviewer, passed=False, score=40, comment="x")


def test_closing_computes_unit_and_region_scores(cycle, cast):
    graded(cycle, cast)
    services.cycle_close(cycle_id=cycle.pk, actor=cast.admin)
    cycle.refresh_from_db()
    assert not cycle.is_open and cycle.closed_by == cast.admin
    t102 = task_of(cycle, "T102", OTHER_UNIT)
    assert t102.status == TaskStatus.FAILED and t102.score == 0
    scores = {
        s.unit.code: (s.score, s.tasks, s.failed) for s in UnitScore.objects.filter(cycle=cycle)
    }
    assert scores == {STREET_UNIT: (Decimal("90.0"), 1, 0), OTHER_UNIT: (Decimal("20.0"), 2, 2)}
    regions = {r.region.code: r.score for r in RegionScore.objects.filter(cycle=cycle)}
    assert regions["150204001000"] == Decimal("90.0") and regions["150204002000"] == Decimal("20.0")
    assert regions["150204000000"] == Decimal("43.3")  # (90 + 40 + 0) / 3
    by_unit = task_scores(start=MONTH, end=MONTH + timedelta(days=30), by="unit")
    street = Unit.objects.get(code=STREET_UNIT).pk
    assert by_unit[street] == 90.0
    by_region = task_scores(start=MONTH, end=MONTH + timedelta(days=30), by="region")
    assert by_region[Region.objects.get(code="150204000000").pk] == 43.3
    assert task_scores(start=date(2020, 1, 1), end=date(2020, 2, 1), by="unit") == {}


def test_grading_a_closed_cycle_is_refused(cycle, cast):
    task = submitted(task_of(cycle, "T101"), cast.handler)
    services.task_review(task_id=task.pk, actor=cast.reviewer, passed=True, score=90)
    services.cycle_close(cycle_id=cycle.pk, actor=cast.admin)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.SUBMITTED)  # even if it looked open
    with pytest.raises(IllegalTransition, match="closed"):
        services.task_review(
            task_id=task.pk, actor=cast.reviewer, passed=False, score=0, comment="x"
        )
    with pytest.raises(IllegalTransition):
        services.evidence_add(task_id=task.pk, actor=cast.handler, text="晚了")
    with pytest.raises(IllegalTransition):
        services.cycle_close(cycle_id=cycle.pk, actor=cast.admin)


def test_a_cycle_with_tasks_waiting_for_review_does_not_close(cycle, cast):
    submitted(task_of(cycle, "T101"), cast.handler)
    with pytest.raises(IllegalTransition, match="wait for review"):
        services.cycle_close(cycle_id=cycle.pk, actor=cast.admin)
    with pytest.raises(PermissionDenied):
        services.cycle_close(cycle_id=cycle.pk, actor=cast.reviewer)


def test_a_closed_cycle_gets_no_new_tasks(cycle, cast, tree):
    services.cycle_close(cycle_id=cycle.pk, actor=cast.admin)
    Indicator.objects.create(
        code="T104",
        name="关闭后新增",
        level=IndicatorLevel.CONTENT,
        parent=Indicator.objects.get(code="T1"),
        method=Method.FIELD,
        lead_unit=Unit.objects.get(code=STREET_UNIT),
    )
    services.cycle_open(month=MONTH, actor=cast.admin)
    assert cycle.tasks.count() == 3
