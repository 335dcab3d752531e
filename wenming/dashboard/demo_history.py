"""Demo history for the dashboard and the metrics: ~2,000 cases over the last 90 days in
青山区, closed and open, with the events the services would have written.

Each case is simulated through the problem loop (submit → register → dispatch → sign →
feedback → verify → close → rate, with returns, extensions, suspensions, rework and reopens
at realistic rates); the deadlines come from the work calendar and the category's time
limits, the unit from the routing rules. The simulation stops at "now", so recent cases are
still open and some are overdue. Rows are written with bulk_create and the rollups rebuilt.
Idempotent: it does nothing when the history is already there. Run it with
`wenming seed_demo_history` (`./dev demo` does).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from wenming.accountability.rollup import rollups_rebuild
from wenming.cases.codes import case_code
from wenming.cases.models import (
    Case,
    CaseCodeCounter,
    CaseEvent,
    CaseRating,
    Category,
    Channel,
    Satisfaction,
    TimeLimit,
    Urgency,
    Visibility,
    WarningLevel,
)
from wenming.cases.routing import time_limit_for, unit_for
from wenming.cases.states import Action, State
from wenming.core.calendar import work_calendar
from wenming.core.personal import phone_columns
from wenming.org.demo_city import DETAILED_DISTRICT
from wenming.org.models import Region, RegionLevel, Unit

from .demo_texts import ROADS, SURNAMES, text_for

CASES = 2000
DAYS = 90
MARK = "demo_history"
A, S = Action, State
CHANNELS = [
    (Channel.HOTLINE, 45),
    (Channel.SNAPSHOT, 25),
    (Channel.PATROL, 14),
    (Channel.BOARD, 7),
    (Channel.INSPECTION, 6),
    (Channel.API, 3),
]
POPULAR = {  # minor class code → extra weight (the problems a city meets most)
    "0101": 9,
    "0504": 8,
    "0501": 7,
    "0201": 7,
    "0103": 6,
    "0502": 6,
    "0901": 5,
    "0902": 5,
    "0505": 4,
    "0107": 4,
    "1002": 4,
    "1201": 4,
    "0301": 3,
    "0102": 3,
    "0108": 3,
    "0205": 3,
    "1301": 3,
    "1302": 2,
    "0904": 3,
    "0503": 3,
}


def history_exists() -> bool:
    return CaseEvent.objects.filter(action=Action.SUBMIT, data__demo_history=True).exists()


@dataclass
class Ev:
    at: datetime
    action: str
    from_state: str
    to_state: str
    unit: Unit | None
    visibility: str = Visibility.PUBLIC
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    actor: Any = None


@dataclass
class Draft:
    """One simulated case: its fields, events and rating."""

    case: Case
    events: list[Ev] = field(default_factory=list)
    ratings: list[tuple[datetime, str, bool]] = field(default_factory=list)


class Simulator:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now, self.calendar = rng, now, work_calendar()
        users = get_user_model().objects.in_bulk(field_name="username")
        self.users = users
        self.limits: dict[tuple[int, str], TimeLimit] = {}
        self.routes: dict[tuple[int, int], Unit | None] = {}
        self.fallback = list(Unit.objects.filter(code__startswith="BT-150204", is_active=True))
        communities = Region.objects.filter(level=RegionLevel.COMMUNITY)
        self.street_of = dict(communities.values_list("pk", "parent_id"))

    # ------------------------------------------------------------ helpers

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def limit(self, category: Category, urgency: str) -> TimeLimit:
        key = (category.pk, urgency)
        if key not in self.limits:
            self.limits[key] = time_limit_for(category=category, urgency=urgency)
        return self.limits[key]

    def route(self, category: Category, grid: Region) -> Unit:
        # Routing rules name streets or the city, so one lookup per category and street.
        key = (category.pk, self.street_of.get(grid.parent_id or 0) or 0)
        if key not in self.routes:
            self.routes[key] = unit_for(category=category, region=grid)
        return self.routes[key] or self.rng.choice(self.fallback)

    def add(self, start: datetime, amount: float, unit: str) -> datetime:
        return self.calendar.add(start, amount, unit)

    # ------------------------------------------------------------ the loop

    def simulate(self, draft: Draft, category: Category, grid: Region) -> None:
        case, rng, ev = draft.case, self.rng, draft.events
        t = case.reported_at
        ev.append(
            Ev(t, A.SUBMIT, "", S.SUBMITTED, None, data={"channel": case.channel, MARK: True})
        )
        if category.code.startswith("13") and rng.random() < 0.8:
            t += self.minutes(5, 90)
            ev.append(
                Ev(
                    t,
                    A.ANSWER,
                    S.SUBMITTED,
                    S.CLOSED,
                    None,
                    note="已电话答复来电人，解释相关政策。",
                    actor=self.users.get("operator"),
                )
            )
            self.maybe_rate(draft, t, None)
            return
        if rng.random() < 0.03:
            t += self.minutes(10, 120)
            ev.append(
                Ev(
                    t,
                    A.REJECT,
                    S.SUBMITTED,
                    S.REJECTED,
                    None,
                    note="经核实不属于城市管理问题范围，已告知反映人。",
                    actor=self.users.get("operator"),
                )
            )
            return
        t += self.minutes(5, 120)
        ev.append(
            Ev(t, A.REGISTER, S.SUBMITTED, S.REGISTERED, None, actor=self.users.get("dispatcher"))
        )
        unit = self.route(category, grid)
        for _episode in range(3):
            t, unit, again = self.episode(draft, category, unit, t)
            if not again:
                return

    def episode(
        self, draft: Draft, category: Category, unit: Unit, t: datetime
    ) -> tuple[datetime, Unit, bool]:
        """One dispatch to a unit; returns (time, next unit, whether the case goes round again)."""
        rng, ev, limits = self.rng, draft.events, self.limit(category, draft.case.urgency)
        t += self.minutes(3, 60)
        ev.append(
            Ev(
                t,
                A.DISPATCH,
                S.REGISTERED,
                S.DISPATCHED,
                unit,
                data={"unit": unit.name, "from_unit": ""},
                actor=self.users.get("dispatcher"),
            )
        )
        sign_by = self.add(t, limits.sign_amount, limits.sign_unit)
        handle_by = self.add(t, limits.handle_amount, limits.handle_unit)
        t = (
            sign_by + self.minutes(10, 600)
            if rng.random() < 0.1
            else t + (sign_by - t) * rng.uniform(0.05, 0.9)
        )
        if rng.random() < 0.04:  # the unit says it is not theirs: return, then another unit
            ev.append(
                Ev(
                    t,
                    A.RETURN_REQUEST,
                    S.DISPATCHED,
                    S.DISPATCHED,
                    unit,
                    Visibility.STAFF,
                    "该问题不属于本单位职责范围。",
                )
            )
            t += self.minutes(20, 240)
            ev.append(
                Ev(
                    t,
                    A.RETURN,
                    S.DISPATCHED,
                    S.REGISTERED,
                    None,
                    data={"from_unit": unit.name},
                    actor=self.users.get("dispatcher"),
                )
            )
            return t, rng.choice([u for u in self.fallback if u.pk != unit.pk]), True
        ev.append(Ev(t, A.SIGN, S.DISPATCHED, S.IN_PROGRESS, unit, actor=self.actor_for(unit)))
        signed = t
        if rng.random() < 0.06:
            t += self.minutes(60, 600)
            ev.append(
                Ev(
                    t,
                    A.EXTENSION_REQUEST,
                    S.IN_PROGRESS,
                    S.IN_PROGRESS,
                    unit,
                    Visibility.STAFF,
                    "需协调多个部门联合处置，申请延期。",
                    {"extra_days": 3},
                )
            )
            t += self.minutes(30, 300)
            ev.append(
                Ev(
                    t,
                    A.EXTENSION_APPROVE,
                    S.IN_PROGRESS,
                    S.IN_PROGRESS,
                    unit,
                    Visibility.STAFF,
                    data={"extra_days": 3},
                    actor=self.users.get("dispatcher"),
                )
            )
            handle_by = self.calendar.add_working_days(handle_by, 3)
        if rng.random() < 0.02:
            t += self.minutes(60, 300)
            ev.append(
                Ev(
                    t,
                    A.SUSPEND,
                    S.IN_PROGRESS,
                    S.IN_PROGRESS,
                    unit,
                    note="等待产权单位确认，暂时挂起。",
                    actor=self.users.get("dispatcher"),
                )
            )
            resumed = t + timedelta(days=rng.uniform(1, 4))
            paused = self.calendar.working_seconds_between(t, resumed)
            handle_by = self.calendar.add_working_hours(handle_by, paused / 3600)
            t = resumed
            ev.append(
                Ev(
                    t,
                    A.RESUME,
                    S.IN_PROGRESS,
                    S.IN_PROGRESS,
                    unit,
                    actor=self.users.get("dispatcher"),
                )
            )
        t = self.feedback_time(max(t, signed), handle_by)
        ev.append(
            Ev(
                t,
                A.FEEDBACK,
                S.IN_PROGRESS,
                S.HANDLED,
                unit,
                note="已按要求处置完毕，现场已恢复整洁。",
                actor=self.actor_for(unit),
            )
        )
        if rng.random() < 0.08:
            t += self.minutes(60, 1200)
            ev.append(
                Ev(
                    t,
                    A.VERIFY_FAIL,
                    S.HANDLED,
                    S.IN_PROGRESS,
                    unit,
                    note="现场核查仍有问题，需返工。",
                    actor=self.users.get("inspector"),
                )
            )
            rework_by = self.add(t, limits.handle_amount, limits.handle_unit)
            t = self.feedback_time(t, rework_by)
            ev.append(
                Ev(
                    t,
                    A.FEEDBACK,
                    S.IN_PROGRESS,
                    S.HANDLED,
                    unit,
                    note="已返工整改到位。",
                    actor=self.actor_for(unit),
                )
            )
        t += self.minutes(60, 1200)
        ev.append(
            Ev(
                t,
                A.VERIFY_PASS,
                S.HANDLED,
                S.VERIFIED,
                unit,
                note="现场核查，处置到位。",
                actor=self.users.get("inspector"),
            )
        )
        t += self.minutes(10, 180)
        ev.append(Ev(t, A.CLOSE, S.VERIFIED, S.CLOSED, unit, actor=self.users.get("dispatcher")))
        rating = self.maybe_rate(draft, t, unit)
        if rating and rating[1] == Satisfaction.DISSATISFIED and rng.random() < 0.4:
            t = rating[0] + self.minutes(120, 1440)
            ev.append(
                Ev(
                    t,
                    A.REOPEN,
                    S.CLOSED,
                    S.REGISTERED,
                    None,
                    note="反映人对处理结果不满意，重新办理。",
                    actor=self.users.get("dispatcher"),
                )
            )
            return t, unit, True
        return t, unit, False

    def feedback_time(self, start: datetime, due: datetime) -> datetime:
        if self.rng.random() < 0.12:
            return due + self.minutes(120, 4320)
        return start + max(due - start, timedelta(minutes=30)) * self.rng.uniform(0.15, 0.95)

    def maybe_rate(
        self, draft: Draft, t: datetime, unit: Unit | None
    ) -> tuple[datetime, str, bool] | None:
        if self.rng.random() > 0.65:
            return None
        satisfaction = self.rng.choices(
            [Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED],
            [70, 20, 10],
        )[0]
        resolved = satisfaction != Satisfaction.DISSATISFIED or self.rng.random() < 0.3
        at = t + self.minutes(60, 2880)
        draft.events.append(
            Ev(
                at,
                A.RATE,
                S.CLOSED,
                S.CLOSED,
                unit,
                Visibility.STAFF,
                data={"satisfaction": satisfaction, "resolved": resolved},
            )
        )
        draft.ratings.append((at, satisfaction, resolved))
        return draft.ratings[-1]

    def actor_for(self, unit: Unit) -> Any:
        return self.users.get("handler") if unit.code == "BT-150204001000" else None


# ---------------------------------------------------------------- case fields from the events


def _apply_fields(case: Case, events: list[Ev], limits: TimeLimit, now: datetime) -> None:
    """Set the case's state, unit, timestamps and deadlines as the services would have."""
    calendar = work_calendar()
    for e in events:
        case.state, case.last_action = e.to_state, e.action
        if e.action == A.REGISTER or e.action == A.REOPEN:
            case.registered_at = e.at
            case.unit, case.closed_at = None, None
            case.sign_deadline = case.handle_deadline = case.verify_deadline = None
        elif e.action == A.DISPATCH:
            case.unit, case.dispatched_at, case.signed_at = e.unit, e.at, None
            case.sign_deadline = calendar.add(e.at, limits.sign_amount, limits.sign_unit)
            case.handle_deadline = calendar.add(e.at, limits.handle_amount, limits.handle_unit)
        elif e.action == A.SIGN:
            case.signed_at, case.handler = e.at, e.actor
        elif e.action == A.RETURN:
            case.unit = case.handler = case.sign_deadline = case.handle_deadline = None
        elif e.action == A.EXTENSION_APPROVE and case.handle_deadline:
            case.handle_deadline = calendar.add_working_days(case.handle_deadline, 3)
        elif e.action == A.SUSPEND:
            case.suspended_at = e.at
        elif e.action == A.RESUME and case.suspended_at and case.handle_deadline:
            paused = calendar.working_seconds_between(case.suspended_at, e.at)
            case.handle_deadline = calendar.add_working_hours(case.handle_deadline, paused / 3600)
            case.suspended_total += e.at - case.suspended_at
            case.suspended_at = None
        elif e.action == A.FEEDBACK:
            case.handled_at = e.at
            case.verify_deadline = calendar.add(e.at, limits.verify_amount, limits.verify_unit)
        elif e.action == A.VERIFY_FAIL:
            case.rework_count += 1
            case.handle_deadline = calendar.add(e.at, limits.handle_amount, limits.handle_unit)
        elif e.action == A.VERIFY_PASS:
            case.verify_deadline = None
        elif e.action in (A.CLOSE, A.ANSWER, A.REJECT):
            case.closed_at = e.at


