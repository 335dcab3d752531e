"""Writes of the monthly assessment cycle: opening a month (月初派单), evidence, submission,
review (月末集审), overdue warnings and the cycle's close with unit and region scores.

Each function locks the row it changes, checks role and scope (assessment.access), refuses an
illegal move with a domain error and notifies after commit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.calendar import work_calendar
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.core.images import photo_normalize
from wenming.core.scope import has_role

from . import notifications
from .access import EVIDENCE_ROLES, MANAGE_ROLES, REVIEW_ROLES, authorize_task
from .files import document_check, is_photo_name
from .models import (
    Cycle,
    CycleStatus,
    Evidence,
    EvidenceKind,
    Indicator,
    IndicatorLevel,
    RegionScore,
    Review,
    Task,
    TaskStatus,
    UnitScore,
)
from .scoring import rounded, score_regions

DUE_DAY = 25  # evidence is due on the 25th (or the workday before), reviews follow at month end
RECTIFY_WORKING_DAYS = 5


def month_start(day: date) -> date:
    return day.replace(day=1)


def default_due_on(month: date) -> date:
    """The 25th of the month, or the last workday before it."""
    due = month.replace(day=DUE_DAY)
    calendar = work_calendar()
    while not calendar.is_workday(due) and due.day > 1:
        due -= timedelta(days=1)
    return due


def _require(actor: User | None, roles: tuple[str, ...]) -> None:
    if actor is None or not has_role(actor, *roles):
        raise PermissionDenied()


# ---------------------------------------------------------------- opening a month


def cycle_open(*, month: date, actor: User | None = None) -> Cycle:
    """Create the month's cycle and its tasks (月初派单). Idempotent: running it again (the
    worker each hour, or an administrator's button) adds only tasks that are missing, e.g. for
    an indicator added since. `actor=None` is the worker. A closed cycle gets no new tasks."""
    if actor is not None:
        _require(actor, MANAGE_ROLES)
    month = month_start(month)
    with transaction.atomic():
        cycle, _created = Cycle.objects.get_or_create(
            month=month, defaults={"due_on": default_due_on(month)}
        )
        if cycle.is_open:
            tasks_generate(cycle=cycle)
    return cycle


def _wanted_tasks(cycle: Cycle) -> list[Task]:
    contents = (
        Indicator.objects.filter(
            level=IndicatorLevel.CONTENT, is_active=True, lead_unit__is_active=True
        )
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
    )
    rows = []
    for indicator in contents:
        rows.append(Task(cycle=cycle, indicator=indicator, unit=indicator.lead_unit, is_lead=True))
        for unit in indicator.cooperating_units.all():
            if unit.is_active and unit.pk != indicator.lead_unit_id:
                rows.append(Task(cycle=cycle, indicator=indicator, unit=unit, is_lead=False))
    for row in rows:
        row.due_on = cycle.due_on
    return rows


def tasks_generate(*, cycle: Cycle) -> int:
    """One task per (content indicator, unit) for the lead unit and each cooperating unit;
    returns how many were new. The unique (cycle, indicator, unit) makes a concurrent second
    run insert nothing."""
    existing = set(cycle.tasks.values_list("indicator_id", "unit_id"))
    new = [t for t in _wanted_tasks(cycle) if (t.indicator_id, t.unit_id) not in existing]
    Task.objects.bulk_create(new, ignore_conflicts=True)
    unit_ids = sorted({t.unit_id for t in new})
    if unit_ids:
        transaction.on_commit(
            lambda: notifications.notify_new_tasks(cycle_id=cycle.pk, unit_ids=unit_ids)
        )
    return len(new)


# ---------------------------------------------------------------- evidence and submission


def _locked_task(task_id: int) -> Task:
    try:
        return (
            Task.objects.select_for_update()
            .select_related("cycle", "unit__region", "indicator")
            .get(pk=task_id)
        )
    except Task.DoesNotExist as exc:
        raise NotFound() from exc


def _check_open(task: Task) -> None:
    if not task.cycle.is_open:
        raise IllegalTransition(_("The cycle is closed; its tasks can no longer change."))


def _evidence_values(
    actor: User, text: str, upload: UploadedFile | None, case_code: str
) -> dict[str, object]:
    from wenming.cases.access import cases_visible

    values: dict[str, object] = {"text": text.strip(), "kind": EvidenceKind.TEXT}
    if upload is not None:
        name = upload.name or "file"
        values["original_name"] = name[:120]
        if is_photo_name(name):
            photo = photo_normalize(upload, name=name)
            values.update(kind=EvidenceKind.PHOTO, file=photo.image, thumbnail=photo.thumbnail)
        else:
            values.update(kind=EvidenceKind.FILE, file=document_check(upload))
    elif case_code.strip():
        case = cases_visible(actor).filter(code=case_code.strip()).first()
        if case is None:
            raise InvalidInput(
                _("No case with the code %(code)s in your area.") % {"code": case_code}
            )
        values.update(kind=EvidenceKind.CASE, case=case)
    elif not values["text"]:
        raise InvalidInput(_("Write a text, choose a file or give a case code."))
    return values


def evidence_add(
    *,
    task_id: int,
    actor: User,
    text: str = "",
    upload: UploadedFile | None = None,
    case_code: str = "",
) -> Evidence:
    """Add one piece of evidence (佐证材料) to a task of the actor's unit: a text, a document
    (PDF/DOCX/XLSX, checked by content), a photo (re-encoded like case photos) or a case."""
    values = _evidence_values(actor, text, upload, case_code)  # checks files before any lock
    with transaction.atomic():
        task = _locked_task(task_id)
        authorize_task(actor, task, EVIDENCE_ROLES)
        _check_open(task)
        if task.status == TaskStatus.PASSED:
            raise IllegalTransition(_("The task has passed; it needs no more evidence."))
        return Evidence.objects.create(task=task, uploaded_by=actor, **values)  # type: ignore[arg-type]


def task_submit(*, task_id: int, actor: User) -> Task:
    """Send the task's evidence for review. A failed task is resubmitted after rectification,
    with new evidence added since its last review."""
    with transaction.atomic():
        task = _locked_task(task_id)
        authorize_task(actor, task, EVIDENCE_ROLES)
        _check_open(task)
        if task.status not in (TaskStatus.PENDING, TaskStatus.FAILED):
            raise IllegalTransition(
                _("Only a task waiting for evidence or rectification can be submitted.")
            )
        last_review = task.reviews.order_by("-created_at", "-id").first()
        evidence = task.evidence.all()
        if last_review is not None:
            evidence = evidence.filter(created_at__gt=last_review.created_at)
        if not evidence.exists():
            raise InvalidInput(_("Add evidence before submitting the task."))
        task.status, task.submitted_at = TaskStatus.SUBMITTED, timezone.now()
        task.save(update_fields=["status", "submitted_at", "updated_at"])
    return task


# ---------------------------------------------------------------- review


def _score(value: object) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("The score is a number from 0 to 100.")) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput(_("The score is a number from 0 to 100."))
    return rounded(score)


def _rectify_by(value: date | None) -> date:
    today = timezone.localdate()
    if value is None:
        return timezone.localtime(
            work_calendar().add_working_days(timezone.now(), RECTIFY_WORKING_DAYS)
        ).date()
    if value < today:
        raise InvalidInput(_("The rectification deadline cannot be in the past."))
    return value


def task_review(
    *,
    task_id: int,
    actor: User,
    passed: bool,
    score: object,
    comment: str = "",
    rectify_by: date | None = None,
) -> Review:
    """集审: grade a submitted task pass or fail with a score (0–100) and a comment. A failure
    gets a rectification deadline (default: 5 working days) and counts against the unit.
    Grading a task of a closed cycle is refused."""
    value = _score(score)
    comment = comment.strip()
    if not passed and not comment:
        raise InvalidInput(_("Say what is missing, for the rectification."))
    with transaction.atomic():
        task = _locked_task(task_id)
        authorize_task(actor, task, REVIEW_ROLES)
        if not task.cycle.is_open:
            raise IllegalTransition(_("The cycle is closed; its grades can no longer change."))
        if task.status != TaskStatus.SUBMITTED:
            raise IllegalTransition(_("Only a task waiting for review can be graded."))
        deadline = None if passed else _rectify_by(rectify_by)
        task.status = TaskStatus.PASSED if passed else TaskStatus.FAILED
        task.score, task.rectify_by, task.warned_on = value, deadline, None
        task.fail_count += 0 if passed else 1
        task.save(
            update_fields=["status", "score", "rectify_by", "warned_on", "fail_count", "updated_at"]
        )
        review = Review.objects.create(
            task=task,
            reviewer=actor,
            passed=passed,
            score=value,
            comment=comment,
            rectify_by=deadline,
        )
        transaction.on_commit(lambda: notifications.notify_reviewed(task_id=task.pk))
    return review


# ---------------------------------------------------------------- overdue warnings


def tasks_overdue_scan(*, today: date | None = None) -> int:
    """Warn the unit of each task past its deadline (evidence due, or rectification), once per
    deadline: a conditional UPDATE of `warned_on` lets only one scanner send it. Idempotent."""
    today = today or timezone.localdate()
    late = Task.objects.filter(cycle__status=CycleStatus.OPEN).filter(
        Q(status=TaskStatus.PENDING, due_on__lt=today)
        | Q(status=TaskStatus.FAILED, rectify_by__lt=today)
    )
    warned = 0
    for task in late.only("pk", "status", "due_on", "rectify_by", "warned_on"):
        deadline = task.deadline
        if deadline is None or task.warned_on == deadline:
            continue
        with transaction.atomic():
            won = (
                Task.objects.filter(pk=task.pk, status=task.status)
                .exclude(warned_on=deadline)
                .update(warned_on=deadline)
            )
            if won:
                warned += 1
                transaction.on_commit(partial(notifications.notify_overdue, task_id=task.pk))
    return warned


# ---------------------------------------------------------------- closing a cycle


def _fail_unsubmitted(cycle: Cycle) -> None:
    """Tasks with no evidence by the close fail with 0 points (they count against the unit)."""
    pending = list(cycle.tasks.filter(status=TaskStatus.PENDING))
    note = _("No evidence was submitted before the cycle closed.")
    Review.objects.bulk_create(
        Review(task=t, reviewer=None, passed=False, score=Decimal(0), comment=note) for t in pending
    )
    cycle.tasks.filter(pk__in=[t.pk for t in pending]).update(
        status=TaskStatus.FAILED, score=Decimal(0), fail_count=1
    )


def _store_scores(cycle: Cycle) -> None:
    rows = list(cycle.tasks.values_list("unit_id", "unit__region__path", "score", "status"))
    by_unit: dict[int, list[tuple[Decimal, bool]]] = defaultdict(list)
    by_region: dict[int, list[Decimal]] = defaultdict(list)
    regions = score_regions(path for _u, path, _sc, _st in rows)
    for unit_id, path, score, status in rows:
        by_unit[unit_id].append((score or Decimal(0), status == TaskStatus.FAILED))
        for region_id in regions[path]:
            by_region[region_id].append(score or Decimal(0))
    UnitScore.objects.bulk_create(
        UnitScore(
            cycle=cycle,
            unit_id=unit_id,
            score=rounded(sum(s for s, _f in values) / len(values)),
            tasks=len(values),
            failed=sum(f for _s, f in values),
        )
        for unit_id, values in by_unit.items()
    )
    RegionScore.objects.bulk_create(
        RegionScore(cycle=cycle, region_id=rid, score=rounded(sum(v) / len(v)), tasks=len(v))
        for rid, v in by_region.items()
    )


def cycle_close(*, cycle_id: int, actor: User) -> Cycle:
    """Close the month: tasks still without evidence fail with 0 points; every submitted task
    must have been reviewed first. Stores each unit's score (mean of its tasks' scores) and each
    district's and street's (mean over the tasks of units based there). No grading after this."""
    _require(actor, MANAGE_ROLES)
    with transaction.atomic():
        try:
            cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        except Cycle.DoesNotExist as exc:
            raise NotFound() from exc
        if not cycle.is_open:
            raise IllegalTransition(_("The cycle is already closed."))
        waiting = cycle.tasks.filter(status=TaskStatus.SUBMITTED).count()
        if waiting:
            raise IllegalTransition(
                _("%(n)s tasks still wait for review; grade them before closing.") % {"n": waiting}
            )
        _fail_unsubmitted(cycle)
        _store_scores(cycle)
        cycle.status, cycle.closed_at, cycle.closed_by = CycleStatus.CLOSED, timezone.now(), actor
        cycle.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return cycle
