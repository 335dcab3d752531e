"""CappedPaginator: counts at most cap + 1 rows, pages end at the cap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenming.core.paging import CappedPaginator
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


def test_pages_read_the_few_rows_shape_only_for_few_rows():
    rows = regions(4)

    def reversed_codes(queryset):  # type: ignore[no-untyped-def]
        return queryset.order_by("-code")

    few = CappedPaginator(rows, 2, cap=10, few=4, when_few=reversed_codes)
    assert few.page(1)[0].code == "900000000003"
    more = CappedPaginator(rows, 2, cap=10, few=3, when_few=reversed_codes)
    assert more.page(1)[0].code == "900000000000"


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
