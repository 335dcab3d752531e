"""Case search: the limits and look-ups that keep it fast on a million cases (bench/worklist.py)."""

from __future__ import annotations

import importlib
import os
import random
from datetime import UTC, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from wenming.cases import selectors
from wenming.cases.models import DUE_SOON, Case, WarningLevel
from wenming.cases.selectors import (
    RECENT_DAYS,
    SORTS,
    CaseFilters,
    cases_search,
    cases_sorted_after_filtering,
    search_paging,
    search_walk,
    search_when_many,
    text_share_estimated,
    worklist,
)
from wenming.cases.textsearch import (
    FORTNIGHT_SECONDS,
    TERMS_FUNCTION,
    TERMS_INDEX,
    fortnights,
    terms_query,
    text_terms_match,
)
from wenming.core.paging import CappedPaginator
from wenming.core.personal import phone_match, tails_ending_with

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


def test_four_digits_and_a_whole_number_are_all_time_but_fewer_digits_recent(cast, submit):
    old = submit(reporter_phone="13700001234", reported_at=long_ago())
    assert old.code in found(cast.dispatcher, phone="13700001234")
    assert old.code in found(cast.dispatcher, phone="1234")
    assert old.code not in found(cast.dispatcher, phone="234")
    new = submit(reporter_phone="13700001234")
    assert new.code in found(cast.dispatcher, phone="234")
    assert new.code in found(cast.dispatcher, phone="0001234")
    assert new.code not in found(cast.dispatcher, phone="13700009999")
    assert new.code not in found(cast.dispatcher, phone="4321")


# Texts and terms for "text search finds what a plain icontains finds": Chinese, Latin in
# both cases, digits, a term spanning two fields (no match: each field is searched alone),
# LIKE wildcards taken literally. (The `contains` shortcut for terms without Latin letters
# must not change the matches.)
TEXTS = [
    ("路灯不亮", "青山路3号楼门口的路灯不亮已经一周", "青山区"),
    ("LED 显示屏坏了", "公交站LED屏黑屏", "钢铁大街12号"),
    ("垃圾堆放", "小区门口垃圾桶满了没人清运", "六合成社区"),
    ("噪音扰民", "夜间施工100%超标_严重", "万达广场B座"),
    ("井盖缺失", "人行道井盖丢失，很危险", ""),
    ("It's broken", "back\\slash 路 口", "Rue d'Été"),
]
TERMS = [
    "灯",
    "a",
    "1",
    "%",
    "亮",  # one character: itself in the index (亮 ends a title: only a pair's second char)
    "路灯",
    "led",
    "Le",
    "12",
    "垃圾",
    "号楼",
    "_严",  # two
    "路灯不亮",
    "垃圾桶满",
    "LED屏",
    "钢铁大街12",
    "3号楼门口",
    "100%超标",
    "b座",  # three+
    "灯不亮 青山",
    "失，很",
    "不存在的词",
    "亮青山",  # spanning fields / absent
    "'",
    "\\",
    "it's",
    "k\\s",
    "路口",
    "路 口",
    "été",
    " ",  # quotes, backslashes, whitespace (not in the index), case of é
]


@pytest.mark.parametrize("term", TERMS)
def test_text_search_finds_exactly_what_a_plain_icontains_finds(cast, submit, term):
    cases = [submit(title=t, description=d, address=a) for t, d, a in TEXTS]
    plain = Case.objects.filter(
        Q(title__icontains=term) | Q(description__icontains=term) | Q(address__icontains=term),
        pk__in=[c.pk for c in cases],
    )
    expected = {c.code for c in plain}
    assert found(cast.dispatcher, text=term) == expected


def test_text_search_examples_by_hand(cast, submit):
    lamp, led, rubbish, noise, manhole, _quote = (
        submit(title=t, description=d, address=a).code for t, d, a in TEXTS
    )
    assert found(cast.dispatcher, text="led") == {led}
    assert found(cast.dispatcher, text="3号楼") == {lamp}
    assert found(cast.dispatcher, text="100%") == {noise}
    assert found(cast.dispatcher, text="亮青山") == set()  # title end + address start


