"""Confirmed hours, the append-only ledger, corrections, star levels and certificates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, connection, models, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.volunteers import selectors, services
from wenming.volunteers.models import (
    Certificate,
    EntryKind,
    ImmutableRecord,
    LedgerEntry,
    StarLevel,
)

NEAR = {"lat": 40.6605, "lon": 109.8805}


@pytest.fixture
def served(make_activity, make_volunteer):  # type: ignore[no-untyped-def]
    """A sign-up that checked in 5 minutes late and out 10 minutes early of a 2-hour shift."""
    signup = services.signup_create(shift=make_activity().shifts.get(), volunteer=make_volunteer())
    start = signup.shift.starts_at
    services.signup_check_in(
        signup=signup, volunteer=signup.volunteer, now=start + timedelta(minutes=5), **NEAR
    )
    return services.signup_check_out(
        signup=signup, volunteer=signup.volunteer, now=start + timedelta(minutes=110), **NEAR
    )


@pytest.fixture
def entry(served, cast):  # type: ignore[no-untyped-def]
    return services.hours_confirm(signup=served, actor=cast.centerstaff)


def test_confirmed_hours_are_the_time_served_inside_the_shift(entry, served):
    assert entry.hours == Decimal("1.7")
    assert entry.kind == EntryKind.SERVICE and entry.signup == served
    assert services.volunteer_total_hours(served.volunteer) == Decimal("1.7")


def test_confirming_hours_twice_is_refused(entry, served, cast):
    with pytest.raises(IllegalTransition, match="already"):
        services.hours_confirm(signup=served, actor=cast.centerstaff)
    assert LedgerEntry.objects.filter(signup=served).count() == 1


def test_given_hours_may_not_exceed_the_shift(served, cast):
    with pytest.raises(InvalidInput):
        services.hours_confirm(signup=served, actor=cast.centerstaff, hours=Decimal("2.5"))
    assert (
        services.hours_confirm(signup=served, actor=cast.centerstaff, hours=Decimal("2")).hours == 2
    )


def test_a_sign_up_without_check_in_gets_no_hours(make_activity, make_volunteer, cast):
    signup = services.signup_create(shift=make_activity().shifts.get(), volunteer=make_volunteer())
    with pytest.raises(IllegalTransition):
        services.hours_confirm(signup=signup, actor=cast.centerstaff, hours=Decimal(1))


def test_the_database_refuses_a_second_service_entry_for_a_sign_up(entry, cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            volunteer=entry.volunteer,
            kind="service",
            hours=1,
            service_date=entry.service_date,
            signup=entry.signup,
            center=entry.center,
            recorded_by=cast.centerstaff,
        )


def test_ledger_rows_cannot_be_saved_again_or_deleted(entry):
    entry.hours = Decimal(100)
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    with pytest.raises(ImmutableRecord):
        LedgerEntry.objects.filter(pk=entry.pk).update(hours=100)
    with pytest.raises(ImmutableRecord):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ImmutableRecord), transaction.atomic():
        LedgerEntry.objects.bulk_update([entry], ["hours"])
    assert LedgerEntry.objects.get(pk=entry.pk).hours == Decimal("1.7")


def test_the_database_trigger_refuses_what_python_cannot_block(entry):
    """A base-class QuerySet.update() (or raw SQL) skips the Python guards; the trigger holds.
    DELETE is refused by the trigger on PostgreSQL; on SQLite only UPDATE is (see migration 0003)."""
    bypass = models.QuerySet(model=LedgerEntry).filter(pk=entry.pk)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        models.QuerySet.update(bypass, hours=100)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE volunteers_ledgerentry SET hours = 99 WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM volunteers_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).hours == Decimal("1.7")


def test_the_admin_is_read_only(entry, cast, client):
    admin = site._registry[LedgerEntry]
    request = RequestFactory().get("/")
    request.user = cast.admin
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert not admin.has_add_permission(request)
    client.force_login(cast.admin)
    change = reverse("admin:volunteers_ledgerentry_change", args=[entry.pk])
    assert client.post(change, {"hours": "99"}).status_code == 403
    delete = reverse("admin:volunteers_ledgerentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk, hours=Decimal("1.7")).exists()


def test_a_correction_is_a_new_entry_pointing_to_the_old(entry, cast):
    correction = services.ledger_correct(
        entry=entry, actor=cast.centerstaff, hours_delta=Decimal("-0.7"), reason="提前离岗"
    )
    assert correction.corrects == entry and correction.kind == EntryKind.CORRECTION
    assert services.volunteer_total_hours(entry.volunteer) == Decimal("1.0")
    with pytest.raises(InvalidInput):
        services.ledger_correct(
            entry=entry, actor=cast.centerstaff, hours_delta=Decimal("-1.1"), reason="x"
        )
    with pytest.raises(InvalidInput):
        services.ledger_correct(
            entry=correction, actor=cast.centerstaff, hours_delta=Decimal("1"), reason="x"
        )
    with pytest.raises(InvalidInput):
        services.ledger_correct(
            entry=entry, actor=cast.centerstaff, hours_delta=Decimal("1"), reason=" "
        )


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        ("0", 0),
        ("99.9", 0),
        ("100", 1),
        ("299.9", 1),
        ("300", 2),
        ("600", 3),
        ("1000", 4),
        ("1500", 5),
        ("9999", 5),
    ],
)
def test_default_star_thresholds(city, hours, stars):
    assert services.star_level_for(Decimal(hours)) == stars


def test_star_thresholds_are_configurable(city):
    StarLevel.objects.filter(stars=1).update(min_hours=50)
    assert services.star_level_for(Decimal(60)) == 1
    StarLevel.objects.all().delete()
    assert services.star_thresholds()[0] == (1, Decimal(100))  # the defaults when none are set


def test_star_progress_of_a_volunteer(entry):
    progress = selectors.star_progress(entry.volunteer)
    assert progress.stars == 0 and progress.next_stars == 1
    assert progress.hours_to_next == Decimal("98.3")


def test_hours_recorded_from_paper_sheets_are_checked(make_volunteer, cast):
    volunteer = make_volunteer()
    with pytest.raises(InvalidInput):
        services.hours_record(
            volunteer=volunteer,
            hours=Decimal(25),
            service_date=timezone.localdate(),
            actor=cast.centerstaff,
            note="纸质",
        )
    with pytest.raises(InvalidInput):
        services.hours_record(
            volunteer=volunteer,
            hours=Decimal(2),
            service_date=timezone.localdate() + timedelta(days=1),
            actor=cast.centerstaff,
            note="纸质",
        )
    assert (
        services.hours_record(
            volunteer=volunteer,
            hours=Decimal(2),
            service_date=timezone.localdate(),
            actor=cast.centerstaff,
            note="纸质",
        ).hours
        == 2
    )


def test_a_certificate_snapshots_the_ledger_with_a_verification_code(entry, cast):
    certificate = services.certificate_issue(volunteer=entry.volunteer, actor=cast.centerstaff)
    assert certificate.total_hours == Decimal("1.7") and certificate.entry_count == 1
    assert len(certificate.code) == 14 and certificate.code.count("-") == 2
    assert selectors.certificate_by_code(certificate.code.lower().replace("-", "")) == certificate
    assert selectors.certificate_by_code("AAAA-AAAA-AAAA") is None
    assert selectors.certificate_by_code("short") is None
    with pytest.raises(ImmutableRecord):
        certificate.save()
    assert Certificate.objects.count() >= 1


def test_no_certificate_without_hours(make_volunteer, cast):
    with pytest.raises(InvalidInput):
        services.certificate_issue(volunteer=make_volunteer(), actor=cast.centerstaff)
    with pytest.raises(IllegalTransition):
        services.certificate_issue(volunteer=make_volunteer(approved=False), actor=cast.centerstaff)
