"""Duplicate candidates: same or related category, within the radius and the window."""

from __future__ import annotations

from wenming.cases import places, services
from wenming.cases.models import Case
from wenming.cases.states import State
from wenming.triage.duplicates import duplicate_candidates, haversine_m

from .conftest import place

TEXT = ("光荣社区垃圾堆放", "光荣社区3号楼门口垃圾堆了好几天没人清运，气味很大。")


def found(case):
    return [c.case.code for c in duplicate_candidates(case=case)]


def test_it_finds_an_earlier_nearby_report_of_the_same_problem(report):
    first = place(report(*TEXT), days_ago=2)
    second = report(
        "光荣社区3号楼垃圾没人清",
        "3号楼门口垃圾堆着好几天了，一直没有清运，很臭。",
        offset_m=(80, 0),
    )
    candidates = duplicate_candidates(case=second)
    assert [c.case.code for c in candidates] == [first.code]
    assert 60 < candidates[0].distance_m < 100
    assert candidates[0].text_similarity > 0.2


def test_a_related_category_of_the_same_major_class_counts(report):
    first = place(report(*TEXT, key="event:0102"), days_ago=1)  # 积存垃圾渣土, same major 01
    second = report(*TEXT, offset_m=(30, 30))
    assert found(second) == [first.code]


def test_it_ignores_reports_outside_the_radius(report, knobs):
    place(report(*TEXT), days_ago=1)
    far = report(*TEXT, offset_m=(knobs.duplicate_radius_m + 150, 0))
    assert found(far) == []


def test_it_ignores_reports_outside_the_window(report, knobs):
    place(report(*TEXT), days_ago=knobs.duplicate_window_days + 1)
    assert found(report(*TEXT)) == []


def test_it_ignores_other_major_classes_and_later_or_closed_out_cases(report, cast):
    place(report(*TEXT, key="event:1003"), days_ago=1)  # noise, another major class
    rejected = place(report(*TEXT), days_ago=1)
    services.case_reject(case_id=rejected.pk, actor=cast.dispatcher, reason="重复")
    case = place(report(*TEXT), days_ago=3)
    report(*TEXT)  # later than `case`: the later one is the duplicate, not the survivor
    assert found(case) == []


def test_unrelated_text_nearby_scores_below_the_threshold(report, knobs):
    knobs.duplicate_min_score = 0.5
    knobs.save()
    place(
        report("共享单车乱停", "小区门口的共享单车乱停乱放，把路都堵死了。", key="event:0101"),
        days_ago=1,
    )
    assert found(report(*TEXT, offset_m=(250, 0))) == []


def test_haversine():
    assert abs(haversine_m(40.0, 110.0, 40.001, 110.0) - 111.2) < 0.5


def test_an_earlier_report_without_a_category_is_a_candidate(report):
    first = place(report(*TEXT, key=None), days_ago=1)
    assert found(report(*TEXT, offset_m=(40, 0))) == [first.code]


def test_a_similar_report_50_m_away_is_proposed_not_one_2_km_away_or_unrelated(report):
    place(report(*TEXT, offset_m=(2000, 0)), days_ago=1)  # the same words, 2 km away
    unrelated = ("路灯不亮", "晚上路灯一直不亮，走路看不清。")
    place(report(*unrelated, key="event:0101", offset_m=(200, 0)), days_ago=1)
    near = place(report(*TEXT, offset_m=(50, 0)), days_ago=1)
    assert found(report(*TEXT)) == [near.code]  # the unrelated one scores below the threshold


def test_a_report_across_a_cell_border_is_found(report):
    """The place index splits the map into cells of 1/300°; neighbours across a border count."""
    first = report(*TEXT)
    border = round(first.lat * places.CELLS_PER_DEGREE) / places.CELLS_PER_DEGREE
    place(first, lat=border - 10 / 111_195, days_ago=1)
    second = place(report(*TEXT), lat=border + 10 / 111_195)
    assert found(second) == [first.code]


def test_an_earlier_closed_report_is_a_candidate(report):
    """A merge may join a closed case (wenming.cases.services.case_merge)."""
    closed = place(report(*TEXT), days_ago=2)
    Case.objects.filter(pk=closed.pk).update(state=State.CLOSED)  # set-up only
    assert found(report(*TEXT, offset_m=(30, 0))) == [closed.code]
