"""Case deadlines from the work calendar, and the scan that raises warnings and supervision.

Stages: a dispatched case must be signed by `sign_deadline`, handled by `handle_deadline`
(counted from dispatch, moved by approved extensions and by suspensions), and a handled case
verified by `verify_deadline`. The scan marks a stage "due soon" (yellow) when a quarter or less
of its working time is left, and "overdue" (red, with a supervision event) after the deadline.
It only ever raises a case's warning level with a conditional UPDATE, so running it twice, or
in two workers at once, warns once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from wenming.core.calendar import work_calendar

from .models import Case, CaseEvent, TimeLimit, Visibility, WarningLevel
from .routing import time_limit_for
from .states import Action, State

DUE_SOON_FRACTION = 0.25


def limits(case: Case) -> TimeLimit:
    return time_limit_for(category=case.category, urgency=case.urgency)  # type: ignore[return-value]


def deadline_after(start: datetime, amount: float, unit: str) -> datetime:
    return work_calendar().add(start, amount, unit)


def set_dispatch_deadlines(case: Case, now: datetime) -> list[str]:
    limit = limits(case)
    case.sign_deadline = deadline_after(now, limit.sign_amount, limit.sign_unit)
    case.handle_deadline = deadline_after(now, limit.handle_amount, limit.handle_unit)
    case.verify_deadline = None
    case.warning_level = WarningLevel.NONE
    return ["sign_deadline", "handle_deadline", "verify_deadline", "warning_level"]


def set_rework_deadline(case: Case, now: datetime) -> list[str]:
    limit = limits(case)
    case.handle_deadline = deadline_after(now, limit.handle_amount, limit.handle_unit)
    case.verify_deadline = None
    case.warning_level = WarningLevel.NONE
    return ["handle_deadline", "verify_deadline", "warning_level"]


def set_verify_deadline(case: Case, now: datetime) -> list[str]:
    limit = limits(case)
    case.verify_deadline = deadline_after(now, limit.verify_amount, limit.verify_unit)
    case.warning_level = WarningLevel.NONE
    return ["verify_deadline", "warning_level"]


def extend_handle_deadline(case: Case, extra_days: int) -> list[str]:
    base = case.handle_deadline or timezone.now()
    case.handle_deadline = work_calendar().add_working_days(base, extra_days)
    case.warning_level = WarningLevel.NONE
    return ["handle_deadline", "warning_level"]


def shift_for_suspension(case: Case, now: datetime) -> list[str]:
    """On resume: the deadline moves by the working time the case spent suspended."""
    assert case.suspended_at is not None
    calendar = work_calendar()
    paused = calendar.working_seconds_between(case.suspended_at, now)
    if case.handle_deadline is not None:
        case.handle_deadline = calendar.add_working_hours(case.handle_deadline, paused / 3600)
    case.suspended_total += now - case.suspended_at
    case.suspended_at = None
    return ["handle_deadline", "suspended_total", "suspended_at"]


@dataclass(frozen=True)
class Stage:
    deadline: datetime
    started: datetime


def current_stage(case: Case) -> Stage | None:
    """The deadline the case is running against now, with the moment that stage began."""
    if case.is_suspended:
        return None
    if case.state == State.DISPATCHED and case.sign_deadline and case.dispatched_at:
        return Stage(case.sign_deadline, case.dispatched_at)
    if case.state == State.IN_PROGRESS and case.handle_deadline and case.dispatched_at:
        return Stage(case.handle_deadline, case.signed_at or case.dispatched_at)
    if case.state == State.HANDLED and case.verify_deadline and case.handled_at:
        return Stage(case.verify_deadline, case.handled_at)
    return None


def warning_level_at(case: Case, now: datetime) -> int:
    stage = current_stage(case)
    if stage is None:
        return WarningLevel.NONE
    if now > stage.deadline:
        return WarningLevel.RED
    calendar = work_calendar()
    total = calendar.working_seconds_between(stage.started, stage.deadline)
    left = calendar.working_seconds_between(now, stage.deadline)
    return (
        WarningLevel.YELLOW
        if total > 0 and left <= total * DUE_SOON_FRACTION
        else WarningLevel.NONE
    )


def cases_to_scan() -> Q:
    return Q(
        state__in=[State.DISPATCHED, State.IN_PROGRESS, State.HANDLED], suspended_at__isnull=True
    )


def deadlines_scan(*, now: datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    """Raise warnings for every open case whose stage is due soon or overdue. Idempotent."""
    now = now or timezone.now()
    raised = {"yellow": 0, "red": 0}
    queryset = Case.objects.filter(cases_to_scan()).exclude(warning_level=WarningLevel.RED)
    for case in queryset.select_related("category", "unit").iterator(chunk_size=batch_size):
        level = warning_level_at(case, now)
        if level > case.warning_level and _raise_warning(case, level, now):
            raised["red" if level == WarningLevel.RED else "yellow"] += 1
    return raised


def _raise_warning(case: Case, level: int, now: datetime) -> bool:
    from .notifications import notify_warning

    with transaction.atomic():
        # Conditional UPDATE: only one scanner can raise this level; a second one updates 0 rows.
        won = Case.objects.filter(pk=case.pk, warning_level__lt=level, state=case.state).update(
            warning_level=level,
            supervision_level=F("supervision_level") + (1 if level == WarningLevel.RED else 0),
            version=F("version") + 1,
        )
        if not won:
            return False
        _warning_events(case, level, now)
        transaction.on_commit(lambda: notify_warning(case_id=case.pk, level=level))
    return True


def _warning_events(case: Case, level: int, now: datetime) -> None:
    common = {
        "case": case,
        "from_state": case.state,
        "to_state": case.state,
        "created_at": now,
        "unit": case.unit,
        "actor_label": "system",
        "visibility": Visibility.STAFF,
    }
    label = WarningLevel(level).label
    CaseEvent.objects.create(action=Action.WARN, note=str(label), data={"level": level}, **common)
    if level == WarningLevel.RED:
        CaseEvent.objects.create(
            action=Action.SUPERVISE, note=str(label), data={"automatic": True}, **common
        )
