"""Case search: the limits and look-ups that keep it fast on a million cases (bench/worklist.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.cases.selectors import RECENT_DAYS, CaseFilters, cases_search

pytestmark = pytest.mark.django_db


def found(user, **filters) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.code for c in cases_search(user, CaseFilters(**filters))}


def long_ago():  # type: ignore[no-untyped-def]
    return timezone.now() - timedelta(days=RECENT_DAYS + 5)


def test_text_search_without_a_start_date_looks_at_recent_cases_only(cast, submit):
    old = submit(description="路灯不亮很久了", reported_at=long_ago())
    new = submit(description="路灯不亮很久了")
    assert new.code in found(cast.dispatcher, text="路灯")
    assert old.code not in found(cast.dispatcher, text="路灯")
    day = timezone.localdate(old.reported_at)
    assert old.code in found(cast.dispatcher, text="路灯", date_from=day)


def test_a_phone_fragment_is_recent_but_a_whole_number_is_all_time(cast, submit):
    old = submit(reporter_phone="13700001234", reported_at=long_ago())
    assert old.code in found(cast.dispatcher, phone="13700001234")
    assert old.code not in found(cast.dispatcher, phone="1234")
    new = submit(reporter_phone="13700001234")
    assert new.code in found(cast.dispatcher, phone="1234")
    assert new.code not in found(cast.dispatcher, phone="13700009999")


def test_text_search_ignores_the_case_of_latin_letters(cast, submit):
    case = submit(description="LED 显示屏坏了")
    assert case.code in found(cast.dispatcher, text="led")
    assert case.code not in found(cast.dispatcher, text="lcd")


def test_a_code_prefix_matches_in_any_letter_case(cast, submit):
    case = submit()
    assert case.code in found(cast.dispatcher, code=case.code[:10].lower())
    assert case.code not in found(cast.dispatcher, code="XX")


def test_a_major_class_finds_the_cases_of_its_minor_classes(cast, submit, category):
    case = submit()
    assert case.code in found(cast.dispatcher, category=category.parent_id)
    assert case.code in found(cast.dispatcher, category=category.pk)


def test_old_and_new_cases_get_codes_of_their_own_day(cast, submit):
    old = submit(reported_at=long_ago())
    again = submit(reported_at=old.reported_at)
    assert old.code[2:10] == f"{timezone.localdate(old.reported_at):%Y%m%d}"
    assert int(again.code[10:]) == int(old.code[10:]) + 1
