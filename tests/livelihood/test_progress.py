"""Progress arithmetic, lag against the milestone schedule, report deadlines and overdue
reports, and the metrics they feed for the lead unit."""

from datetime import date
from decimal import Decimal

import pytest

from wenming.accountability import selectors as metrics
from wenming.accountability.models import PeriodKind
from wenming.accountability.periods import period_containing
from wenming.core.calendar import invalidate_work_calendar
from wenming.core.models import CalendarOverride
from wenming.livelihood import progress, selectors

from .conftest import LAST_YEAR, approved, make_project

D = Decimal


def test_percent_is_capped_rounded_and_safe_on_zero():
    assert progress.percent(D(27), D(108)) == D("25.0")
    assert progress.percent(D(1), D(3)) == D("33.3")
    assert progress.percent(D(250), D(200)) == D(100)  # overshooting is not extra progress
    assert progress.percent(D(5), D(0)) == D(0)


def test_project_percent_is_the_mean_of_its_targets():
    assert progress.project_percent([(D(20), D(40)), (D(200), D(200))]) == D("75.0")
    assert progress.project_percent([(D(300), D(200)), (D(0), D(10))]) == D("50.0")
    assert progress.project_percent([]) == D(0)


def test_expected_progress_follows_the_latest_milestone_due():
    schedule = [(date(2025, 3, 31), 20), (date(2025, 6, 30), 50), (date(2025, 12, 31), 100)]
    assert progress.expected_percent(schedule, date(2025, 3, 30)) == 0
    assert progress.expected_percent(schedule, date(2025, 3, 31)) == 20
    assert progress.expected_percent(schedule, date(2025, 7, 1)) == 50
    assert progress.expected_percent(schedule, date(2026, 1, 1)) == 100


def test_a_project_lags_once_a_milestone_passes_unmet(project):
    approved(project, date(LAST_YEAR, 2, 1), [8, 40], reviewed=date(LAST_YEAR, 3, 5))  # 20 %
    on_time = selectors.standings([project], on=date(LAST_YEAR, 3, 31))[project.pk]
    assert (on_time.percent, on_time.expected, on_time.lagging) == (D("20.0"), 20, False)
    late = selectors.standings([project], on=date(LAST_YEAR, 6, 30))[project.pk]
    assert (late.expected, late.lagging) == (50, True)
    approved(project, date(LAST_YEAR, 5, 1), [12, 60], reviewed=date(LAST_YEAR, 6, 30))  # 50 %
    caught_up = selectors.standings([project], on=date(LAST_YEAR, 6, 30))[project.pk]
    assert (caught_up.percent, caught_up.lagging) == (D("50.0"), False)


def test_only_approved_reports_count_and_only_from_their_approval(project):
    from wenming.livelihood.models import ReportStatus

    report = approved(project, date(LAST_YEAR, 1, 1), [40, 200], reviewed=date(LAST_YEAR, 2, 10))
    assert selectors.standings([project], on=date(LAST_YEAR, 2, 9))[project.pk].percent == 0
    assert selectors.standings([project], on=date(LAST_YEAR, 2, 10))[project.pk].finished
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert selectors.standings([project])[project.pk].percent == 0


def test_a_report_is_due_on_the_fifth_working_day_of_the_next_month(db):
    assert progress.report_due(date(2026, 6, 1)) == date(2026, 7, 7)  # Wed 1 … Tue 7
    CalendarOverride.objects.create(date=date(2026, 7, 2), is_workday=False, note="test")
    invalidate_work_calendar()
    try:
        assert progress.report_due(date(2026, 6, 1)) == date(2026, 7, 8)
    finally:
        invalidate_work_calendar()


def test_missing_and_late_reports_are_overdue_on_time_ones_are_not(project):
    jan, feb, mar = date(LAST_YEAR, 1, 1), date(LAST_YEAR, 2, 1), date(LAST_YEAR, 3, 1)
    approved(project, jan, [1, 1], sent=progress.report_due(jan))  # on the due day: on time
    approved(project, feb, [1, 1], sent=date(LAST_YEAR, 3, 28))  # late
    today = progress.report_due(mar)  # March's deadline not passed yet
    overdue = selectors.overdue_reports([project], today=today)
    assert [(o.month, o.submitted) for o in overdue] == [(feb, date(LAST_YEAR, 3, 28))]
    later = selectors.overdue_reports([project], today=date(LAST_YEAR, 5, 1))
    assert [o.month for o in later] == [feb, mar]


def test_a_returned_report_sent_in_time_is_not_overdue(project):
    from wenming.livelihood.models import ProgressReport, ReportStatus

    jan = date(LAST_YEAR, 1, 1)
    first = approved(project, jan, [1, 1], sent=date(LAST_YEAR, 2, 2))
    ProgressReport.objects.filter(pk=first.pk).update(status=ReportStatus.RETURNED)
    approved(project, jan, [1, 1], sent=date(LAST_YEAR, 2, 20))  # the corrected one
    assert ProgressReport.objects.filter(project=project, month=jan).count() == 2
    overdue = selectors.overdue_reports([project], today=date(LAST_YEAR, 2, 28))
    assert overdue == []


@pytest.mark.django_db
def test_lagging_projects_and_overdue_reports_count_in_the_lead_units_metrics(cast, project):
    other = make_project("T-02", unit="BT-CGZF", region="150200000000")
    for month in range(1, 13):  # `other` is on schedule, reported on time every month
        first = date(LAST_YEAR, month, 1)
        approved(other, first, [4, 20], reviewed=first, sent=progress.report_due(first))
    period = period_containing(PeriodKind.YEAR, date(LAST_YEAR, 6, 1))
    rows = {r.code: r for r in metrics.unit_metrics(user=cast.admin, period=period)}
    lead, on_track = rows["BT-150204001000"], rows["BT-CGZF"]
    assert lead.livelihood_lagging == 1
    assert lead.livelihood_overdue_reports == 11  # Jan–Nov due in the year; Dec's is due in Jan
    assert (on_track.livelihood_lagging, on_track.livelihood_overdue_reports) == (0, 0)
    assert rows["BT-JTJ"].livelihood_lagging is None  # no projects: no number
    region_rows = metrics.region_metrics(user=cast.admin, period=period)
    assert region_rows[0].livelihood_overdue_reports == 11  # the city sums its projects
