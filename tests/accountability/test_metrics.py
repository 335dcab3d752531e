"""Each metric's formula on the hand-built set (conftest.build_known_set).

Unit U (青山路街道办事处) in March 2026:
  A on time all the way, rated satisfied and resolved;
  B signed late, handled after its deadline (3-05 09:00), rated dissatisfied, reopened;
  C extended by 5 working days, failed verification once (rework), handled on time;
  D suspended 3-03 → 3-16, handled before its shifted deadline (excluded: suspended);
  E returned before signing (then dispatched to unit V);
  F signed, still unhandled at 3-20 (overdue since 3-05).
"""

from __future__ import annotations

from datetime import date

import pytest

from wenming.accountability.facts import case_facts
from wenming.accountability.metrics import composite_score
from wenming.accountability.models import FactKind as K
from wenming.accountability.models import MetricWeights
from wenming.accountability.periods import Period, period_containing
from wenming.accountability.rollup import rollups_refresh
from wenming.accountability.selectors import metrics_total, ranking_for, unit_metrics

from .conftest import NOW, build_known_set

MARCH = Period("month", date(2026, 3, 1), date(2026, 4, 1))


@pytest.fixture
def known(builder, cast):  # type: ignore[no-untyped-def]
    cases = build_known_set(builder)
    rollups_refresh(now=NOW)
    rows = {r.code: r for r in unit_metrics(user=cast.admin, period=MARCH)}
    return cases, rows[builder.unit.code], rows[builder.other.code]


def test_cases_received_counts_dispatches_to_the_unit(known):
    _cases, u, v = known
    assert (u.cases_received, v.cases_received) == (6, 1)


def test_signed_on_time_rate_is_on_time_signatures_over_signatures(known):
    _cases, u, _v = known
    assert (u.n(K.SIGNED_ON_TIME), u.n(K.SIGNED)) == (4, 5)
    assert u.signed_on_time_rate == 80.0


def test_on_time_rate_excludes_suspended_cases_from_the_due(known):
    _cases, u, _v = known
    # on time: A and C; due: A B C D F; suspended: D → 2 / (5 − 1)
    assert (u.n(K.ON_TIME), u.n(K.DUE), u.n(K.DUE_SUSPENDED)) == (2, 5, 1)
    assert u.on_time_rate == 50.0


def test_completion_rate_is_completed_over_due(known):
    _cases, u, _v = known
    assert (u.n(K.COMPLETED), u.n(K.DUE)) == (4, 5)
    assert u.completion_rate == 80.0


def test_rework_rate_counts_failed_verification_and_reopen(known):
    _cases, u, _v = known
    assert u.n(K.REWORKED) == 2  # C (verify fail) and B (reopened)
    assert u.rework_rate == 50.0


def test_return_and_extension_rates_are_over_dispatches(known):
    _cases, u, _v = known
    assert u.return_rate == 16.7
    assert u.extension_rate == 16.7


def test_satisfaction_and_resolution_rates_are_over_rated_cases(known):
    _cases, u, _v = known
    assert (u.n(K.RATED), u.n(K.SATISFIED), u.n(K.RESOLVED)) == (2, 1, 1)
    assert u.satisfaction_rate == 50.0
    assert u.resolution_rate == 50.0


def test_overdue_counts_late_and_still_open_cases(known):
    _cases, u, _v = known
    assert u.overdue_count == 2  # B and F


def test_basically_satisfied_counts_as_satisfied(builder, cast):
    case = builder.case(NOW)
    builder.events(
        case,
        [
            ("dispatch", NOW, builder.unit),
            ("close", NOW, builder.unit),
            ("rate", NOW, builder.unit, {"satisfaction": "basically", "resolved": True}),
        ],
    )
    facts = {f.kind for f in case_facts(case, case.events.all(), now=NOW)}
    assert {K.RATED, K.SATISFIED, K.RESOLVED} <= facts


def test_overdue_case_counts_on_its_deadline_day(known):
    cases, _u, _v = known
    facts = case_facts(cases["F"], cases["F"].events.all(), now=NOW)
    assert [(f.kind, f.day) for f in facts if f.kind in (K.DUE, K.OVERDUE)] == [
        (K.DUE, date(2026, 3, 5)),
        (K.OVERDUE, date(2026, 3, 5)),
    ]


def test_a_period_sums_its_days(known, cast, builder):
    week = period_containing("week", date(2026, 3, 2))  # 3-02 … 3-08: A's, C's sign, F's due
    row = {r.code: r for r in unit_metrics(user=cast.admin, period=week)}[builder.unit.code]
    assert row.cases_received == 6
    assert (row.n(K.DUE), row.n(K.OVERDUE)) == (3, 2)  # A (3-03), B and F (3-05)


def test_region_counts_reports_and_all_units(known, cast):
    total = metrics_total(user=cast.admin, period=MARCH)
    assert total.cases_received == 6  # reports (submit events) in the city
    assert total.n(K.DISPATCHED) == 7  # U six, V one


def test_inspection_and_task_scores_come_from_their_apps(known, cast, builder, scores):
    scores["inspection"][builder.unit.pk] = 90.0
    scores["task"][builder.unit.pk] = 80.0
    row = {r.code: r for r in unit_metrics(user=cast.admin, period=MARCH)}[builder.unit.code]
    assert (row.inspection_score, row.task_score) == (90.0, 80.0)
    # Both ends inclusive, as the inspections and assessment selectors take them.
    assert ("inspection", date(2026, 3, 1), date(2026, 3, 31), "unit") in scores["calls"]


def test_composite_is_the_weighted_mean_of_the_metrics(known):
    _cases, u, _v = known
    weights = MetricWeights(period_kind="month")
    # (10·80 + 25·50 + 10·80 + 5·(100−50) + 5·(100−16.7) + 20·50 + 10·50) / 85
    assert composite_score(u, weights) == 59.02


def test_composite_includes_scores_when_present(known, cast, builder, scores):
    scores["inspection"][builder.unit.pk] = 90.0
    scores["task"][builder.unit.pk] = 80.0
    row = {r.code: r for r in unit_metrics(user=cast.admin, period=MARCH)}[builder.unit.code]
    assert composite_score(row, MetricWeights(period_kind="month")) == 63.17  # 6316.5 / 100


def test_ranking_leaves_units_below_the_minimum_sample_unranked(known, cast, builder):
    MetricWeights.objects.update_or_create(period_kind="month", defaults={"min_sample": 2})
    ranking = ranking_for(user=cast.admin, period=MARCH)
    assert [s.row.code for s in ranking.ranked] == [builder.unit.code]
    assert ranking.ranked[0].rank == 1 and ranking.ranked[0].grade == "E"
    unranked = {s.row.code for s in ranking.unranked}
    assert builder.other.code in unranked  # one case received, fewer than two


def test_ranking_respects_a_higher_minimum(known, cast):
    MetricWeights.objects.update_or_create(period_kind="month", defaults={"min_sample": 7})
    assert ranking_for(user=cast.admin, period=MARCH).ranked == []


def test_ties_share_a_rank(cast, builder):
    from wenming.accountability.metrics import MetricRow
    from wenming.accountability.selectors import Standing, _assign_ranks

    rows = [
        Standing(MetricRow(i, str(i), str(i), "unit"), score)
        for i, score in enumerate([90, 80, 80, 70])
    ]
    _assign_ranks(rows)
    assert [s.rank for s in rows] == [1, 2, 2, 4]
