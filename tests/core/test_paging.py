"""CappedPaginator: counts at most cap + 1 rows, pages end at the cap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext

from wenming.core.paging import CappedPaginator, estimated_rows
from wenming.org.models import Region

pytestmark = pytest.mark.django_db


def regions(n: int):  # type: ignore[no-untyped-def]
    Region.objects.bulk_create(
        Region(code=f"9{i:011d}", name=f"区{i}", level="grid", path=f"/9{i:011d}/")
        for i in range(n)
    )
    return Region.objects.filter(code__startswith="9").order_by("code")


def test_past_the_cap_count_stops_and_pages_end_at_the_cap():
    paginator = CappedPaginator(regions(8), 2, cap=5)
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (5, True, 3)
    assert [r.code for r in paginator.page(3)] == ["900000000004"]


def test_under_the_cap_the_count_is_exact():
    paginator = CappedPaginator(regions(5), 2, cap=5)
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (5, False, 3)


def test_the_count_reads_at_most_cap_plus_one_rows_in_one_query():
    rows = regions(8)
    with CaptureQueriesContext(connection) as captured:
        assert CappedPaginator(rows, 2, cap=5).count == 5
    assert len(captured) == 1 and "LIMIT 6" in captured[0]["sql"]


def test_a_list_is_capped_too():
    paginator = CappedPaginator(list(range(8)), 2, cap=5)
    assert (paginator.count, paginator.count_capped) == (5, True)


def test_the_default_cap_is_the_setting(settings):
    settings.WENMING_COUNT_CAP = 3
    assert CappedPaginator(regions(4), 2).count_capped


def codes_of(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.code for r in page]


def test_sorted_counting_reads_the_count_and_the_page_in_one_query():
    rows = regions(7).order_by("-code")
    codes = list(rows.values_list("code", flat=True))  # leaves `rows` unevaluated
    paginator = CappedPaginator(rows, 2, cap=10, sorts_counted=True)
    with CaptureQueriesContext(connection) as captured:
        assert codes_of(paginator.page(2)) == codes[2:4]
    assert paginator.count == 7 and not paginator.count_capped
    selects = [q["sql"] for q in captured]
    assert len(selects) == 2 and "COUNT(*) OVER ()" in selects[0]  # then the rows by id
    assert "IN (" in selects[1]
    with CaptureQueriesContext(connection) as captured:  # as the views ask for a page
        page = CappedPaginator(rows, 2, cap=10, sorts_counted=True).get_page("3")
    assert codes_of(page) == codes[4:6] and len(captured) == 2


def test_past_the_cap_the_page_is_not_cut_from_the_counted_rows():
    # The count reads cap + 1 rows in any order: not the first of the sort.
    rows = regions(8).order_by("-code")
    codes = list(rows.values_list("code", flat=True))
    paginator = CappedPaginator(rows, 2, cap=5, sorts_counted=True)
    assert codes_of(paginator.page(1)) == codes[0:2]
    assert codes_of(paginator.page(3)) == codes[4:5]
    assert (paginator.count, paginator.count_capped) == (5, True)


def test_sorted_counting_keeps_orphans_and_pages_past_the_end():
    rows = regions(7)
    codes = list(rows.values_list("code", flat=True))
    paginator = CappedPaginator(rows, 3, orphans=1, cap=10, sorts_counted=True)
    assert codes_of(paginator.page(2)) == codes[3:7]
    late = CappedPaginator(rows, 3, orphans=1, cap=10, sorts_counted=True).get_page(9)
    assert (late.number, codes_of(late)) == (2, codes[3:7])
    huge = CappedPaginator(rows, 3, cap=10, sorts_counted=True).get_page(2**70)  # no overflow
    assert (huge.number, codes_of(huge)) == (3, codes[6:7])
    wrong = CappedPaginator(rows, 3, cap=10, sorts_counted=True).get_page("x")
    assert (wrong.number, codes_of(wrong)) == (1, codes[0:3])


def test_sorted_counting_follows_expressions_nulls_and_the_models_order():
    parent = Region.objects.create(code="800000000000", name="上级", level="city", path="/8/")
    rows = regions(4)
    Region.objects.filter(code__in=["900000000001", "900000000003"]).update(parent=parent)
    by_parent = rows.order_by(F("parent_id").desc(), "code")  # PostgreSQL: NULLs first
    expected = list(by_parent.values_list("code", flat=True))
    assert codes_of(CappedPaginator(by_parent, 4, cap=10, sorts_counted=True).page(1)) == expected
    by_name = rows.order_by(Length("name").asc(), "-code")
    expected = list(by_name.values_list("code", flat=True))
    assert codes_of(CappedPaginator(by_name, 4, cap=10, sorts_counted=True).page(1)) == expected
    Region.objects.filter(code="900000000000").update(path="/99/")  # path order ≠ insertion
    by_meta = Region.objects.filter(code__startswith="9").exclude(code="900000000002")
    expected = list(by_meta.values_list("code", flat=True))  # Region.Meta.ordering: path
    assert expected[-1] == "900000000000"
    assert codes_of(CappedPaginator(by_meta, 4, cap=10, sorts_counted=True).page(1)) == expected


def test_sorted_counting_of_nothing_is_an_empty_first_page():
    paginator = CappedPaginator(regions(0), 2, cap=10, sorts_counted=True)
    assert (list(paginator.get_page(1)), paginator.count) == ([], 0)
    impossible = regions(3).filter(pk__in=[])  # Django runs no query for it
    paginator = CappedPaginator(impossible, 2, cap=10, sorts_counted=True)
    assert (list(paginator.get_page(1)), paginator.count) == ([], 0)


def test_pages_of_a_queryset_hold_the_sliced_rows_in_order():
    rows = regions(7)
    codes = [r.code for r in rows]
    paginator = CappedPaginator(rows, 3, orphans=1, cap=10)
    pages = [[r.code for r in paginator.page(n)] for n in paginator.page_range]
    assert pages == [codes[0:3], codes[3:7]]  # the last page takes the orphan


def test_a_page_reads_ids_then_those_rows_with_their_relations():
    child = regions(3).first()
    child.parent = Region.objects.create(code="800000000000", name="上级", level="city", path="/8/")
    child.save()
    rows = Region.objects.filter(code__startswith="9").select_related("parent").order_by("code")
    with CaptureQueriesContext(connection) as captured:
        first = CappedPaginator(rows, 2, cap=10).page(1)[0]
        assert first.parent.name == "上级"  # no query: selected with the row
    selects = [q["sql"] for q in captured]
    assert len(selects) == 3  # count, ids, rows
    assert "LIMIT 2" in selects[1] and "parent_id" not in selects[1].split("FROM")[0]
    assert "IN (" in selects[2]


def test_a_row_that_stopped_matching_between_the_two_reads_drops_out(monkeypatch):
    rows = regions(3)
    gone = rows.first()
    real_in_bulk = type(rows).in_bulk

    def changed_in_between(queryset, *args, **kwargs):  # type: ignore[no-untyped-def]
        Region.objects.filter(pk=gone.pk).update(code="700000000000")
        return real_in_bulk(queryset, *args, **kwargs)

    monkeypatch.setattr(type(rows), "in_bulk", changed_in_between)
    assert [r.code for r in CappedPaginator(rows, 3, cap=10).page(1)] == [
        "900000000001",
        "900000000002",
    ]


def reversed_codes(queryset):  # type: ignore[no-untyped-def]
    return queryset.order_by("-code")


def test_the_first_pages_past_the_cap_read_the_many_rows_shape():
    rows = regions(8)
    codes = [r.code for r in rows]
    paginator = CappedPaginator(rows, 2, cap=5, when_many=reversed_codes, many_pages=2)
    assert [r.code for r in paginator.page(1)] == codes[::-1][0:2]
    assert [r.code for r in paginator.page(2)] == codes[::-1][2:4]
    assert [r.code for r in paginator.page(3)] == codes[4:5]  # later pages: object_list
    assert paginator.count == 5  # counted once, from object_list


def test_under_the_cap_pages_never_read_the_many_rows_shape():
    paginator = CappedPaginator(regions(5), 2, cap=5, when_many=reversed_codes)
    assert paginator.page(1)[0].code == "900000000000"


def with_hits(hits: set[str]):  # type: ignore[no-untyped-def]
    """walk_counted for rows filtered to `hits`: the same rows, unfiltered, with `hit`."""
    return lambda rows: (
        Region.objects.filter(code__startswith="9")
        .order_by("code")
        .annotate(hit=ExpressionWrapper(Q(code__in=hits), output_field=BooleanField()))
    )


def test_walking_counts_the_first_hits_and_reads_their_pages_past_the_cap():
    codes = [r.code for r in regions(9)]
    hits = codes[1::2]  # 4 of 9
    rows = Region.objects.filter(code__in=hits).order_by("code")
    pages = []
    for number in (1, 2):
        paginator = CappedPaginator(rows, 2, cap=3, walk_counted=with_hits(set(hits)))
        with CaptureQueriesContext(connection) as captured:
            pages.append(codes_of(paginator.page(number)))
        assert (paginator.count, paginator.count_capped) == (3, True)
        assert len(captured) == 2 and "walked" in captured[0]["sql"]  # count + page, rows
    assert pages == [hits[0:2], hits[2:3]]


def test_a_walk_short_of_the_cap_leaves_the_count_to_the_sorted_count():
    codes = [r.code for r in regions(9)]
    hits = [codes[1], codes[7]]
    rows = Region.objects.filter(code__in=hits).order_by("code")
    paginator = CappedPaginator(
        rows, 2, cap=3, sorts_counted=True, walk_counted=with_hits(set(hits)), walk_rows=4
    )
    assert codes_of(paginator.page(1)) == hits
    assert (paginator.count, paginator.count_capped) == (2, False)


def test_the_estimate_comes_from_postgresqls_statistics():
    rows = regions(40)
    if connection.vendor != "postgresql":
        assert estimated_rows(rows) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE org_region")
    assert estimated_rows(rows) == pytest.approx(40, abs=2)
    assert estimated_rows(Region.objects.all()) == Region.objects.count()
