"""Property: whatever sequence of actions random roles attempt on a case, the case only ever
moves as the state table allows, every accepted action leaves its event on the timeline, and
a refused one changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import jpeg
from tests.conftest import make_cast
from wenming.cases import services
from wenming.cases.models import Case, CaseEvent, Category, Channel
from wenming.cases.states import MOVES, STAYING, Action, allowed_actions
from wenming.core.errors import DomainError
from wenming.org.models import Region, Unit

STREET_UNIT = "BT-150204001000"


def _attempts(unit: Unit) -> dict[str, Callable[[int, Any], object]]:
    """What each action does, through the real services (action name → call)."""
    return {
        Action.REGISTER: lambda c, u: services.case_register(case_id=c, actor=u),
        Action.REJECT: lambda c, u: services.case_reject(case_id=c, actor=u, reason="不属实"),
        Action.ANSWER: lambda c, u: services.case_answer(case_id=c, actor=u, answer="已解答"),
        Action.DISPATCH: lambda c, u: services.case_dispatch(case_id=c, actor=u, unit=unit),
        Action.REDISPATCH: lambda c, u: services.case_redispatch(
            case_id=c, actor=u, unit=unit, note="改派"
        ),
        Action.SIGN: lambda c, u: services.case_sign(case_id=c, actor=u),
        Action.RETURN_REQUEST: lambda c, u: services.case_request_return(
            case_id=c, actor=u, reason="非本单位职责"
        ),
        Action.EXTENSION_REQUEST: lambda c, u: services.case_request_extension(
            case_id=c, actor=u, reason="需协调", extra_days=2
        ),
        Action.SUSPEND: lambda c, u: services.case_suspend(case_id=c, actor=u, reason="等待"),
        Action.RESUME: lambda c, u: services.case_resume(case_id=c, actor=u),
        Action.FEEDBACK: lambda c, u: services.case_feedback(
            case_id=c, actor=u, text="已处置", photos=[jpeg()]
        ),
        Action.VERIFY_PASS: lambda c, u: services.case_verify(case_id=c, actor=u, passed=True),
        Action.VERIFY_FAIL: lambda c, u: services.case_verify(
            case_id=c, actor=u, passed=False, note="未整改到位"
        ),
        Action.CLOSE: lambda c, u: services.case_close(case_id=c, actor=u),
        Action.REOPEN: lambda c, u: services.case_reopen(case_id=c, actor=u, reason="群众不满意"),
        Action.SUPERVISE: lambda c, u: services.case_supervise(case_id=c, actor=u, note="加快"),
    }


REACHED: set[str] = set()  # states the random runs got to
ROLES = ["admin", "operator", "dispatcher", "handler", "unitlead", "inspector", "outsider"]
ACTION_NAMES = sorted(_attempts(Unit()).keys())


def _allowed(state: str, action: str) -> set[str]:
    """States the table allows after `action` from `state` (empty: not allowed)."""
    if action in MOVES.get(state, {}):
        return {MOVES[state][action]}
    return {state} if state in STAYING.get(action, set()) else set()


@settings(
    max_examples=120, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
@given(data=st.data(), length=st.integers(min_value=1, max_value=20))
def random_runs(data, length):  # type: ignore[no-untyped-def]
    cast = make_cast()
    attempts = _attempts(Unit.objects.get(code=STREET_UNIT))
    with transaction.atomic():
        case = _new_case()
        for _ in range(length):
            # Half the draws take a move the table allows now (half of those by the
            # superuser, who may do anything), so runs get deep into the loop; the other half
            # try anything, as anyone.
            moves = sorted(a for a in MOVES.get(case.state, {}) if a in attempts)
            allowed = moves or sorted(a for a in allowed_actions(case.state) if a in attempts)
            follow = bool(allowed) and data.draw(st.booleans())
            action = data.draw(st.sampled_from(allowed if follow else ACTION_NAMES))
            by_admin = follow and data.draw(st.booleans())
            role = "admin" if by_admin else data.draw(st.sampled_from(ROLES))
            before_state, before_events = case.state, case.events.count()
            try:
                with transaction.atomic():
                    attempts[action](case.pk, cast[role])
                accepted = True
            except DomainError:
                accepted = False
            case = Case.objects.get(pk=case.pk)
            events = CaseEvent.objects.filter(case=case).order_by("pk")
            if accepted:
                assert case.state in _allowed(before_state, action), (before_state, action)
                assert events.count() > before_events, f"{action} left no event"
                assert events.filter(action=action).exists(), f"{action} is not on the timeline"
            else:
                assert case.state == before_state, (action, role)
                assert events.count() == before_events, f"refused {action} wrote an event"
            REACHED.add(case.state)
            last = events.exclude(to_state="").last()
            assert last is None or last.to_state == case.state, "timeline and state disagree"
        transaction.set_rollback(True)


def _new_case() -> Case:
    grid = Region.objects.get(code="15020400100105")
    category = Category.objects.filter(parent__isnull=False, is_active=True).order_by("code")[0]
    return services.case_submit(
        channel=Channel.HOTLINE,
        title="路灯不亮",
        description="青山路路灯连续三晚不亮",
        reporter_name="王先生",
        reporter_phone="13812345678",
        category=category,
        lat=grid.centroid_lat,
        lon=grid.centroid_lon,
        address="青山区青山路",
    )


@pytest.mark.django_db
def test_random_actions_by_random_roles_follow_the_state_table():
    REACHED.clear()
    random_runs()
    # Guards the property against runs that drew only refusals.
    assert {"registered", "dispatched", "in_progress", "handled", "closed"} <= REACHED, REACHED