@pytest.mark.parametrize("sort", list(SORTS))
def test_sorting_after_filtering_keeps_the_rows_and_their_order(cast, advance, submit, sort):
    cases = [submit(title=f"排序{i}") for i in range(3)] + [advance("dispatched")]  # due set
    searched = cases_search(cast.dispatcher, CaseFilters(), sort=sort)
    assert None in {c.handle_deadline for c in cases}
    rows = list(searched.values_list("code", flat=True))
    assert list(cases_sorted_after_filtering(searched).values_list("code", flat=True)) == rows


def plan(queryset) -> str:  # type: ignore[no-untyped-def]
    """The plan PostgreSQL chooses when the case table can only be read through an index
    condition of the query itself (in the tiny test tables a sequential scan, a walk of the
    reported_at index or a join from the region would win): names the index if the search's
    condition can use it. SQLite's EXPLAIN QUERY PLAN names the index it uses as well."""
    if connection.vendor != "postgresql":
        return queryset.explain()
    with connection.cursor() as cursor:
        for method in ("seqscan", "indexscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
    return queryset.explain()


@pytest.mark.parametrize("fragment", ["5678", "678", "8"])
def test_phone_search_by_digits_uses_the_tail_index(cast, submit, fragment):
    case = submit(reporter_phone="13912345678")
    matching = Case.objects.filter(phone_match("reporter_phone", fragment))  # no date window
    assert "case_phone_tail_reported" in plan(matching)
    assert list(matching) == [case]


def test_the_tails_ending_with_a_fragment():
    assert tails_ending_with("234") == ["234", *(f"{d}234" for d in "0123456789")]
    assert len(tails_ending_with("4")) == 1 + 10 + 100 + 1000
    assert all(t.endswith("4") and len(t) <= 4 for t in tails_ending_with("4"))


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


def test_text_search_uses_the_pairs_index_on_postgresql(cast, submit):
    case = submit(description="垃圾桶满了")
    for term in ("垃", "了", "垃圾", "垃圾桶满", "桶满了吗", "吗"):
        condition = text_terms_match(term, None, None)
        if connection.vendor != "postgresql":
            assert condition is None  # SQLite: LIKE alone
            continue
        indexed = Case.objects.filter(condition)
        assert TERMS_INDEX in plan(indexed)  # the query's expression is the index's
        assert list(indexed) == ([] if "吗" in term else [case])


def test_text_search_finds_cases_at_both_ends_of_the_dates_given(cast, submit):
    first_day = timezone.localdate() - timedelta(days=100)
    last_day = first_day + timedelta(days=40)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day, time.max))
    inside = [submit(description="井盖缺失", reported_at=at) for at in (start, end)]
    outside = [
        submit(description="井盖缺失", reported_at=at)
        for at in (start - timedelta(seconds=1), end + timedelta(seconds=1))
    ]
    got = found(cast.dispatcher, text="井盖", date_from=first_day, date_to=last_day)
    assert got == {c.code for c in inside}
    whole = found(cast.dispatcher, text="井盖", date_from=first_day - timedelta(days=400))
    assert whole == {c.code for c in inside + outside}  # a long window: pairs only


def test_the_index_holds_each_pair_within_its_fortnight():
    if connection.vendor != "postgresql":
        return
    moment = timezone.now()
    (number,) = fortnights(moment, moment)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {TERMS_FUNCTION}('垃圾桶', '', '', %s)::text", [moment])
        terms = set(cursor.fetchone()[0].replace("'", "").split())
    pairs = {"垃圾", "圾桶"}
    within = {f"{pair}#{number}" for pair in pairs}
    assert terms == pairs | within | {"垃", "圾", "桶", f"#{number}"}


def test_the_fortnight_of_python_and_of_the_index_agree():
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    moments = [timezone.now() + timedelta(days=d, seconds=s) for d in (0, 7, 13) for s in (0, 1)]
    moments += [epoch + timedelta(seconds=FORTNIGHT_SECONDS * 2920 + s) for s in (-1, 0)]
    if connection.vendor != "postgresql":  # no index: only Python's side to check
        assert [fortnights(m, m)[0] for m in moments[-2:]] == [2919, 2920]
        return
    with connection.cursor() as cursor:
        for moment in moments:
            cursor.execute(f"SELECT {TERMS_FUNCTION}('', '', '', %s)::text", [moment])
            (number,) = fortnights(moment, moment)
            assert cursor.fetchone()[0] == f"'#{number}'"


