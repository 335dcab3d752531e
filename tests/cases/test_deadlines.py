"""Deadlines from the work calendar and the warning scan, with frozen time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wenming.cases import services
from wenming.cases.deadlines import deadlines_scan
from wenming.cases.models import Case, WarningLevel
from wenming.cases.states import Action
from wenming.core.calendar import work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def monday_morning(time_machine):
    # Monday 2026-11-16 09:00 in Baotou: an ordinary working week.
    time_machine.move_to(datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI), tick=False)
    return time_machine


def test_dispatch_sets_sign_and_handle_deadlines_from_the_calendar(cast, advance, monday_morning):
    case = advance("dispatched")
    calendar = work_calendar()
    assert case.sign_deadline == calendar.add_working_hours(case.dispatched_at, 2)
    assert case.handle_deadline == calendar.add_working_days(case.dispatched_at, 3)
    assert case.handle_deadline.astimezone(SHANGHAI).date() == datetime(2026, 11, 19).date()


def test_feedback_sets_the_verify_deadline(cast, advance, monday_morning):
    case = advance("handled")
    assert case.verify_deadline == work_calendar().add_working_days(case.handled_at, 1)


def warn_events(case: Case) -> list[tuple[str, int]]:
    return [
        (e.action, e.data.get("level", 0))
        for e in case.events.filter(action__in=[Action.WARN, Action.SUPERVISE])
    ]


def test_scan_warns_yellow_then_red_once_each_even_when_run_twice(cast, advance, monday_morning):
    case = advance("in_progress")  # handle by Thursday 09:00
    assert deadlines_scan() == {"yellow": 0, "red": 0}

    monday_morning.move_to(
        datetime(2026, 11, 18, 16, 0, tzinfo=SHANGHAI)
    )  # under 1/4 of 3 days left
    assert deadlines_scan() == {"yellow": 1, "red": 0}
    assert deadlines_scan() == {"yellow": 0, "red": 0}
    case.refresh_from_db()
    assert case.warning_level == WarningLevel.YELLOW and case.supervision_level == 0

    monday_morning.move_to(datetime(2026, 11, 19, 10, 0, tzinfo=SHANGHAI))  # overdue
    assert deadlines_scan() == {"yellow": 0, "red": 1}
    assert deadlines_scan() == {"yellow": 0, "red": 0}
    case.refresh_from_db()
    assert case.warning_level == WarningLevel.RED and case.supervision_level == 1
    assert warn_events(case) == [("warn", 1), ("warn", 2), ("supervise", 0)]


def test_scan_notifies_the_unit_and_the_liaison_leader_of_an_overdue_case(
    cast, advance, monday_morning, django_capture_on_commit_callbacks
):
    from wenming.notify.models import Notification

    case = advance("in_progress")
    monday_morning.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_scan()
    recipients = set(
        Notification.objects.filter(kind="case.warning").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"handler", "unitlead", "liaison"} <= recipients
    assert "outsider" not in recipients
    assert case.code in Notification.objects.filter(recipient=cast.liaison).first().title


def test_unsigned_case_is_overdue_after_two_working_hours(cast, advance, monday_morning):
    case = advance("dispatched")
    monday_morning.move_to(datetime(2026, 11, 16, 11, 31, tzinfo=SHANGHAI))
    deadlines_scan()
    case.refresh_from_db()
    assert case.warning_level == WarningLevel.RED


def test_signing_starts_a_fresh_stage_without_warnings(cast, advance, monday_morning):
    case = advance("dispatched")
    monday_morning.move_to(datetime(2026, 11, 16, 11, 31, tzinfo=SHANGHAI))
    deadlines_scan()
    signed = services.case_sign(case_id=case.pk, actor=cast.handler)
    assert signed.warning_level == WarningLevel.NONE


def test_suspended_cases_are_not_warned(cast, advance, monday_morning):
    case = advance("in_progress")
    services.case_suspend(case_id=case.pk, actor=cast.dispatcher, reason="等待法院裁定")
    monday_morning.move_to(datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI))
    assert deadlines_scan() == {"yellow": 0, "red": 0}


def test_deadline_over_the_national_day_holiday(cast, advance, time_machine):
    time_machine.move_to(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
    case = advance("dispatched")  # 3 working days from the eve of the National Day holiday
    local = case.handle_deadline.astimezone(SHANGHAI)
    assert local.date() > datetime(2026, 10, 7).date()
    assert work_calendar().is_workday(local.date())
    assert local - timedelta(days=0) == local
