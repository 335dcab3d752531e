"""Two actors on one case at once: one wins, the other is told the case changed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from wenming.cases import services
from wenming.cases.models import Case, CaseEvent
from wenming.core.errors import ConcurrentUpdate, IllegalTransition


def race(*calls) -> list[object]:
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the exception is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_one_wins_one_is_told(
    transactional_city, cast, advance, street_unit, other_unit
):
    case = advance("registered")
    seen = case.version
    results = race(
        lambda: services.case_dispatch(
            case_id=case.pk, actor=cast.dispatcher, unit=street_unit, expected_version=seen
        ),
        lambda: services.case_dispatch(
            case_id=case.pk, actor=cast.dispatcher, unit=other_unit, expected_version=seen
        ),
    )
    wins = [r for r in results if isinstance(r, Case)]
    losses = [r for r in results if isinstance(r, ConcurrentUpdate | IllegalTransition)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    assert Case.objects.get(pk=case.pk).unit == wins[0].unit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sign_and_return_request_race_never_loses_an_event(transactional_city, cast, advance):
    case = advance("dispatched")
    results = race(
        lambda: services.case_sign(
            case_id=case.pk, actor=cast.handler, expected_version=case.version
        ),
        lambda: services.case_sign(
            case_id=case.pk, actor=cast.unitlead, expected_version=case.version
        ),
    )
    assert sum(isinstance(r, Case) for r in results) == 1
    final = Case.objects.get(pk=case.pk)
    assert final.events.filter(action="sign").count() == 1
    assert final.version == case.version + 1
