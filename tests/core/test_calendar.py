"""The work calendar: national holidays and 调休 workdays, admin overrides, office hours, and
deadline arithmetic in working time (see wenming.core.calendar for the semantics)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wenming.core import calendar as calendar_module
from wenming.core.calendar import (
    DEFAULT_PERIODS,
    WorkCalendar,
    invalidate_work_calendar,
    national_is_workday,
    work_calendar,
)
from wenming.core.models import CalendarOverride, OfficeHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600
DAY = 7 * HOUR  # default office hours: 08:30–12:00 and 14:30–18:00


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: float = 0
) -> datetime:
    moment = datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
    return moment + timedelta(seconds=second)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar({}, DEFAULT_PERIODS)


@pytest.fixture
def fresh_cache():  # type: ignore[no-untyped-def]
    """Tests that touch the process cache leave it empty for the next test."""
    invalidate_work_calendar()
    yield
    invalidate_work_calendar()


# -- national calendar ---------------------------------------------------------------------


def test_spring_festival_2026_is_off_with_make_up_saturdays(cal):
    for offset in range(9):  # 2026-02-15 (Sun) .. 2026-02-23 (Mon)
        assert not cal.is_workday(date(2026, 2, 15) + timedelta(days=offset))
    assert cal.is_workday(date(2026, 2, 13))  # Friday before
    assert cal.is_workday(date(2026, 2, 14))  # 调休 Saturday
    assert cal.is_workday(date(2026, 2, 24))  # Tuesday after
    assert cal.is_workday(date(2026, 2, 28))  # 调休 Saturday
    assert not cal.is_workday(date(2026, 2, 21))  # an ordinary Saturday inside the holiday


def test_spring_festival_2026_deadline_skips_the_holiday(cal):
    # Saturday 14th is worked; the next working hour after it is Tuesday 24th.
    assert cal.add_working_hours(at(2026, 2, 13, 17), 2) == at(2026, 2, 14, 9, 30)
    assert cal.add_working_hours(at(2026, 2, 14, 17), 2) == at(2026, 2, 24, 9, 30)
    assert cal.add_working_days(at(2026, 2, 14, 10), 1) == at(2026, 2, 24, 10)
    assert cal.working_seconds_between(at(2026, 2, 14, 18), at(2026, 2, 24, 8, 30)) == 0


def test_national_day_2026(cal):
    off = [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]  # Mid-Autumn
    off += [date(2026, 10, d) for d in range(1, 8)]
    assert not any(cal.is_workday(day) for day in off)
    assert cal.is_workday(date(2026, 9, 20))  # 调休 Sunday
    assert cal.is_workday(date(2026, 9, 30))
    assert cal.is_workday(date(2026, 10, 8))
    assert cal.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 8, 10)
    assert cal.working_seconds_between(at(2026, 9, 30, 8), at(2026, 10, 9, 0)) == 2 * DAY


def test_a_make_up_saturday_is_a_workday(cal):
    saturday = date(2026, 10, 10)
    assert saturday.weekday() == 5 and cal.is_workday(saturday)
    assert cal.add_working_hours(at(2026, 10, 9, 17), 2) == at(2026, 10, 10, 9, 30)
    assert cal.add_working_hours(at(2026, 10, 10, 17), 2) == at(2026, 10, 12, 9, 30)


def test_chinese_calendar_covers_2004_to_2026():
    # Upgrading chinese-calendar moves the edge: update the docstring and the next test.
    assert national_is_workday(date(2004, 1, 2)) is True
    assert national_is_workday(date(2026, 12, 31)) is True
    assert national_is_workday(date(2003, 12, 31)) is None
    assert national_is_workday(date(2027, 1, 4)) is None
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_an_uncovered_year_has_weekends_off_and_no_holidays(cal):
    assert cal.is_workday(date(2027, 1, 1))  # New Year's Day, unknown to the package
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert not cal.is_workday(date(2003, 1, 4))  # Saturday
    assert cal.add_working_hours(at(2026, 12, 31, 17), 2) == at(2027, 1, 1, 9, 30)
    assert cal.add_working_days(at(2027, 1, 1, 10), 1) == at(2027, 1, 4, 10)
    assert cal.working_seconds_between(at(2003, 12, 31, 0), at(2004, 1, 3, 0)) == 2 * DAY


def test_overrides_turn_a_workday_off_and_a_holiday_on():
    cal = WorkCalendar(
        {date(2026, 3, 10): False, date(2026, 10, 5): True, date(2027, 1, 1): False},
        DEFAULT_PERIODS,
    )
    assert not cal.is_workday(date(2026, 3, 10))
    assert cal.add_working_hours(at(2026, 3, 9, 17), 2) == at(2026, 3, 11, 9, 30)
    assert cal.is_workday(date(2026, 10, 5))
    assert cal.add_working_hours(at(2026, 9, 30, 17), 2) == at(2026, 10, 5, 9, 30)
    assert not cal.is_workday(date(2027, 1, 1))  # overrides apply to uncovered years too


# -- working hours -------------------------------------------------------------------------


def test_hours_skip_the_lunch_break(cal):
    assert cal.add_working_hours(at(2026, 3, 10, 11), 1.5) == at(2026, 3, 10, 15)
    assert cal.add_working_hours(at(2026, 3, 10, 11), 1) == at(2026, 3, 10, 12)  # the close
    assert cal.add_working_hours(at(2026, 3, 10, 13), 1) == at(2026, 3, 10, 15, 30)
    assert cal.working_seconds_between(at(2026, 3, 10, 11), at(2026, 3, 10, 15)) == 1.5 * HOUR


def test_hours_run_overnight_and_over_the_weekend(cal):
    assert cal.add_working_hours(at(2026, 3, 10, 17), 2) == at(2026, 3, 11, 9, 30)  # Tue → Wed
    assert cal.add_working_hours(at(2026, 3, 13, 17), 2) == at(2026, 3, 16, 9, 30)  # Fri → Mon
    assert cal.add_working_hours(at(2026, 3, 13, 17), 1) == at(2026, 3, 13, 18)
    assert cal.add_working_hours(at(2026, 3, 14, 10), 1) == at(2026, 3, 16, 9, 30)  # from Sat
    assert cal.add_working_hours(at(2026, 3, 13, 10), 7) == at(2026, 3, 16, 10)
    assert cal.add_working_hours(at(2026, 3, 2, 8, 30), 5 * 7) == at(2026, 3, 6, 18)


def test_zero_and_negative_hours(cal):
    assert cal.add_working_hours(at(2026, 3, 10, 10), 0) == at(2026, 3, 10, 10)
    assert cal.add_working_hours(at(2026, 3, 14, 10), 0) == at(2026, 3, 14, 10)  # unchanged
    assert cal.add_working_hours(at(2026, 3, 14, 10), 0.001) == at(2026, 3, 16, 8, 30, 3.6)
    assert cal.add_working_hours(at(2026, 3, 16, 10), -1.5) == at(2026, 3, 16, 8, 30)
    assert cal.add_working_hours(at(2026, 3, 16, 10), -2) == at(2026, 3, 13, 17, 30)
    assert cal.add_working_hours(at(2026, 3, 16, 9), -0.5) == at(2026, 3, 16, 8, 30)


def test_a_long_limit_skips_years_quickly(cal):
    later = cal.add_working_hours(at(2020, 1, 2, 9), 250 * 7 * 6)
    assert cal.working_seconds_between(at(2020, 1, 2, 9), later) == 250 * 7 * 6 * HOUR
    assert cal.add_working_hours(later, -250 * 7 * 6) == at(2020, 1, 2, 9)


# -- working days --------------------------------------------------------------------------


def test_days_keep_the_position_in_the_working_day(cal):
    assert cal.add_working_days(at(2026, 3, 13, 10), 1) == at(2026, 3, 16, 10)  # Fri → Mon
    assert cal.add_working_days(at(2026, 3, 10, 10), 3) == at(2026, 3, 13, 10)
    assert cal.add_working_days(at(2026, 3, 16, 10), -1) == at(2026, 3, 13, 10)
    assert cal.add_working_days(at(2026, 3, 10, 10), 0) == at(2026, 3, 10, 10)
    assert cal.add_working_days(at(2026, 3, 14, 10), 0) == at(2026, 3, 14, 10)  # unchanged


def test_days_from_a_close_keep_the_close(cal):
    assert cal.add_working_days(at(2026, 3, 16, 18), 1) == at(2026, 3, 17, 18)
    assert cal.add_working_days(at(2026, 3, 16, 12), 2) == at(2026, 3, 18, 12)
    assert cal.add_working_days(at(2026, 3, 16, 8, 30), 1) == at(2026, 3, 17, 8, 30)


def test_days_from_outside_office_hours_count_from_the_next_opening(cal):
    assert cal.add_working_days(at(2026, 3, 14, 10), 1) == at(2026, 3, 17, 8, 30)  # Sat
    assert cal.add_working_days(at(2026, 3, 13, 19), 1) == at(2026, 3, 17, 8, 30)  # Fri night
    assert cal.add_working_days(at(2026, 3, 10, 13), 1) == at(2026, 3, 11, 14, 30)  # lunch
    assert cal.add_working_days(at(2026, 3, 10, 7), 1) == at(2026, 3, 11, 8, 30)  # early


def test_add_dispatches_on_the_unit(cal):
    start = at(2026, 3, 13, 10)
    assert cal.add(start, 2, "hours") == cal.add_working_hours(start, 2)
    assert cal.add(start, 3, "days") == cal.add_working_days(start, 3)
    assert cal.add(start, 0.5, "days") == cal.add_working_hours(start, 3.5)
    with pytest.raises(ValueError):
        cal.add(start, 1, "weeks")


# -- datetimes, zones, configuration ---------------------------------------------------------


def test_results_are_aware_in_the_project_zone_whatever_the_input_zone(cal):
    result = cal.add_working_hours(datetime(2026, 3, 13, 2, tzinfo=UTC), 1)  # 10:00 Shanghai
    assert result == at(2026, 3, 13, 11)
    assert result.utcoffset() == timedelta(hours=8)


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_hours(datetime(2026, 3, 13, 10), 1)
    with pytest.raises(ValueError):
        cal.working_seconds_between(datetime(2026, 3, 13, 10), at(2026, 3, 13, 11))


def test_custom_periods():
    cal = WorkCalendar({}, [(time(13), time(17)), (time(9), time(12))])
    assert cal.working_hours_per_day == 7
    assert cal.add_working_hours(at(2026, 3, 10, 11), 2) == at(2026, 3, 10, 14)
    with pytest.raises(ValueError):
        WorkCalendar({}, [(time(9), time(12)), (time(11), time(14))])
    with pytest.raises(ValueError):
        WorkCalendar({}, [(time(12), time(9))])
    with pytest.raises(ValueError):
        WorkCalendar({}, [])


# -- properties --------------------------------------------------------------------------------

# Shared across examples (a calendar builds each year's table once).
NATIONAL = WorkCalendar({}, DEFAULT_PERIODS)
WITH_OVERRIDES = WorkCalendar(
    {date(2026, 3, 10): False, date(2026, 3, 14): True, date(2027, 1, 1): False}, DEFAULT_PERIODS
)
starts = st.datetimes(
    min_value=datetime(2002, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(SHANGHAI)
)


@settings(max_examples=300, deadline=None)
@given(start=starts, hours=st.floats(min_value=-3000, max_value=3000, allow_nan=False))
def test_adding_hours_adds_exactly_that_working_time(start, hours):
    cal = WITH_OVERRIDES
    result = cal.add_working_hours(start, hours)
    assert abs(cal.working_seconds_between(start, result) - hours * HOUR) < 1
    if hours * HOUR >= 1:
        assert result > start
    if hours * HOUR <= -1:
        assert result < start


@settings(max_examples=200, deadline=None)
@given(start=starts, days=st.integers(min_value=-400, max_value=400))
def test_adding_days_adds_days_times_working_hours(start, days):
    cal = NATIONAL
    result = cal.add_working_days(start, days)
    assert cal.working_seconds_between(start, result) == days * DAY
    assert cal.is_workday(result.date()) or days == 0


def _oracle_seconds(cal: WorkCalendar, start: datetime, end: datetime) -> float:
    """Working seconds by summing each period's overlap, day by day."""
    total = 0.0
    day = start.date() - timedelta(days=1)
    while day <= end.date() + timedelta(days=1):
        if cal.is_workday(day):
            for opens, closes in DEFAULT_PERIODS:
                low = max(start, datetime.combine(day, opens, SHANGHAI))
                high = min(end, datetime.combine(day, closes, SHANGHAI))
                total += max((high - low).total_seconds(), 0)
        day += timedelta(days=1)
    return total


