"""The demo history seeder: consistent cases and events, idempotent, rollups built."""

from __future__ import annotations

from django.core.management import call_command

from wenming.accountability.models import DailyRollup
from wenming.cases.models import Case, CaseEvent, CaseRating
from wenming.cases.states import MOVES, OPEN_STATES, STAYING, State
from wenming.dashboard.demo_history import history_exists, seed_history


def test_seeds_once_with_consistent_events(city):
    assert seed_history(count=120) == 120
    assert history_exists()
    assert seed_history(count=120) == 0  # idempotent
    cases = Case.objects.filter(events__action="submit", events__data__demo_history=True)
    assert cases.count() == 120
    for case in cases.prefetch_related("events"):
        moves = [e for e in case.events.all() if e.to_state]
        state = State.SUBMITTED
        for event in moves[1:]:  # after the submit, every move is allowed by the state table
            assert event.to_state == MOVES.get(state, {}).get(event.action, state)
            assert event.action in MOVES.get(state, {}) or state in STAYING.get(event.action, set())
            state = event.to_state
        assert case.state == state
        assert (case.unit_id is not None) == (
            state
            in {State.DISPATCHED, State.IN_PROGRESS, State.HANDLED, State.VERIFIED, State.CLOSED}
            and case.events.filter(action="dispatch").exists()
        ) or state == State.CLOSED


def test_history_has_open_closed_and_rated_cases(city):
    seed_history(count=200)
    assert Case.objects.filter(state=State.CLOSED).count() > 50
    assert Case.objects.filter(state__in=OPEN_STATES).exists()
    assert CaseRating.objects.exists()
    assert DailyRollup.objects.exists()
    assert CaseEvent.objects.filter(action="verify_fail").exists() or Case.objects.count() < 150


def test_command(city, capsys):
    call_command("seed_demo_history", "--count", "30")
    assert "30 cases" in capsys.readouterr().out