def _overdue_events(case: Case, now: datetime) -> list[Ev]:
    """The red warning and automatic supervision the deadline scan would have written."""
    if case.suspended_at is not None:
        return []
    stages: dict[str, datetime | None] = {
        S.DISPATCHED: case.sign_deadline,
        S.IN_PROGRESS: case.handle_deadline,
    }
    due = stages.get(case.state)
    if due is None or due >= now:
        return []
    case.warning_level, case.supervision_level = WarningLevel.RED, 1
    data = {"level": int(WarningLevel.RED)}
    return [
        Ev(due, A.WARN, case.state, case.state, case.unit, Visibility.STAFF, "超期", data),
        Ev(
            due,
            A.SUPERVISE,
            case.state,
            case.state,
            case.unit,
            Visibility.STAFF,
            "超期",
            {"automatic": True},
        ),
    ]


# ---------------------------------------------------------------- building the rows


@dataclass
class Context:
    rng: random.Random
    now: datetime
    grids: list[tuple[Region, Any, str]]  # grid, its polygon, "street community"
    categories: list[Category]
    weights: list[float]


def _context(now: datetime) -> Context:
    rng = random.Random(20260601)  # noqa: S311 — demo data, reproducible
    district = Region.objects.filter(code=DETAILED_DISTRICT).first()
    regions = Region.objects.filter(path__startswith=district.path if district else "-")
    names = dict(regions.exclude(level=RegionLevel.GRID).values_list("pk", "name"))
    parents = dict(regions.values_list("pk", "parent_id"))
    grids = []
    for grid in regions.filter(level=RegionLevel.GRID, boundary__isnull=False):
        community = grid.parent_id
        street = parents.get(community or 0)
        grids.append(
            (
                grid,
                shape(grid.boundary),
                f"{names.get(street or 0, '')}{names.get(community or 0, '')}",
            )
        )
    categories = list(
        Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent")
    )
    weights = [1 + POPULAR.get(c.code, 0) * (1 if c.kind == "event" else 0.5) for c in categories]
    return Context(rng, now, grids, categories, weights)


