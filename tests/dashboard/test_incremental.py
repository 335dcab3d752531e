"""The minute job keeps the dashboard's counts equal to a count of the case table: through
real transitions, twice in a row, with a late-committed event, and after drifting."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wenming.accountability.rollup import rollups_rebuild, rollups_refresh
from wenming.cases import services
from wenming.cases.deadlines import deadlines_scan
from wenming.cases.models import Case, CaseEvent, Channel
from wenming.dashboard.models import (
    RECENT_DAYS,
    CountedCase,
    DailyIntake,
    LiveCount,
    RecentIntake,
)
from wenming.org.models import Region

from ..cases.conftest import advance, category, street_unit, submit  # noqa: F401


def naive() -> tuple[Counter, Counter]:
    """Live counts and daily intake straight from the case table, counted in Python."""
    live: Counter = Counter()
    intake: Counter = Counter()
    rows = Case.objects.values_list(
        "region__path",
        "state",
        "channel",
        "warning_level",
        "supervision_level",
        "reported_at",
        "category_id",
        "category__parent_id",
    )
    for path, state, channel, warning, supervision, reported, category_id, major_id in rows:
        live[(path or "", state, channel, warning, supervision > 0)] += 1
        day = timezone.localdate(reported)
        intake[(day, path or "", major_id, category_id is not None)] += 1
    return live, intake


def counted() -> tuple[Counter, Counter]:
    """What the dashboard reads: the rollup rows."""
    live = Counter(
        {
            (r.region_path, r.state, r.channel, r.warning_level, r.supervised): r.count
            for r in LiveCount.objects.all()
        }
    )
    intake = Counter(
        {
            (r.day, r.region_path, r.major_id, r.has_category): r.count
            for r in DailyIntake.objects.all()
        }
    )
    return live, intake


def recent() -> tuple[Counter, Counter]:
    """The last RECENT_DAYS days of intake: from the case table, and as RecentIntake holds it."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    expected: Counter = Counter()
    for (day, path, major_id, has_category), n in naive()[1].items():
        if day >= since:
            expected[(path, major_id, has_category)] += n
    held = Counter(
        {(r.region_path, r.major_id, r.has_category): r.count for r in RecentIntake.objects.all()}
    )
    return held, expected


def assert_current() -> None:
    assert counted() == naive()
    held, expected = recent()
    assert held == expected


@pytest.fixture
def counting(city):  # type: ignore[no-untyped-def]
    rollups_refresh()
    assert_current()


def test_counts_follow_every_kind_of_change(counting, advance, submit, cast, category):  # noqa: F811
    a = submit(category=None, channel=Channel.HOTLINE)
    b = submit()
    services.case_register(case_id=a.pk, actor=cast.dispatcher, category=category)
    rollups_refresh()
    assert_current()  # new cases; a category given at registration moves a's intake row

    dispatched = advance("dispatched")
    deadlines_scan(now=timezone.now() + timedelta(days=30))  # red warning + supervision
    assert Case.objects.get(pk=dispatched.pk).warning_level == 2
    rollups_refresh()
    assert_current()

    closed = advance("closed")
    services.case_rate(case_id=closed.pk, satisfaction="dissatisfied", resolved=False)
    services.case_reopen(case_id=closed.pk, actor=cast.dispatcher, reason="群众不满意")
    services.case_merge(case_id=b.pk, actor=cast.dispatcher, into=a)
    rollups_refresh()
    assert_current()

    # No service moves a case to another region; a correction in the database followed by
    # any event on the case is still picked up.
    other = Region.objects.filter(level="grid").exclude(pk=a.region_id).first()
    Case.objects.filter(pk=a.pk).update(region=other)
    services.case_comment(case_id=a.pk, actor=cast.dispatcher, note="网格更正")
    rollups_refresh()
    assert_current()

    incremental = counted()
    rollups_rebuild()
    assert counted() == incremental


def test_refreshing_twice_changes_nothing(counting, advance):  # noqa: F811
    advance("in_progress")
    rollups_refresh()
    live, snapshots = counted(), list(CountedCase.objects.order_by("pk").values_list())
    rollups_refresh()
    assert counted() == live
    assert list(CountedCase.objects.order_by("pk").values_list()) == snapshots


def test_a_late_committed_event_is_counted_once(counting, advance, cast, street_unit):  # noqa: F811
    early = advance("registered")
    late = advance("registered")
    # An id taken by a transaction that commits late: free now, below the next watermark.
    services.case_comment(case_id=early.pk, actor=cast.dispatcher, note="占位")
    hole = CaseEvent.objects.latest("id").pk
    CaseEvent.objects.filter(pk=hole).delete()
    services.case_comment(case_id=early.pk, actor=cast.dispatcher, note="已电话联系")
    rollups_refresh()  # the watermark passes the hole
    services.case_dispatch(case_id=late.pk, actor=cast.dispatcher, unit=street_unit)
    CaseEvent.objects.filter(pk=CaseEvent.objects.latest("id").pk).update(id=hole)
    rollups_refresh()
    assert_current()
    rollups_refresh()  # still within the look-back window: seen again, counted once
    assert_current()


def test_drifted_counts_are_rebuilt(counting, advance):  # noqa: F811
    LiveCount.objects.all().delete()  # e.g. a case deleted: no event, the counts drift
    advance("dispatched")
    rollups_refresh()
    assert_current()


def test_recent_intake_follows_the_window_day_by_day(counting, submit):  # noqa: F811
    case = submit()
    rollups_refresh()
    held, _ = recent()
    assert sum(held.values()) >= 1
    before = sum(held.values())
    last_day = case.reported_at + timedelta(days=RECENT_DAYS - 1)
    with time_machine.travel(last_day, tick=False):
        rollups_refresh()
        assert sum(recent()[0].values()) == before  # still in the window on its 30th day
    with time_machine.travel(last_day + timedelta(days=1), tick=False):
        rollups_refresh()
        held, expected = recent()
        assert held == expected and sum(held.values()) == before - 1
