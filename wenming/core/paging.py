"""Paging for lists that can hold a million rows: the count stops at a cap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

FEW_ROWS = 3_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A Paginator that counts at most `cap` + 1 rows (default settings.WENMING_COUNT_CAP).

    Counting every case in scope costs ~0.4 s at 1,000,000 cases on PostgreSQL, counting the
    first 10,001 a few milliseconds (bench/worklist.py). Past the cap, `count` is the cap,
    `count_capped` is True (pages say "10,000+") and the pages end at the cap: the user
    narrows the filter to reach the others, as in mature search products.

    `when_few(object_list)`, if given, is what the pages read when at most `few` rows match
    (FEW_ROWS: sorting that many costs PostgreSQL < 40 ms in bench/worklist.py, while 10,000
    cost ~100 ms where an index walk took 20 ms): the same rows in the same order, shaped
    for a small result (case search: cases.selectors.cases_sorted_after_filtering).

    A page of a queryset is read ids first: the filtered rows sorted and cut to the page on
    their own table, then those rows with their relations (select_related). Otherwise
    PostgreSQL may join the related tables to every match before sorting (bench/worklist.py:
    a common text term, 7,400 matches, 36 ms for the page instead of ~15)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        cap: int | None = None,
        when_few: Callable[[Any], Any] | None = None,
        few: int = FEW_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = settings.WENMING_COUNT_CAP if cap is None else cap
        self.when_few, self.few = when_few, few

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # COUNT(*) over a `LIMIT cap + 1` subquery; no ORDER BY, so PostgreSQL may stop at
            # the first cap + 1 rows it finds in any order.
            return rows.order_by()[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_capped(self) -> bool:
        """True when more rows match than `count` says."""
        return self._counted > self.cap

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        if self.when_few is not None and self._counted <= self.few:
            self.object_list, self.when_few = self.when_few(self.object_list), None
        return super().page(number)

    def _get_page(self, page_rows: Any, number: int, paginator: Paginator) -> Page:  # type: ignore[type-arg]
        # Paginator.page's hook, given the page's slice of object_list.
        if isinstance(page_rows, QuerySet):
            page_rows = _rows_by_ids_first(page_rows, self.object_list)  # type: ignore[arg-type]
        return Page(page_rows, number, paginator)


def _rows_by_ids_first(page_slice: QuerySet[Any], rows: QuerySet[Any]) -> list[Any]:
    ids = list(page_slice.values_list("pk", flat=True))
    # The same filters again: a row changed in between so that it no longer matches drops out.
    found = rows.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
