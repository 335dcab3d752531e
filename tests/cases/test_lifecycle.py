"""The problem loop through its services: the whole lifecycle, every request flow, and refusals."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.cases import services
from wenming.cases.models import (
    Case,
    CaseRating,
    CaseRequest,
    Channel,
    RequestStatus,
    Satisfaction,
    Visibility,
)
from wenming.cases.selectors import timeline
from wenming.cases.states import MOVES, STAYING, Action, State
from wenming.core.errors import (
    ConcurrentUpdate,
    IllegalTransition,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from wenming.org.models import Unit

from .conftest import jpeg


def actions(case: Case) -> list[str]:
    return list(case.events.order_by("created_at", "id").values_list("action", flat=True))


def test_the_whole_loop_from_report_to_rating(cast, advance):
    case = advance("closed")
    assert re.fullmatch(r"BT\d{8}\d{4}", case.code)
    assert actions(case) == [
        "submit",
        "register",
        "dispatch",
        "sign",
        "feedback",
        "verify_pass",
        "close",
    ]
    assert case.unit.code == "BT-150204001000"
    assert case.handler == cast.handler
    assert case.region.code == "15020400100105"  # the grid found from the location
    assert case.attachments.filter(kind="after").count() == 1
    assert case.closed_at and case.signed_at and case.handled_at

    rating = services.case_rate(
        case_id=case.pk, satisfaction=Satisfaction.SATISFIED, resolved=True, comment="很快"
    )
    assert rating.case == case and not rating.via_callback
    assert actions(case)[-1] == "rate"


def test_every_event_records_actor_states_and_version(cast, advance):
    case = advance("in_progress")
    sign = case.events.get(action=Action.SIGN)
    assert (sign.from_state, sign.to_state, sign.actor) == (
        State.DISPATCHED,
        State.IN_PROGRESS,
        cast.handler,
    )
    assert case.version == 4  # submit creates version 1; register, dispatch, sign add one each


def test_public_timeline_hides_staff_and_internal_events(cast, advance):
    case = advance("in_progress")
    services.case_comment(case_id=case.pk, actor=cast.dispatcher, note="内部备注：涉及物业纠纷")
    public = list(timeline(case, audience="public").values_list("action", flat=True))
    assert "comment" not in public
    assert public == ["submit", "register", "dispatch", "sign"]
    assert "comment" in timeline(case, audience="internal").values_list("action", flat=True)


def test_register_needs_a_category(cast, submit):
    case = submit(category=None)
    with pytest.raises(InvalidInput, match="category"):
        services.case_register(case_id=case.pk, actor=cast.dispatcher)
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_auto_dispatch_category_goes_straight_to_its_unit(cast, submit, category, street_unit):
    from wenming.cases.models import RoutingRule
    from wenming.org.models import Region

    category.auto_dispatch = True
    category.save()
    RoutingRule.objects.update_or_create(
        category=category,
        region=Region.objects.get(code="150204001000"),
        defaults={"unit": street_unit},
    )
    case = services.case_register(case_id=submit().pk, actor=cast.dispatcher)
    assert case.state == State.DISPATCHED
    assert case.unit == street_unit
    assert case.events.get(action=Action.DISPATCH).actor is None


def test_reject_and_answer_need_text_and_close_the_case(cast, submit):
    case = submit()
    with pytest.raises(InvalidInput):
        services.case_reject(case_id=case.pk, actor=cast.dispatcher, reason="  ")
    rejected = services.case_reject(case_id=case.pk, actor=cast.dispatcher, reason="不属于受理范围")
    assert rejected.state == State.REJECTED
    answered = services.case_answer(
        case_id=submit().pk, actor=cast.operator, answer="办理时间为工作日9点至17点"
    )
    assert answered.state == State.CLOSED
    assert answered.events.get(action=Action.ANSWER).visibility == Visibility.PUBLIC


def test_merge_makes_the_duplicate_follow_the_survivor(cast, submit, advance):
    survivor = advance("registered")
    duplicate = submit()
    merged = services.case_merge(case_id=duplicate.pk, actor=cast.dispatcher, into=survivor)
    assert merged.state == State.MERGED and merged.merged_into == survivor
    assert survivor.events.filter(action=Action.COMMENT, data__merged=duplicate.code).exists()
    with pytest.raises(InvalidInput):
        services.case_merge(case_id=survivor.pk, actor=cast.dispatcher, into=survivor)


def test_feedback_needs_text_and_a_photo(cast, advance):
    case = advance("in_progress")
    with pytest.raises(InvalidInput):
        services.case_feedback(case_id=case.pk, actor=cast.handler, text="")
    with pytest.raises(InvalidInput, match="photo"):
        services.case_feedback(case_id=case.pk, actor=cast.handler, text="已处理")
    fake = SimpleUploadedFile("result.jpg", b"this is not an image", content_type="image/jpeg")
    with pytest.raises(InvalidInput, match="not a photo"):
        services.case_feedback(case_id=case.pk, actor=cast.handler, text="已处理", photos=[fake])
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS
    assert not case.attachments.exists()


def test_failed_verification_sends_back_for_rework_and_counts(cast, advance):
    case = advance("handled")
    with pytest.raises(InvalidInput):
        services.case_verify(case_id=case.pk, actor=cast.inspector, passed=False, note="")
    reworked = services.case_verify(
        case_id=case.pk, actor=cast.inspector, passed=False, note="仍有垃圾未清"
    )
    assert reworked.state == State.IN_PROGRESS
    assert reworked.rework_count == 1
    assert reworked.last_action == Action.VERIFY_FAIL
    assert reworked.handle_deadline > reworked.handled_at


def test_return_goes_through_the_unit_lead_then_the_dispatcher(cast, advance):
    case = advance("in_progress")
    request = services.case_request_return(
        case_id=case.pk, actor=cast.handler, reason="该点位属于万青路街道"
    )
    assert request.status == RequestStatus.PENDING_LEAD
    with pytest.raises(IllegalTransition):  # one open request of a kind at a time
        services.case_request_return(case_id=case.pk, actor=cast.handler, reason="再次申请")
    with pytest.raises(PermissionDenied):  # a handler cannot approve their own request
        services.case_request_decide_lead(request_id=request.pk, actor=cast.handler, approve=True)
    services.case_request_decide_lead(request_id=request.pk, actor=cast.unitlead, approve=True)
    with pytest.raises(IllegalTransition):  # already past the lead
        services.case_request_decide_lead(request_id=request.pk, actor=cast.unitlead, approve=True)
    services.case_request_decide(
        request_id=request.pk, actor=cast.dispatcher, approve=True, note="改派"
    )
    case.refresh_from_db()
    assert (
        case.state == State.REGISTERED and case.unit is None and case.last_action == Action.RETURN
    )
    assert CaseRequest.objects.get(pk=request.pk).status == RequestStatus.APPROVED


def test_a_lead_request_goes_straight_to_the_dispatcher_and_can_be_turned_down(cast, advance):
    case = advance("in_progress")
    request = services.case_request_return(
        case_id=case.pk, actor=cast.unitlead, reason="不属于本单位职责"
    )
    assert request.status == RequestStatus.PENDING_DISPATCHER
    services.case_request_decide(
        request_id=request.pk, actor=cast.dispatcher, approve=False, note="属于本单位"
    )
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS and case.unit.code == "BT-150204001000"


def test_extension_moves_the_deadline_by_working_days(cast, advance):
    from wenming.core.calendar import work_calendar

    case = advance("in_progress")
    before = case.handle_deadline
    with pytest.raises(InvalidInput):
        services.case_request_extension(
            case_id=case.pk, actor=cast.handler, reason="需采购", extra_days=0
        )
    request = services.case_request_extension(
        case_id=case.pk, actor=cast.handler, reason="需采购配件", extra_days=5
    )
    services.case_request_decide_lead(request_id=request.pk, actor=cast.unitlead, approve=True)
    services.case_request_decide(request_id=request.pk, actor=cast.dispatcher, approve=True)
    case.refresh_from_db()
    assert case.handle_deadline == work_calendar().add_working_days(before, 5)
    assert case.state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("suspended", "working_days_paused"),
    [
        ("2026-11-23 10:00 +0800", 5),  # a Monday to the next: a working week
        ("2026-09-30 18:00 +0800", 0),  # the National Day holidays (Oct 1-7), after hours
    ],
)
def test_suspension_stops_the_clock(cast, advance, time_machine, suspended, working_days_paused):
    from datetime import timedelta

    from wenming.core.calendar import work_calendar

    time_machine.move_to(suspended, tick=False)
    case = advance("in_progress")
    before = case.handle_deadline
    services.case_suspend(case_id=case.pk, actor=cast.dispatcher, reason="等待产权单位确认")
    with pytest.raises(IllegalTransition):
        services.case_feedback(case_id=case.pk, actor=cast.handler, text="已处理", photos=[jpeg()])
    suspended_at = Case.objects.get(pk=case.pk).suspended_at
    time_machine.move_to(suspended_at + timedelta(days=7), tick=False)
    resumed = services.case_resume(case_id=case.pk, actor=cast.dispatcher)
    # The deadline moves by the working time spent suspended, none for days off.
    assert resumed.handle_deadline == work_calendar().add_working_days(before, working_days_paused)
    assert resumed.suspended_total == timedelta(days=7)
    with pytest.raises(IllegalTransition):
        services.case_resume(case_id=case.pk, actor=cast.dispatcher)


def test_reopen_only_after_a_dissatisfied_or_unresolved_rating(cast, advance):
    case = advance("closed")
    with pytest.raises(IllegalTransition):
        services.case_reopen(case_id=case.pk, actor=cast.dispatcher, reason="回访不满意")
    services.case_rate(
        case_id=case.pk,
        satisfaction=Satisfaction.DISSATISFIED,
        resolved=False,
        comment="垃圾又堆起来了",
    )
    with pytest.raises(IllegalTransition):  # the reporter rates once
        services.case_rate(case_id=case.pk, satisfaction=Satisfaction.SATISFIED, resolved=True)
    reopened = services.case_reopen(
        case_id=case.pk, actor=cast.dispatcher, reason="群众不满意，重办"
    )
    assert (
        reopened.state == State.REGISTERED and reopened.unit is None and reopened.closed_at is None
    )


def test_callback_records_a_rating_by_staff(cast, advance):
    case = advance("closed")
    services.case_rate(
        case_id=case.pk,
        satisfaction=Satisfaction.BASICALLY,
        resolved=True,
        actor=cast.operator,
        via_callback=True,
    )
    assert CaseRating.objects.get(case=case).recorded_by == cast.operator
    with pytest.raises(PermissionDenied):
        services.case_rate(
            case_id=case.pk,
            satisfaction=Satisfaction.SATISFIED,
            resolved=True,
            actor=cast.inspector,
            via_callback=True,
        )


def test_supervision_raises_the_level(cast, advance):
    case = advance("in_progress")
    supervised = services.case_supervise(
        case_id=case.pk, actor=cast.liaison, note="请于今日内处置完毕"
    )
    assert supervised.supervision_level == 1


# ---------------------------------------------------------------- refusals


STATES_REACHABLE = [
    "submitted",
    "registered",
    "dispatched",
    "in_progress",
    "handled",
    "verified",
    "closed",
]
MOVE_CALLS = {
    Action.REGISTER: lambda c, cast, unit: services.case_register(
        case_id=c.pk, actor=cast.dispatcher
    ),
    Action.DISPATCH: lambda c, cast, unit: services.case_dispatch(
        case_id=c.pk, actor=cast.dispatcher, unit=unit
    ),
    Action.SIGN: lambda c, cast, unit: services.case_sign(case_id=c.pk, actor=cast.handler),
    Action.FEEDBACK: lambda c, cast, unit: services.case_feedback(
        case_id=c.pk, actor=cast.handler, text="好", photos=[jpeg()]
    ),
    Action.VERIFY_PASS: lambda c, cast, unit: services.case_verify(
        case_id=c.pk, actor=cast.inspector, passed=True
    ),
    Action.CLOSE: lambda c, cast, unit: services.case_close(case_id=c.pk, actor=cast.dispatcher),
    Action.ANSWER: lambda c, cast, unit: services.case_answer(
        case_id=c.pk, actor=cast.dispatcher, answer="答复"
    ),
    Action.REJECT: lambda c, cast, unit: services.case_reject(
        case_id=c.pk, actor=cast.dispatcher, reason="理由"
    ),
    Action.SUSPEND: lambda c, cast, unit: services.case_suspend(
        case_id=c.pk, actor=cast.dispatcher, reason="理由"
    ),
}
ILLEGAL = [
    (state, action)
    for state in STATES_REACHABLE
    for action in MOVE_CALLS
    if action not in MOVES[state] and state not in STAYING.get(action, set())
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(
    cast, advance, street_unit, state, action
):
    case = advance(state)
    events = case.events.count()
    everyone = dict.fromkeys(
        cast, cast.admin
    )  # a superuser may act anywhere: only the table refuses
    with pytest.raises(IllegalTransition):
        MOVE_CALLS[action](case, type(cast)(everyone), street_unit)
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.version, after.events.count()) == (state, case.version, events)


@pytest.mark.parametrize(
    ("state", "username", "call", "error"),
    [
        (
            "submitted",
            "handler",
            lambda c, u, cast: services.case_register(case_id=c.pk, actor=u),
            NotFound,
        ),
        (
            "submitted",
            "inspector",
            lambda c, u, cast: services.case_register(case_id=c.pk, actor=u),
            PermissionDenied,
        ),
        (
            "registered",
            "inspector",
            lambda c, u, cast: services.case_dispatch(
                case_id=c.pk, actor=u, unit=Unit.objects.get(code="BT-150204001000")
            ),
            PermissionDenied,
        ),
        (
            "dispatched",
            "outsider",
            lambda c, u, cast: services.case_sign(case_id=c.pk, actor=u),
            NotFound,
        ),
        (
            "dispatched",
            "dispatcher",
            lambda c, u, cast: services.case_sign(case_id=c.pk, actor=u),
            PermissionDenied,
        ),
        (
            "in_progress",
            "nobody",
            lambda c, u, cast: services.case_feedback(
                case_id=c.pk, actor=u, text="x", photos=[jpeg()]
            ),
            NotFound,
        ),
        (
            "handled",
            "handler",
            lambda c, u, cast: services.case_verify(case_id=c.pk, actor=u, passed=True),
            PermissionDenied,
        ),
        (
            "verified",
            "inspector",
            lambda c, u, cast: services.case_close(case_id=c.pk, actor=u),
            PermissionDenied,
        ),
        (
            "closed",
            "handler",
            lambda c, u, cast: services.case_reopen(case_id=c.pk, actor=u, reason="x"),
            PermissionDenied,
        ),
    ],
)
def test_wrong_role_is_refused_and_out_of_scope_is_not_found(
    cast, advance, state, username, call, error
):
    case = advance(state)
    with pytest.raises(error):
        call(case, cast[username], cast)
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_stale_version_is_reported_as_a_conflict(cast, advance, street_unit):
    case = advance("registered")
    seen = case.version
    services.case_dispatch(
        case_id=case.pk, actor=cast.dispatcher, unit=street_unit, expected_version=seen
    )
    with pytest.raises(ConcurrentUpdate):
        services.case_redispatch(
            case_id=case.pk,
            actor=cast.dispatcher,
            unit=street_unit,
            note="改派",
            expected_version=seen,
        )


def test_location_outside_the_city_is_refused(submit):
    with pytest.raises(InvalidInput, match="outside"):
        submit(lat=31.23, lon=121.47)
    with pytest.raises(InvalidInput, match="latitude"):
        submit(lat=95.0, lon=109.9)


def test_case_codes_are_unique_and_sequential_per_day(submit):
    codes = [submit().code for _ in range(3)]
    assert len(set(codes)) == 3
    numbers = [int(code[-4:]) for code in codes]
    assert numbers == sorted(numbers) and numbers[2] - numbers[0] == 2


def test_a_case_without_location_belongs_to_the_city(submit):
    case = submit(lat=None, lon=None, channel=Channel.HOTLINE)
    assert case.region.level == "city"
