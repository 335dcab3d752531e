"""Reply checks: bad replies are flagged, good ones pass."""

from __future__ import annotations

import pytest

from wenming.triage.replies import reply_flags

from .conftest import category


@pytest.fixture
def complaint(report):
    return report("青东社区垃圾堆放", "青东社区5号楼门口的生活垃圾堆了三天没人清运，气味很大。")


def codes(case, text, photos=1):
    return [f.code for f in reply_flags(case=case, text=text, photo_count=photos)]


@pytest.mark.parametrize("text", ["已处理", "已处理。", "已经处理完毕了", "该问题已解决！", "收到"])
def test_it_flags_boilerplate(complaint, text):
    assert codes(complaint, text) == ["boilerplate"]


def test_it_flags_a_reply_that_is_too_short(complaint):
    assert codes(complaint, "垃圾清了") == ["too_short"]


def test_it_flags_a_reply_about_something_else(complaint):
    text = "经现场核查，该路段路灯线路老化，已安排电工更换灯杆和线缆，目前照明恢复正常。"
    assert codes(complaint, text) == ["off_topic"]


def test_it_flags_a_missing_photo_when_the_category_needs_one(complaint):
    assert category("event:0101").photo_required
    text = "已安排环卫车辆将5号楼门口堆放的生活垃圾全部清运，并增加该点位的清运频次。"
    assert codes(complaint, text, photos=0) == ["no_photo"]


def test_it_passes_a_good_reply(complaint):
    text = "已安排环卫车辆将5号楼门口堆放的生活垃圾全部清运，并增加该点位的清运频次。"
    assert codes(complaint, text) == []


def test_a_category_without_photos_needs_none(report):
    case = report("夜间施工噪音", "工地晚上十一点还在施工，噪音太大睡不着觉。", key="event:1001")
    text = "已联系施工单位停止夜间施工，责令其严格遵守作业时间，夜间噪音问题已消除。"
    assert codes(case, text, photos=0) == []
