"""The inspection loop through its services: submission → cases → re-inspection → scores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from wenming.cases import services as case_services
from wenming.cases.models import Case, Channel
from wenming.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from wenming.inspections import services
from wenming.inspections.models import ItemResult, Outcome, Recheck, SiteInspection
from wenming.inspections.selectors import inspection_scores, round_scores
from wenming.org.models import Membership, Region, Role

from .conftest import QINGSHAN, STREET_1, STREET_2, answers, assignment_of, jpeg

P, F, NA = Outcome.PASS, Outcome.FAIL, Outcome.NA


def submit(cast, inspection_round, site, site_type, outcomes, submission_id="sub-0001-aaaa"):
    return services.inspection_submit(
        assignment_id=assignment_of(inspection_round, site).pk,
        actor=cast.inspector,
        submission_id=submission_id,
        answers=answers(site_type, outcomes),
        lat=site.lat,
        lon=site.lon,
    )


def test_a_failed_item_becomes_a_case_dispatched_to_the_sites_unit(
    cast, inspection_round, sites, site_type
):
    inspection = submit(cast, inspection_round, sites[0], site_type, [F, P, P])
    finding = inspection.results.get(outcome=F)
    case = finding.case
    assert case.channel == Channel.INSPECTION and not case.is_public
    assert case.state == "dispatched" and case.unit == sites[0].unit
    assert case.category == finding.item.category
    assert case.handle_deadline is not None and case.sign_deadline is not None  # the category's
    assert case.reporter_user == cast.inspector
    assert case.attachments.count() == 1  # the item's photo
    assert finding.photos.count() == 1
    assert inspection.score == Decimal("97.0") and inspection.deductions == Decimal("3.0")


def test_the_form_submitted_twice_creates_exactly_one_case_per_failed_item(
    cast, inspection_round, sites, site_type
):
    before = Case.objects.count()
    first = submit(cast, inspection_round, sites[0], site_type, [F, F, P])
    again = submit(cast, inspection_round, sites[0], site_type, [F, F, P])
    assert again.pk == first.pk
    assert Case.objects.count() == before + 2
    assert SiteInspection.objects.filter(site=sites[0]).count() == 1
    assert ItemResult.objects.filter(inspection=first, outcome=F).count() == 2


def test_a_second_submission_with_another_id_is_refused(cast, inspection_round, sites, site_type):
    submit(cast, inspection_round, sites[0], site_type, [P, P, P])
    with pytest.raises(IllegalTransition):
        submit(
            cast, inspection_round, sites[0], site_type, [F, F, F], submission_id="sub-0002-bbbb"
        )
    assert not Case.objects.filter(title__startswith=sites[0].name).exists()


def test_a_submission_id_cannot_be_reused_for_another_site(
    cast, inspection_round, sites, site_type
):
    submit(cast, inspection_round, sites[0], site_type, [P, P, P])
    with pytest.raises(InvalidInput):
        submit(cast, inspection_round, sites[1], site_type, [P, P, P])


def test_an_inspector_outside_the_round_is_refused(
    cast, inspection_round, sites, site_type, other_inspector
):
    assignment = assignment_of(inspection_round, sites[1])
    for outsider in (other_inspector, cast.handler, cast.dispatcher):
        with pytest.raises(NotFound):
            services.inspection_submit(
                assignment_id=assignment.pk,
                actor=outsider,
                submission_id="sub-outsider-1",
                answers=answers(site_type, [P, P, P]),
            )
    assert not SiteInspection.objects.filter(assignment=assignment).exists()


@pytest.mark.parametrize(
    "outcomes, photos, message",
    [
        ([P, P], True, "Answer every item"),
        ([F, P, P], False, "add a photo"),
        (["maybe", P, P], True, "pass, fail or not applicable"),
    ],
)
def test_incomplete_or_bad_answers_are_refused(
    cast, inspection_round, sites, site_type, outcomes, photos, message
):
    given = answers(site_type, [*outcomes, P][:3] if len(outcomes) < 3 else outcomes, photos)
    if len(outcomes) < 3:
        given = given[: len(outcomes)]
    with pytest.raises(InvalidInput, match=message):
        services.inspection_submit(
            assignment_id=assignment_of(inspection_round, sites[0]).pk,
            actor=cast.inspector,
            submission_id="sub-bad-00001",
            answers=given,
        )
    assert not SiteInspection.objects.filter(site=sites[0]).exists()


def test_a_failed_item_without_required_photo_is_accepted_when_the_item_needs_none(
    cast, inspection_round, sites, site_type
):
    given = answers(site_type, [P, F, P], photos=False)  # item 2 needs no photo
    inspection = services.inspection_submit(
        assignment_id=assignment_of(inspection_round, sites[0]).pk,
        actor=cast.inspector,
        submission_id="sub-nophoto-1",
        answers=given,
    )
    assert inspection.score == Decimal("98.0")


def test_a_closed_round_takes_no_submission(cast, inspection_round, sites, site_type):
    services.round_close(round_id=inspection_round.pk, actor=cast.dispatcher)
    with pytest.raises(IllegalTransition):
        submit(cast, inspection_round, sites[0], site_type, [P, P, P])


def test_a_creator_who_may_not_register_leaves_the_case_submitted(city, sites, site_type, cast):
    """An administrator without dispatch rights (not a superuser) commissions a round: the
    finding's case waits in the dispatcher's queue instead of being lost."""
    office, _ = get_user_model().objects.get_or_create(username="office-admin")
    Membership.objects.get_or_create(
        user=office, role=Role.ADMIN, region_scope=Region.objects.get(code=QINGSHAN)
    )
    inspection_round = services.round_create(
        actor=office,
        name="办公室暗访",
        region=Region.objects.get(code=QINGSHAN),
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 1, 1),
        site_ids=[sites[0].pk],
        inspector=cast.inspector,
    )
    inspection = submit(cast, inspection_round, sites[0], site_type, [F, P, P])
    assert inspection.results.get(outcome=F).case.state == "submitted"


# ---------------------------------------------------------------- re-inspection


def handled_finding(cast, inspection_round, site, site_type) -> ItemResult:
    inspection = submit(cast, inspection_round, site, site_type, [F, P, P])
    finding = inspection.results.get(outcome=F)
    case_services.case_sign(case_id=finding.case_id, actor=cast.handler)
    case_services.case_feedback(
        case_id=finding.case_id, actor=cast.handler, text="已整改", photos=[jpeg()]
    )
    finding.refresh_from_db()
    return finding


def test_a_passed_reinspection_verifies_and_closes_the_case(
    cast, inspection_round, sites, site_type
):
    finding = handled_finding(cast, inspection_round, sites[0], site_type)
    recheck = services.recheck_submit(
        result_id=finding.pk, actor=cast.inspector, submission_id="recheck-001", passed=True
    )
    again = services.recheck_submit(
        result_id=finding.pk, actor=cast.inspector, submission_id="recheck-001", passed=True
    )
    finding.case.refresh_from_db()
    assert again.pk == recheck.pk and Recheck.objects.filter(result=finding).count() == 1
    assert finding.case.state == "closed"
    actions = list(finding.case.events.values_list("action", flat=True))
    assert actions[-2:] == ["verify_pass", "close"]


def test_a_failed_reinspection_sends_the_case_back_for_rework(
    cast, inspection_round, sites, site_type
):
    finding = handled_finding(cast, inspection_round, sites[0], site_type)
    services.recheck_submit(
        result_id=finding.pk,
        actor=cast.inspector,
        submission_id="recheck-002",
        passed=False,
        note="仍有积水",
    )
    finding.case.refresh_from_db()
    assert finding.case.state == "in_progress" and finding.case.rework_count == 1


def test_reinspection_waits_for_the_units_feedback(cast, inspection_round, sites, site_type):
    inspection = submit(cast, inspection_round, sites[0], site_type, [F, P, P])
    finding = inspection.results.get(outcome=F)
    with pytest.raises(IllegalTransition):
        services.recheck_submit(
            result_id=finding.pk, actor=cast.inspector, submission_id="recheck-003", passed=True
        )


def test_reinspection_out_of_scope_is_not_found(
    cast, inspection_round, sites, site_type, other_inspector
):
    finding = handled_finding(cast, inspection_round, sites[0], site_type)  # in 青山路街道
    with pytest.raises(NotFound):
        services.recheck_submit(
            result_id=finding.pk, actor=other_inspector, submission_id="recheck-004", passed=True
        )
    with pytest.raises(NotFound):
        services.recheck_submit(
            result_id=finding.pk, actor=cast.handler, submission_id="recheck-005", passed=True
        )


# ---------------------------------------------------------------- scores


def test_scores_add_up_from_item_deductions_to_region_totals(
    cast, inspection_round, sites, site_type
):
    a, b, c = sites  # A and C: street 1 / unit 1; B: street 2 / unit 2
    first_day = timezone.localdate()  # the submissions may cross midnight
    submit(cast, inspection_round, a, site_type, [F, P, NA], "score-a-0001")  # 100 − 3 = 97
    submit(cast, inspection_round, b, site_type, [F, F, F], "score-b-0001")  # 100 − 10 = 90
    submit(cast, inspection_round, c, site_type, [P, P, P], "score-c-0001")  # 100
    today = timezone.localdate()
    by_unit = inspection_scores(start=first_day, end=today, by="unit")
    by_region = inspection_scores(start=first_day, end=today, by="region")
    street_1, street_2, district = (
        Region.objects.get(code=code).pk for code in (STREET_1, STREET_2, QINGSHAN)
    )
    assert by_unit[a.unit_id] == 98.5 and by_unit[b.unit_id] == 90.0
    assert by_region[street_1] == 98.5 and by_region[street_2] == 90.0
    assert by_region[district] == 95.7  # (97 + 90 + 100) / 3
    scores = round_scores(inspection_round=inspection_round)
    assert [float(s.score) for s in scores.sites] == [90.0, 97.0, 100.0]
    assert {r.code: v for r, v, _n in scores.regions}[QINGSHAN] == 95.7


def test_a_site_score_never_goes_below_zero(cast, inspection_round, sites, site_type):
    from wenming.inspections.models import ChecklistItem

    ChecklistItem.objects.filter(checklist__site_type=site_type).update(deduction=Decimal(60))
    inspection = submit(cast, inspection_round, sites[0], site_type, [F, F, P])
    assert inspection.deductions == Decimal(120) and inspection.score == Decimal(0)


def test_scores_outside_the_period_do_not_count(cast, inspection_round, sites, site_type):
    submit(cast, inspection_round, sites[0], site_type, [F, P, P])
    assert inspection_scores(start=date(2020, 1, 1), end=date(2020, 1, 31), by="unit") == {}
    with pytest.raises(InvalidInput):
        inspection_scores(start=date(2020, 1, 1), end=date(2020, 1, 31), by="site")


# ---------------------------------------------------------------- rounds


def test_only_managers_create_rounds(cast, sites, site_type):
    for user in (cast.inspector, cast.handler, cast.reviewer):
        with pytest.raises(PermissionDenied):
            services.round_create(
                actor=user,
                name="x",
                region=Region.objects.get(code=QINGSHAN),
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 1, 2),
                types=[site_type],
            )


def test_a_round_refuses_an_inspector_whose_scope_misses_a_site(
    cast, inspection_round, sites, other_inspector
):
    with pytest.raises(InvalidInput):
        services.round_assign(
            round_id=inspection_round.pk,
            actor=cast.dispatcher,
            site_ids=[sites[0].pk],
            inspector=other_inspector,
        )
    assert (
        services.round_assign(
            round_id=inspection_round.pk,
            actor=cast.dispatcher,
            site_ids=[sites[1].pk],
            inspector=other_inspector,
        )
        == 1
    )


def test_an_empty_or_backwards_round_is_refused(cast, site_type):
    qingshan = Region.objects.get(code=QINGSHAN)
    with pytest.raises(InvalidInput, match="empty"):
        services.round_create(
            actor=cast.dispatcher,
            name="x",
            region=qingshan,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            types=[site_type],
        )
    with pytest.raises(InvalidInput, match="end before"):
        services.round_create(
            actor=cast.dispatcher,
            name="x",
            region=qingshan,
            starts_on=date(2026, 1, 2),
            ends_on=date(2026, 1, 1),
            types=[site_type],
        )


def test_assigning_notifies_the_inspector(
    cast, inspection_round, django_capture_on_commit_callbacks
):
    from wenming.notify.models import Notification

    Notification.objects.filter(recipient=cast.inspector).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_assign(
            round_id=inspection_round.pk,
            actor=cast.dispatcher,
            site_ids=list(inspection_round.assignments.values_list("site_id", flat=True)),
            inspector=cast.inspector,
        )
    assert Notification.objects.filter(
        recipient=cast.inspector, kind="inspection.assigned"
    ).exists()