def test_the_index_function_gives_what_the_one_the_index_was_built_with_gave():
    """Migration 0018 rewrote the function in PL/pgSQL without rebuilding the index: for
    that, every text must give the same terms as with 0017's SQL function."""
    if connection.vendor != "postgresql":
        return
    built_with = importlib.import_module(
        "wenming.cases.migrations.0017_case_text_terms_by_fortnight"
    ).TERMS.replace("FUNCTION wenming_case_terms_v2", "FUNCTION pg_temp.terms_0017")
    pieces = [
        "垃圾",
        "桶",
        "满了",
        " ",
        "\t",
        "\n",
        "　",
        "AbC",
        "12",
        "３",
        "😀",
        "é",
        "#",
        "\\1",
        "'",
        ".",
    ]
    chosen = random.Random(18)
    texts = [("", "", ""), ("a", "", ""), ("ab", "", ""), ("垃圾桶满了", " A b ", "3号")]
    texts += [
        tuple("".join(chosen.choices(pieces, k=chosen.randint(0, 6))) for _ in range(3))
        for _ in range(300)
    ]
    moments = [
        timezone.now(),
        datetime(1969, 12, 31, 23, tzinfo=UTC),
        datetime(1950, 1, 1, tzinfo=UTC),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lanname FROM pg_proc JOIN pg_language ON pg_language.oid = prolang "
            "WHERE proname = %s",
            [TERMS_FUNCTION],
        )
        assert cursor.fetchone() == ("plpgsql",)  # one plan per connection (0018)
        cursor.execute(built_with)
        for n, (title, description, address) in enumerate(texts):
            values = [title, description, address, moments[n % len(moments)]]
            cursor.execute(
                f"SELECT {TERMS_FUNCTION}(%s, %s, %s, %s)::text, "
                "pg_temp.terms_0017(%s, %s, %s, %s)::text",
                values * 2,
            )
            now, then = cursor.fetchone()
            assert now == then, values


def test_terms_query_forms():
    if connection.vendor != "postgresql":
        assert text_terms_match("垃圾", None, None) is None
        return
    assert terms_query("垃", None, None) == "'垃'"
    assert terms_query(" A ", None, None) == "'a'"
    assert terms_query("垃圾桶", None, None) == "'垃圾' & '圾桶'"
    assert terms_query("LE D", None, None) == "'le' & 'ed'"
    assert terms_query("it's", None, None) == "'it' & 't''' & '''s'"
    assert terms_query("a\\b", None, None) == "'a\\\\' & '\\\\b'"
    assert terms_query(" \t", None, None) is None
    now = timezone.now()
    numbers = fortnights(now - timedelta(days=30), now)
    within = " | ".join(f"'垃圾#{n}'" for n in numbers)
    assert terms_query("垃圾", now - timedelta(days=30), now) == f"({within})"
    both = terms_query("垃圾桶", now - timedelta(days=30), now)
    bucket = " | ".join(f"'圾桶#{n}'" for n in numbers)
    assert both == f"({within}) & ({bucket})"
    alone = " | ".join(f"'#{n}'" for n in numbers)
    assert terms_query("垃", now - timedelta(days=30), now) == f"'垃' & ({alone})"
    assert terms_query("垃圾", now - timedelta(days=400), now) == "'垃圾'"
    assert terms_query("垃圾", now, now - timedelta(days=30)) == "'垃圾'"  # reversed dates


def test_pairs_in_most_cases_are_left_to_the_like(cast, submit):
    near = [submit(address=f"青山路{n}号附近") for n in range(10, 20)]
    other = submit(address="钢铁大街22号楼下")
    if connection.vendor != "postgresql":
        assert found(cast.dispatcher, text="12号附近") == {near[2].code}
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")  # the index's statistics: 号附, 附近 in most cases
    assert terms_query("12号附近", None, None) == "'12' & '2号'"
    assert terms_query("号附近", None, None) in ("'号附'", "'附近'")  # all common: the rarest
    assert terms_query("楼下", None, None) == "'楼下'"
    assert found(cast.dispatcher, text="12号附近") == {near[2].code}
    assert found(cast.dispatcher, text="号附近") == {c.code for c in near}
    assert found(cast.dispatcher, text="22号") == {other.code}