def _point(rng: random.Random, polygon: Any) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    for _try in range(30):
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(Point(lon, lat)):
            return lat, lon
    centre = polygon.representative_point()
    return centre.y, centre.x


def _reported_at(rng: random.Random, now: datetime) -> datetime:
    """More cases on workdays and in the daytime, more in recent weeks."""
    days_ago = int(DAYS * (rng.random() ** 1.15))
    day = timezone.localdate(now) - timedelta(days=days_ago)
    hour = rng.choices(
        range(24), [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 9, 7, 9, 11, 11, 10, 9, 7, 6, 5, 4, 2, 1]
    )[0]
    moment = timezone.make_aware(
        datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    )
    return min(moment, now - timedelta(minutes=rng.uniform(1, 600)))


def _draft(ctx: Context, sim: Simulator) -> tuple[Draft, Category, Region]:
    rng = ctx.rng
    grid, polygon, place = rng.choice(ctx.grids)
    category = rng.choices(ctx.categories, ctx.weights)[0]
    lat, lon = _point(rng, polygon)
    road = rng.choice(ROADS)
    address = f"青山区{place}{road}{rng.randint(1, 199)}号附近"
    title, description = text_for(rng, category, road)
    anonymous = rng.random() < 0.2
    case = Case(
        channel=rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0],
        reporter_name="" if anonymous else f"{rng.choice(SURNAMES)}{rng.choice(['先生', '女士'])}",
        **phone_columns("reporter_phone", f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"),
        is_anonymous=anonymous,
        title=title,
        description=description,
        category=category,
        nature=category.default_nature,
        urgency=rng.choices(Urgency.values, [85, 12, 3])[0],
        lat=lat,
        lon=lon,
        address=address,
        region=grid,
        reported_at=_reported_at(rng, ctx.now),
    )
    return Draft(case), category, grid


