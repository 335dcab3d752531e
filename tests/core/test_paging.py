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