def test_reversed_dates_find_nothing_and_raise_nothing(cast, submit):
    submit(description="垃圾桶满了")
    today = timezone.localdate()
    assert (
        found(cast.dispatcher, text="垃圾", date_from=today, date_to=today - timedelta(days=20))
        == set()
    )


def a_week_in_code_order(submit, sort):  # type: ignore[no-untyped-def]
    """A case from before the week, the week's three codes in the order `sort` gives, and
    the week's filter."""
    before = submit(title="编号旧", reported_at=long_ago())
    codes = sorted(submit(title=f"编号{i}").code for i in range(3))
    week = CaseFilters(date_from=timezone.localdate() - timedelta(days=7))
    return before, codes if sort == "code" else codes[::-1], week


@pytest.mark.parametrize("sort", ["code", "-code"])
def test_code_order_within_dates_is_sorted_from_the_window(cast, submit, sort):
    before, codes, week = a_week_in_code_order(submit, sort)
    searched = cases_search(cast.dispatcher, week, sort=sort)
    assert list(searched.values_list("code", flat=True)) == codes
    # PostgreSQL sorts the window's rows: the first sort key is one no index serves.
    order = str(searched.query).split("ORDER BY")[1]
    assert ('"code" IS NULL' in order) == (connection.vendor == "postgresql")
    all_time = cases_search(cast.dispatcher, CaseFilters(), sort=sort)
    assert "IS NULL" not in str(all_time.query).split("ORDER BY")[1]
    assert before.code in all_time.values_list("code", flat=True)


@pytest.mark.parametrize("sort", ["code", "-code"])
def test_many_matches_in_code_order_walk_the_window_s_codes(cast, submit, sort):
    before, codes, week = a_week_in_code_order(submit, sort)
    paging = search_paging(cast.dispatcher, week, sort=sort)
    by_codes = paging["when_many"](cases_search(cast.dispatcher, week, sort=sort))
    # The dates as a range of the code index from the first day's codes; no report time.
    first_day = f"{settings.WENMING_CASE_PREFIX}{week.date_from:%Y%m%d}"
    assert before.code < first_day <= min(codes)
    where, order = str(by_codes.query).split("WHERE")[1].split("ORDER BY")
    assert first_day in where and "reported_at" not in where and "IS NULL" not in order
    assert list(by_codes.values_list("code", flat=True)) == codes
    # More matches than the cap (2): the first page comes from the code range.
    searched = cases_search(cast.dispatcher, week, sort=sort)
    paginator = CappedPaginator(searched, 2, cap=2, **paging)
    assert [c.code for c in paginator.page(1)] == codes[:2] and paginator.count_capped
    assert "reported_at" not in str(paginator.object_list.query).split("WHERE")[1]
    for other in (CaseFilters(), CaseFilters(state="submitted", date_from=week.date_from)):
        wanted = "-reported" if other.date_from else sort
        assert search_paging(cast.dispatcher, other, sort=wanted)["when_many"] is None


def test_a_window_in_code_order_ends_with_its_last_day(cast, submit):
    old = submit(title="编号旧", reported_at=long_ago())
    new = submit(title="编号新")
    day = timezone.localdate(old.reported_at)
    for sort, filters, expected in (
        ("code", CaseFilters(date_from=day, date_to=day), [old]),
        ("code", CaseFilters(date_to=day), [old]),
        ("-code", CaseFilters(date_from=day), [new, old]),
        ("-code", CaseFilters(date_from=day + timedelta(days=1)), [new]),
    ):
        searched = cases_search(cast.dispatcher, filters, sort=sort)
        by_codes = search_paging(cast.dispatcher, filters, sort=sort)["when_many"](searched)
        for rows in (searched, by_codes):
            assert list(rows.values_list("code", flat=True)) == [c.code for c in expected]