def _codes(drafts: list[Draft]) -> dict[Any, int]:
    """Give each case a code after the day's existing ones; returns the new counter per day."""
    counters = dict(CaseCodeCounter.objects.values_list("day", "last"))
    for draft in sorted(drafts, key=lambda d: d.case.reported_at):
        day = timezone.localdate(draft.case.reported_at)
        counters[day] = counters.get(day, 0) + 1
        draft.case.code = case_code(day, counters[day])
    return counters


def _event_rows(case: Case, events: list[Ev]) -> list[CaseEvent]:
    return [
        CaseEvent(
            case=case,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            actor=e.actor,
            actor_label=(
                e.actor.first_name
                if e.actor
                else (
                    f"{e.unit.name}处置员"
                    if e.unit and e.action in (A.SIGN, A.FEEDBACK)
                    else "system"
                )
            ),
            unit=e.unit,
            note=e.note,
            visibility=e.visibility,
            data=e.data,
            created_at=e.at,
        )
        for e in events
    ]


def _write(drafts: list[Draft]) -> None:
    counters = _codes(drafts)
    cases = Case.objects.bulk_create([d.case for d in drafts], batch_size=500)
    for case in cases:
        case.created_at = case.reported_at
    Case.objects.bulk_update(cases, ["created_at"], batch_size=500)
    events = [row for d in drafts for row in _event_rows(d.case, d.events)]
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    pairs = [
        (CaseRating(case=d.case, satisfaction=sat, resolved=res), at)
        for d in drafts
        for at, sat, res in d.ratings
    ]
    ratings = CaseRating.objects.bulk_create([r for r, _at in pairs], batch_size=1000)
    for rating, (_r, at) in zip(ratings, pairs, strict=True):
        rating.created_at = at
    CaseRating.objects.bulk_update(ratings, ["created_at"], batch_size=1000)
    for day, last in counters.items():
        CaseCodeCounter.objects.update_or_create(day=day, defaults={"last": last})


def seed_history(*, count: int = CASES, now: datetime | None = None) -> int:
    """Create the demo history (unless it exists) and rebuild the rollups; returns the number
    of cases created."""
    if history_exists():
        return 0
    now = now or timezone.now()
    ctx = _context(now)
    if not ctx.grids or not ctx.categories:
        return 0
    sim = Simulator(ctx.rng, now)
    drafts = []
    for _n in range(count):
        draft, category, grid = _draft(ctx, sim)
        sim.simulate(draft, category, grid)
        draft.events = sorted((e for e in draft.events if e.at <= now), key=lambda e: e.at)
        draft.ratings = [r for r in draft.ratings if r[0] <= now]
        _apply_fields(draft.case, draft.events, sim.limit(category, draft.case.urgency), now)
        draft.events += _overdue_events(draft.case, now)
        drafts.append(draft)
    with transaction.atomic():
        _write(drafts)
    rollups_rebuild(now=now)
    return len(drafts)


def seed_demo() -> None:
    """The demo seeder entry point (same as the command)."""
    seed_history()
