"""Replay of a case's events into metric facts (the definitions are in docs/metrics.md).

A case's life is cut into *episodes*: an episode starts when the case is dispatched (or
re-dispatched) to a unit and ends at a return, a re-dispatch, a reopen or the end of the log.
Within an episode the handle deadline is rebuilt from the events exactly as the services move
it (dispatch → limit; approved extension → + working days; resume → + working time suspended;
rework → a fresh limit), so the facts depend on the event log, the work calendar and the time
limits only. An episode is *due* once: when it is closed, or when its handle deadline passes
while the unit has not reported it handled (whichever comes first; not while suspended).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Protocol

from django.utils import timezone

from wenming.cases.models import Case, Satisfaction, TimeLimit
from wenming.cases.routing import time_limit_for
from wenming.core.calendar import work_calendar

from .models import FactKind

K = FactKind


@dataclass(frozen=True)
class Fact:
    kind: str
    day: date
    unit_id: int | None


@dataclass
class Episode:
    unit_id: int | None
    sign_deadline: datetime | None = None
    handle_deadline: datetime | None = None
    suspended_since: datetime | None = None
    ever_suspended: bool = False
    handled: bool = False
    feedback_on_time: bool = False
    reworked: bool = False
    due_day: date | None = None
    late: bool = False
    closed: bool = False
    rating: tuple[date, str, bool] | None = None


@dataclass
class Replay:
    """Walks one case's events in order and collects its facts."""

    limits: TimeLimit
    now: datetime
    facts: list[Fact] = field(default_factory=list)
    episode: Episode | None = None
    zone: tzinfo = field(default_factory=timezone.get_current_timezone)  # of the local days

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def emit(self, kind: str, when: datetime | date, unit_id: int | None) -> None:
        day = self.day(when) if isinstance(when, datetime) else when
        self.facts.append(Fact(kind, day, unit_id))

    # ------------------------------------------------------------ deadlines

    def _limit(self, amount_attr: str, unit_attr: str, start: datetime) -> datetime:
        limits = self.limits
        return work_calendar().add(start, getattr(limits, amount_attr), getattr(limits, unit_attr))

    def check_deadline(self, moment: datetime) -> None:
        """The handle deadline passed before `moment` with the case unhandled: due, late."""
        ep = self.episode
        if ep is None or ep.due_day or ep.handled or ep.suspended_since or ep.closed:
            return
        if ep.handle_deadline is not None and ep.handle_deadline < moment:
            ep.due_day, ep.late = self.day(ep.handle_deadline), True

    # ------------------------------------------------------------ episodes

    def start(self, event: EventLike) -> None:
        self.end()
        t = event.created_at
        self.episode = Episode(
            unit_id=event.unit_id,
            sign_deadline=self._limit("sign_amount", "sign_unit", t),
            handle_deadline=self._limit("handle_amount", "handle_unit", t),
        )
        self.emit(K.DISPATCHED, t, event.unit_id)

    def end(self) -> None:
        ep, self.episode = self.episode, None
        if ep is None:
            return
        if ep.due_day is not None:
            self._emit_due(ep, ep.due_day)
        if ep.rating is not None:
            day, satisfaction, resolved = ep.rating
            self.emit(K.RATED, day, ep.unit_id)
            if satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
                self.emit(K.SATISFIED, day, ep.unit_id)
            if resolved:
                self.emit(K.RESOLVED, day, ep.unit_id)

    def _emit_due(self, ep: Episode, day: date) -> None:
        unit = ep.unit_id
        self.emit(K.DUE, day, unit)
        if ep.ever_suspended:
            self.emit(K.DUE_SUSPENDED, day, unit)
        if ep.late:
            self.emit(K.OVERDUE, day, unit)
        elif not ep.ever_suspended:
            self.emit(K.ON_TIME, day, unit)
        if ep.closed:
            self.emit(K.COMPLETED, day, unit)
            if ep.reworked:
                self.emit(K.REWORKED, day, unit)

    # ------------------------------------------------------------ events

    def apply(self, event: EventLike) -> None:
        self.check_deadline(event.created_at)
        handler = getattr(self, f"on_{event.action}", None)
        if handler is not None:
            handler(event)

    def on_submit(self, event: EventLike) -> None:
        self.emit(K.SUBMITTED, event.created_at, None)

    def on_answer(self, event: EventLike) -> None:
        self.end()
        self.episode = Episode(unit_id=None, closed=True)
        self.emit(K.CLOSED, event.created_at, None)

    on_dispatch = start
    on_redispatch = start

    def on_sign(self, event: EventLike) -> None:
        if (ep := self.episode) is None:
            return
        self.emit(K.SIGNED, event.created_at, ep.unit_id)
        if ep.sign_deadline is None or event.created_at <= ep.sign_deadline:
            self.emit(K.SIGNED_ON_TIME, event.created_at, ep.unit_id)

    def on_return(self, event: EventLike) -> None:
        if self.episode is not None:
            self.emit(K.RETURNED, event.created_at, self.episode.unit_id)
        self.end()

    def on_extension_approve(self, event: EventLike) -> None:
        if (ep := self.episode) is None or ep.handle_deadline is None:
            return
        self.emit(K.EXTENDED, event.created_at, ep.unit_id)
        days = int((event.data or {}).get("extra_days") or 0)
        ep.handle_deadline = work_calendar().add_working_days(ep.handle_deadline, days)

    def on_suspend(self, event: EventLike) -> None:
        if (ep := self.episode) is not None:
            ep.suspended_since, ep.ever_suspended = event.created_at, True

    def on_resume(self, event: EventLike) -> None:
        if (ep := self.episode) is None or ep.suspended_since is None:
            return
        calendar = work_calendar()
        paused = calendar.working_seconds_between(ep.suspended_since, event.created_at)
        if ep.handle_deadline is not None:
            ep.handle_deadline = calendar.add_working_hours(ep.handle_deadline, paused / 3600)
        ep.suspended_since = None

    def on_feedback(self, event: EventLike) -> None:
        if (ep := self.episode) is None:
            return
        ep.handled = True
        ep.feedback_on_time = ep.handle_deadline is None or event.created_at <= ep.handle_deadline

    def on_verify_fail(self, event: EventLike) -> None:
        if (ep := self.episode) is None:
            return
        ep.handled, ep.reworked = False, True
        ep.handle_deadline = self._limit("handle_amount", "handle_unit", event.created_at)

    def on_close(self, event: EventLike) -> None:
        if (ep := self.episode) is None:
            return
        ep.closed = True
        self.emit(K.CLOSED, event.created_at, ep.unit_id)
        if ep.due_day is None:
            ep.due_day = self.day(event.created_at)
            ep.late = not ep.feedback_on_time

    def _rate(self, event: EventLike) -> None:
        data = event.data or {}
        if (ep := self.episode) is not None and data.get("satisfaction"):
            ep.rating = (
                self.day(event.created_at),
                data["satisfaction"],
                bool(data.get("resolved")),
            )

    on_rate = _rate
    on_callback = _rate

    def on_reopen(self, event: EventLike) -> None:
        if self.episode is not None:
            self.episode.reworked = True
        self.end()

    def finish(self) -> list[Fact]:
        self.check_deadline(self.now)
        self.end()
        return self.facts


class EventLike(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def unit_id(self) -> int | None: ...
    @property
    def data(self) -> dict | None: ...
    @property
    def created_at(self) -> datetime: ...


# The actions whose handlers read `event.data` (the bulk replay loads no other event's data).
DATA_ACTIONS = frozenset({"extension_approve", "rate", "callback"})


def replay_facts(
    events: Iterable[EventLike], *, now: datetime, limits: TimeLimit, zone: tzinfo | None = None
) -> list[Fact]:
    """The facts of one case, from its events as of `now`, under the case's time limits
    (days in `zone`, by default the current time zone)."""
    replay = Replay(limits=limits, now=now, zone=zone or timezone.get_current_timezone())
    for event in sorted(events, key=lambda e: (e.created_at, e.pk or 0)):
        if event.created_at > now:
            break
        replay.apply(event)
    return replay.finish()


def case_facts(
    case: Case, events: Iterable[EventLike], *, now: datetime, limits: TimeLimit | None = None
) -> list[Fact]:
    """The facts of one case, from its events (CaseEvent rows or rollup.EventRow tuples) as of
    `now`."""
    limits = limits or time_limit_for(category=case.category, urgency=case.urgency)
    return replay_facts(events, now=now, limits=limits)