def test_the_due_soon_tab_lists_the_units_warned_cases_from_its_own_index(cast, advance):
    warned, calm = advance("in_progress"), advance("dispatched")
    Case.objects.filter(pk=warned.pk).update(warning_level=WarningLevel.YELLOW)
    assert [c.pk for c in worklist(cast.handler, tab="due_soon")] == [warned.pk]
    assert calm.pk in {c.pk for c in worklist(cast.handler, tab="to_sign")}
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    assert "case_unit_warned_due" in indexes
    if connection.vendor == "postgresql":
        tab = Case.objects.filter(DUE_SOON, unit_id=warned.unit_id).order_by("handle_deadline")
        assert "case_unit_warned_due" in plan(tab)


@pytest.mark.parametrize("sort", ["-reported", "reported"])
def test_the_first_pages_of_a_text_search_past_the_cap_walk_the_report_time(
    cast, submit, settings, sort
):
    settings.WENMING_COUNT_CAP = 3
    now = timezone.now()
    made = [submit(title="垃圾桶满了", reported_at=now - timedelta(hours=i)) for i in range(5)]
    submit(title="路灯不亮", description="路灯不亮")
    wanted = CaseFilters(text="垃圾")
    searched = cases_search(cast.dispatcher, wanted, sort=sort)
    when_many = search_when_many(cast.dispatcher, wanted, sort=sort)
    paginator = CappedPaginator(searched, 2, when_many=when_many)
    newest_first = [c.code for c in made]
    expected = newest_first if sort == "-reported" else newest_first[::-1]
    pages = [[c.code for c in paginator.page(n)] for n in paginator.page_range]
    assert paginator.count_capped and pages == [expected[0:2], expected[2:3]]
    if connection.vendor != "postgresql":
        assert when_many is None  # SQLite: LIKE alone in any case
        return
    walked = when_many(searched)
    assert TERMS_FUNCTION in str(searched.query)
    assert TERMS_FUNCTION not in str(walked.query) and "LIKE" in str(walked.query)
    assert list(walked) == list(searched)


def test_only_text_searches_by_report_time_walk_past_the_cap(cast):
    assert search_when_many(cast.dispatcher, CaseFilters(), sort="-reported") is None
    by_code = search_when_many(cast.dispatcher, CaseFilters(text="垃圾"), sort="code")
    assert by_code is None  # walking another sort would not stop near its start


def test_only_text_searches_by_report_time_count_by_walking(cast, monkeypatch):
    monkeypatch.setattr(selectors, "text_share_estimated", lambda text: 1.0)
    assert search_walk(cast.dispatcher, CaseFilters(), sort="-reported") is None
    assert search_walk(cast.dispatcher, CaseFilters(text="垃圾"), sort="due") is None
    walk = search_walk(cast.dispatcher, CaseFilters(text="垃圾"), sort="-reported")
    assert (walk is not None) == (connection.vendor == "postgresql")  # SQLite: LIKE alone


def test_a_rare_term_is_not_walked(cast, monkeypatch):
    monkeypatch.setattr(selectors, "text_share_estimated", lambda text: 0.01)
    assert search_walk(cast.dispatcher, CaseFilters(text="垃圾"), sort="-reported") is None


def paged_search(user, wanted, per_page=2):  # type: ignore[no-untyped-def]
    """The console's paginator for a search (selectors.search_paging) and the SQL it ran."""
    from django.test.utils import CaptureQueriesContext

    searched = cases_search(user, wanted)
    paginator = CappedPaginator(searched, per_page, **search_paging(user, wanted, sort="-reported"))
    with CaptureQueriesContext(connection) as captured:
        first = [c.code for c in paginator.page(1)]  # as the view: the page, then the pager
    pages = [first] + [[c.code for c in paginator.page(n)] for n in paginator.page_range[1:]]
    return paginator, pages, " ".join(q["sql"] for q in captured.captured_queries)


