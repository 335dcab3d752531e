"""The retention job anonymises the reporters of cases closed longer ago than the configured
period, and nothing else."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wenming.audit.models import AuditEntry
from wenming.cases.models import Case
from wenming.core.periodic import registered_jobs
from wenming.portal.models import BoardMessage
from wenming.privacy.services import reporters_retention_run


def closed_days_ago(advance, days: int) -> Case:
    case = advance("closed")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))
    return case


def test_old_closed_cases_lose_their_reporter_and_keep_the_rest(advance, settings):
    settings.WENMING_REPORTER_RETENTION_DAYS = 365
    old = closed_days_ago(advance, 400)
    assert reporters_retention_run() == 1
    case = Case.objects.get(pk=old.pk)
    assert (case.reporter_name, case.reporter_phone, case.reporter_phone_masked) == ("", "", "")
    assert (case.reporter_phone_hash, case.reporter_phone_tail) == ("", "")
    assert case.title == old.title and case.state == "closed"
    assert case.events.count() == old.events.count()
    entry = AuditEntry.objects.get(action="privacy.retention")
    assert "1 cases" in entry.summary


def test_recent_closed_and_open_cases_keep_their_reporter(advance, settings):
    settings.WENMING_REPORTER_RETENTION_DAYS = 365
    recent = closed_days_ago(advance, 30)
    open_case = advance("in_progress")
    Case.objects.filter(pk=open_case.pk).update(reported_at=timezone.now() - timedelta(days=900))
    assert reporters_retention_run() == 0
    assert Case.objects.get(pk=recent.pk).reporter_phone == "13912345678"
    assert Case.objects.get(pk=open_case.pk).reporter_name == "李女士"
    assert not AuditEntry.objects.exists()


def test_the_period_comes_from_the_setting(advance, settings):
    case = closed_days_ago(advance, 400)
    settings.WENMING_REPORTER_RETENTION_DAYS = 500
    assert reporters_retention_run() == 0
    settings.WENMING_REPORTER_RETENTION_DAYS = 399
    assert reporters_retention_run() == 1
    assert Case.objects.get(pk=case.pk).reporter_name == ""


def test_a_second_run_changes_nothing(advance, settings):
    settings.WENMING_REPORTER_RETENTION_DAYS = 365
    closed_days_ago(advance, 400)
    assert reporters_retention_run() == 1
    assert reporters_retention_run() == 0


def test_the_board_message_behind_an_old_case_is_anonymised_too(advance, settings):
    settings.WENMING_REPORTER_RETENTION_DAYS = 365
    case = closed_days_ago(advance, 400)
    message = BoardMessage.objects.create(
        code="M1",
        submit_token="x",
        kind="complaint",
        title="t",
        body="b",
        author_name="王",
        author_phone="13912345678",
        case=case,
    )
    reporters_retention_run()
    message.refresh_from_db()
    assert (message.author_name, message.author_phone, message.author_phone_hash) == ("", "", "")


def test_the_job_is_registered_for_the_worker(db):
    assert "privacy.reporters_retention" in {job.name for job in registered_jobs()}
