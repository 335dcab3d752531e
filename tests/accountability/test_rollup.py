"""The incremental rollup job gives exactly what a full recompute gives."""

from __future__ import annotations

from django.core.management import call_command

from wenming.accountability.models import DailyRollup, MetricFact, RollupWatermark
from wenming.accountability.rollup import rollups_rebuild, rollups_refresh
from wenming.cases.models import CaseEvent
from wenming.core.calendar import work_calendar

from .conftest import NOW, at, build_known_set, continue_known_set


def snapshot() -> list[tuple]:
    rows = DailyRollup.objects.values_list("day", "unit_id", "region_id", "kind", "count")
    return sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2] or 0, r[3], r[4]))


def test_incremental_equals_full_recompute(builder):
    cases = build_known_set(builder, upto=at(3, 12))
    rollups_refresh(now=at(3, 12))
    # The rest of the events arrive later, in two batches, as they would in production.
    continue_known_set(builder, cases, after=at(3, 12), upto=at(9, 12))
    rollups_refresh(now=at(9, 12))
    continue_known_set(builder, cases, after=at(9, 12))
    rollups_refresh(now=NOW)
    incremental = snapshot()
    rollups_rebuild(now=NOW)
    assert incremental and snapshot() == incremental


def test_deadline_passing_without_an_event_is_picked_up(builder):
    build_known_set(builder, upto=at(2, 12))
    deadline = work_calendar().add(at(2, 9), 3, "days")  # F's (and E's) handle deadline
    rollups_refresh(now=at(4, 12))  # F's deadline (3-05 09:00) has not passed
    before = DailyRollup.objects.filter(kind="overdue").count()
    rollups_refresh(now=at(6, 12))  # no new event, but the deadline passed
    assert before == 0
    # F and every other unhandled case whose deadline passed: all are due on 3-05.
    assert set(DailyRollup.objects.filter(kind="overdue").values_list("day", flat=True)) == {
        deadline.date()
    }


def test_refresh_is_idempotent(builder):
    build_known_set(builder)
    rollups_refresh(now=NOW)
    first = snapshot()
    result = rollups_refresh(now=NOW)
    assert snapshot() == first
    assert result.days == 0  # nothing changed since the watermark
    assert MetricFact.objects.count() == sum(c for *_k, c in first)


def test_watermark_moves_to_the_last_event(builder):
    build_known_set(builder)
    rollups_refresh(now=NOW)
    last = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert RollupWatermark.objects.get(name="cases").last_event_id == last


def test_rebuild_command(builder, capsys):
    build_known_set(builder)
    call_command("rollups_rebuild")
    assert "6 cases" in capsys.readouterr().out or DailyRollup.objects.exists()