def test_a_common_term_past_the_text_cap_is_counted_and_paged_by_walking(
    cast, submit, settings, monkeypatch
):
    settings.WENMING_TEXT_COUNT_CAP = 3
    monkeypatch.setattr(selectors, "text_share_estimated", lambda text: 1.0)
    now = timezone.now()
    made = [submit(title="垃圾桶满了", reported_at=now - timedelta(hours=i)) for i in range(5)]
    submit(title="路灯不亮", description="路灯不亮", reported_at=now - timedelta(minutes=30))
    paginator, pages, sql = paged_search(cast.dispatcher, CaseFilters(text="垃圾"))
    newest_first = [c.code for c in made]
    assert (paginator.count, paginator.count_capped) == (3, True)
    assert pages == [newest_first[0:2], newest_first[2:3]]
    assert ("walked" in sql) == (connection.vendor == "postgresql")


def test_a_walk_that_finds_few_matches_leaves_the_exact_count_to_the_index(
    cast, submit, settings, monkeypatch
):
    settings.WENMING_TEXT_COUNT_CAP = 3
    monkeypatch.setattr(selectors, "text_share_estimated", lambda text: 1.0)  # wrongly
    now = timezone.now()
    made = [submit(title="垃圾桶满了", reported_at=now - timedelta(hours=i)) for i in range(2)]
    for i in range(4):
        submit(title="路灯不亮", description="路灯不亮", reported_at=now - timedelta(minutes=i))
    paginator, pages, sql = paged_search(cast.dispatcher, CaseFilters(text="垃圾"))
    assert (paginator.count, paginator.count_capped) == (2, False)
    assert pages == [[c.code for c in made]]


def test_the_statistics_tell_a_common_term_from_a_rare_one(cast, submit):
    for i in range(30):
        submit(title=f"垃圾桶满了{i}" if i < 24 else f"路灯不亮{i}", description=f"第{i}号")
    if connection.vendor != "postgresql":
        assert text_share_estimated("垃圾") is None  # no planner estimates: never walked
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    assert text_share_estimated("井盖丢失") < text_share_estimated("垃圾")
    common = search_walk(cast.dispatcher, CaseFilters(text="垃圾"), sort="-reported")
    rare = search_walk(cast.dispatcher, CaseFilters(text="井盖丢失"), sort="-reported")
    assert common is not None and rare is None


def test_a_unit_s_cases_by_date_are_read_from_the_unit_s_index(cast, advance):
    mine, old = advance("dispatched"), advance("dispatched", reported_at=long_ago())
    week = CaseFilters(unit=mine.unit_id, date_from=timezone.localdate() - timedelta(days=7))
    searched = cases_search(cast.dispatcher, week)
    assert list(searched) == [mine] and old.unit_id == mine.unit_id
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    # Its columns answer the unit and the dates (bench/worklist.py: unit + 30 days).
    assert indexes["case_unit_reported"]["columns"][:2] == ["unit_id", "reported_at"]


def test_postgresql_knows_the_last_action_decides_the_state():
    # Without it the "returned" queue (registered, last action return) looks like one row
    # to the planner, which then reads its page through nested loops (bench/worklist.py).
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'case_last_action_state'"
        )
        assert cursor.fetchone() == (["f"],)


@pytest.mark.parametrize("by", ["phone", "code"])
def test_a_phone_or_code_search_counts_and_pages_in_one_pass(cast, submit, settings, by):
    now = timezone.now()
    made = [
        submit(reporter_phone="13700005678", reported_at=now - timedelta(hours=i)) for i in range(3)
    ]
    submit(reporter_phone="13900001111", reported_at=now)
    code_prefix = os.path.commonprefix([c.code for c in made])
    wanted = CaseFilters(phone="13700005678") if by == "phone" else CaseFilters(code=code_prefix)
    expected = [c.code for c in cases_search(cast.dispatcher, wanted)]
    assert set(expected) >= {c.code for c in made}
    paginator, pages, sql = paged_search(cast.dispatcher, wanted)
    assert (paginator.count, paginator.count_capped) == (len(expected), False)
    assert sum(pages, []) == expected  # newest first, every page
    assert sql.count("COUNT(*) OVER ()") == 1  # the count's query also found page 1
    settings.WENMING_COUNT_CAP = len(expected) - 1  # past the cap: counted, then paged
    paginator, pages, _sql = paged_search(cast.dispatcher, wanted)
    assert (paginator.count, paginator.count_capped) == (len(expected) - 1, True)
    assert pages[0] == expected[:2]