@settings(max_examples=200, deadline=None)
@given(start=starts, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_working_seconds_match_a_day_by_day_count_and_are_antisymmetric(start, span):
    cal = WITH_OVERRIDES
    end = start + span
    assert cal.working_seconds_between(start, end) == pytest.approx(
        _oracle_seconds(cal, start, end), abs=1e-6
    )
    assert cal.working_seconds_between(end, start) == -cal.working_seconds_between(start, end)


# -- the process's calendar ----------------------------------------------------------------


@pytest.mark.django_db
def test_work_calendar_defaults_and_costs_no_query_when_cached(
    fresh_cache, django_assert_num_queries
):
    calendar = work_calendar()
    assert calendar.working_hours_per_day == 7
    with django_assert_num_queries(0):
        assert work_calendar() is calendar


@pytest.mark.django_db
def test_work_calendar_reads_overrides_and_office_hours(fresh_cache):
    CalendarOverride.objects.create(date=date(2026, 3, 10), is_workday=False, note="storm")
    OfficeHours.objects.create(start=time(9), end=time(12))
    OfficeHours.objects.create(start=time(13), end=time(17))
    invalidate_work_calendar()
    calendar = work_calendar()
    assert not calendar.is_workday(date(2026, 3, 10))
    assert calendar.add_working_hours(at(2026, 3, 9, 16), 2) == at(2026, 3, 11, 10)


@pytest.mark.django_db
def test_work_calendar_notices_changes_after_the_check_interval(fresh_cache, monkeypatch):
    before = work_calendar()
    CalendarOverride.objects.create(date=date(2026, 3, 10), is_workday=False)
    assert work_calendar() is before  # within the interval: no query, old calendar
    monkeypatch.setattr(calendar_module, "FINGERPRINT_TTL_SECONDS", 0.0)
    after = work_calendar()
    assert after is not before and not after.is_workday(date(2026, 3, 10))
    assert work_calendar() is after  # rows unchanged: checked, not rebuilt


def test_year_tables_agree_with_chinese_calendar_on_every_covered_day():
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert NATIONAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# -- admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast.admin)
    return client


def test_admin_overrides_change_the_calendar_after_commit(
    admin_client, fresh_cache, django_capture_on_commit_callbacks
):
    assert work_calendar().is_workday(date(2026, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_calendaroverride_add"),
            {"date": "2026-03-10", "is_workday": "", "note": "sandstorm"},
        )
    assert response.status_code == 302
    assert not work_calendar().is_workday(date(2026, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_calendaroverride_add"),
            {"date": "2026-10-05", "is_workday": "on", "note": "campaign inspection"},
        )
    assert work_calendar().is_workday(date(2026, 10, 5))


def test_admin_delete_restores_the_national_calendar(
    admin_client, fresh_cache, django_capture_on_commit_callbacks
):
    one = CalendarOverride.objects.create(date=date(2026, 3, 10), is_workday=False)
    two = CalendarOverride.objects.create(date=date(2026, 10, 5), is_workday=True)
    invalidate_work_calendar()
    assert not work_calendar().is_workday(date(2026, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_calendaroverride_delete", args=[one.pk]), {"post": "yes"}
        )
    assert work_calendar().is_workday(date(2026, 3, 10))
    assert work_calendar().is_workday(date(2026, 10, 5))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_calendaroverride_changelist"),
            {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
        )
    assert not CalendarOverride.objects.exists()
    assert not work_calendar().is_workday(date(2026, 10, 5))


def test_admin_override_list_shows_the_national_calendar(admin_client):
    CalendarOverride.objects.create(date=date(2026, 10, 5), is_workday=True, note="inspection")
    CalendarOverride.objects.create(date=date(2027, 2, 8), is_workday=False, note="snow")
    page = admin_client.get(reverse("admin:core_calendaroverride_changelist")).content.decode()
    assert "inspection" in page and "day off" in page
    assert "no data for this year" in page


def test_admin_office_hours_change_the_working_day(
    admin_client, fresh_cache, django_capture_on_commit_callbacks
):
    url = reverse("admin:core_officehours_add")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"start": "09:00", "end": "12:00"}).status_code == 302
        assert admin_client.post(url, {"start": "13:00", "end": "17:00"}).status_code == 302
    calendar = work_calendar()
    assert calendar.working_hours_per_day == 7
    assert calendar.add_working_hours(at(2026, 3, 10, 11), 2) == at(2026, 3, 10, 14)
    page = admin_client.get(reverse("admin:core_officehours_changelist")).content.decode()
    assert "7.00 working hours a day" in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("12:00", "09:00", "must end after it starts"),
        ("10:00", "10:00", "must end after it starts"),
        ("11:00", "15:00", "overlaps the working period 08:30–12:00"),
        ("07:00", "19:00", "overlaps"),
    ],
)
def test_admin_refuses_bad_office_hours(admin_client, start, end, message):
    OfficeHours.objects.create(start=time(8, 30), end=time(12))
    response = admin_client.post(
        reverse("admin:core_officehours_add"), {"start": start, "end": end}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OfficeHours.objects.count() == 1


def test_admin_office_hours_edit_does_not_clash_with_itself(admin_client):
    period = OfficeHours.objects.create(start=time(8, 30), end=time(12))
    url = reverse("admin:core_officehours_change", args=[period.pk])
    assert admin_client.post(url, {"start": "08:00", "end": "12:00"}).status_code == 302
    period.refresh_from_db()
    assert period.start == time(8)


def test_admin_office_hours_list_explains_the_default(admin_client):
    page = admin_client.get(reverse("admin:core_officehours_changelist")).content.decode()
    assert "the default office hours 08:30–12:00, 14:30–18:00 apply" in page


def test_calendar_admin_is_closed_to_staff_without_admin_rights(client, cast):
    client.force_login(cast.dispatcher)
    for name in ["admin:core_calendaroverride_add", "admin:core_officehours_add"]:
        response = client.post(reverse(name), {"start": "09:00", "end": "10:00"})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not OfficeHours.objects.exists() and not CalendarOverride.objects.exists()
