"""A hand-built set of cases with known metrics (see test_metrics.py for the arithmetic).

All times are Asia/Shanghai in March 2026 (no public holidays). Cases have no category, so the
built-in limits apply: sign within 2 working hours, handle within 3 working days.
"""

from __future__ import annotations

import sys
import types
from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from wenming.cases.models import Case, CaseEvent, Visibility
from wenming.cases.states import Action as A
from wenming.core.calendar import work_calendar
from wenming.org.models import Region, Unit

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=TZ)
_codes = count(1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


class Builder:
    """Writes cases and their events directly (the metrics read nothing else)."""

    def __init__(self) -> None:
        self.grid = Region.objects.get(code="15020400100101")
        self.unit = Unit.objects.get(code="BT-150204001000")
        self.other = Unit.objects.get(code="BT-150204002000")

    def case(self, reported: datetime, **fields: object) -> Case:
        values: dict[str, object] = {
            "code": f"T{next(_codes):08d}",
            "channel": "hotline",
            "title": "测试案件",
            "description": "测试",
            "region": self.grid,
            "reported_at": reported,
        }
        return Case.objects.create(**{**values, **fields})

    def event(
        self, case: Case, action: str, when: datetime, unit: Unit | None = None, **data: object
    ) -> CaseEvent:
        self._deadline(case, action, when, data)
        return CaseEvent.objects.create(
            case=case,
            action=action,
            from_state="",
            to_state="",
            unit=unit,
            data=data,
            created_at=when,
            visibility=Visibility.PUBLIC,
        )

    @staticmethod
    def _deadline(case: Case, action: str, when: datetime, data: dict) -> None:
        """Keep `handle_deadline` as the services do (the rollup job reads it to find cases
        whose deadline passed without an event)."""
        calendar = work_calendar()
        if action in (A.DISPATCH, A.REDISPATCH, A.VERIFY_FAIL):
            case.handle_deadline = calendar.add(when, 3, "days")
        elif action == A.EXTENSION_APPROVE and case.handle_deadline:
            case.handle_deadline = calendar.add_working_days(
                case.handle_deadline, int(data["extra_days"])
            )
        else:
            return
        case.save(update_fields=["handle_deadline"])

    def events(self, case: Case, steps: list[tuple]) -> None:
        for step in steps:
            action, when, *rest = step
            unit = rest[0] if rest and isinstance(rest[0], Unit) else None
            data = rest[-1] if rest and isinstance(rest[-1], dict) else {}
            self.event(case, action, when, unit, **data)


def _plans(b: Builder) -> dict[str, list[tuple]]:
    u, v = b.unit, b.other
    return {
        "A": [
            (A.DISPATCH, at(2, 9), u),
            (A.SIGN, at(2, 9, 30), u),
            (A.FEEDBACK, at(3, 10), u),
            (A.VERIFY_PASS, at(3, 14), u),
            (A.CLOSE, at(3, 15), u),
            (A.RATE, at(4, 10), u, {"satisfaction": "satisfied", "resolved": True}),
        ],
        "B": [
            (A.DISPATCH, at(2, 9), u),
            (A.SIGN, at(2, 15), u),
            (A.FEEDBACK, at(9, 10), u),
            (A.VERIFY_PASS, at(9, 12), u),
            (A.CLOSE, at(9, 13), u),
            (A.RATE, at(10, 10), u, {"satisfaction": "dissatisfied", "resolved": False}),
            (A.REOPEN, at(10, 12)),
        ],
        "C": [
            (A.DISPATCH, at(2, 9), u),
            (A.SIGN, at(2, 9, 10), u),
            (A.EXTENSION_APPROVE, at(4, 10), u, {"extra_days": 5}),
            (A.FEEDBACK, at(10, 10), u),
            (A.VERIFY_FAIL, at(10, 15), u),
            (A.FEEDBACK, at(11, 10), u),
            (A.VERIFY_PASS, at(11, 14), u),
            (A.CLOSE, at(11, 16), u),
        ],
        "D": [
            (A.DISPATCH, at(2, 9), u),
            (A.SIGN, at(2, 9, 20), u),
            (A.SUSPEND, at(3, 10), u),
            (A.RESUME, at(16, 10), u),
            (A.FEEDBACK, at(17, 10), u),
            (A.VERIFY_PASS, at(17, 11), u),
            (A.CLOSE, at(17, 12), u),
        ],
        "E": [(A.DISPATCH, at(2, 9), u), (A.RETURN, at(2, 10)), (A.DISPATCH, at(2, 11), v)],
        "F": [(A.DISPATCH, at(2, 9), u), (A.SIGN, at(2, 10), u)],
    }


def build_known_set(b: Builder, *, upto: datetime | None = None) -> dict[str, Case]:
    """Cases A–F of unit U (and E re-dispatched to V); events after `upto` are left out."""
    cases = {}
    for name, steps in _plans(b).items():
        case = b.case(at(2, 8), title=f"案件{name}")
        b.event(case, A.SUBMIT, at(2, 8))
        b.event(case, A.REGISTER, at(2, 8, 30))
        b.events(case, [s for s in steps if upto is None or s[1] <= upto])
        cases[name] = case
    return cases


def continue_known_set(
    b: Builder, cases: dict[str, Case], *, after: datetime, upto: datetime | None = None
) -> None:
    """Add the events of the set that happen in (after, upto]."""
    for name, steps in _plans(b).items():
        b.events(cases[name], [s for s in steps if s[1] > after and (upto is None or s[1] <= upto)])


@pytest.fixture
def builder(city):  # type: ignore[no-untyped-def]
    return Builder()


@pytest.fixture
def scores(monkeypatch):  # type: ignore[no-untyped-def]
    """Fake inspection and task score selectors (the real ones come with issue #5)."""
    found: dict[str, dict[int, float]] = {"inspection": {}, "task": {}}

    def install(module: str, name: str, key: str) -> None:
        fake = types.ModuleType(module)

        def scores_fn(*, start, end, by):  # type: ignore[no-untyped-def]
            found.setdefault("calls", []).append((key, start, end, by))  # type: ignore[union-attr,arg-type]
            return found[key]

        setattr(fake, name, scores_fn)
        monkeypatch.setitem(sys.modules, module, fake)

    install("wenming.inspections.selectors", "inspection_scores", "inspection")
    install("wenming.assessment.selectors", "task_scores", "task")
    return found


@pytest.fixture(autouse=True)
def no_external_scores(monkeypatch):  # type: ignore[no-untyped-def]
    """Unless a test asks for `scores`, the inspection and task scores are absent."""
    for module in ("wenming.inspections.selectors", "wenming.assessment.selectors"):
        fake = types.ModuleType(module)
        monkeypatch.setitem(sys.modules, module, fake)  # no function: no scores
