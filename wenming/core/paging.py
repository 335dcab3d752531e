"""Paging for lists that can hold a million rows: the count stops at a cap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.functional import cached_property

MANY_PAGES = 10


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A Paginator that counts at most `cap` + 1 rows (default settings.WENMING_COUNT_CAP).

    Counting every case in scope costs ~0.4 s at 1,000,000 cases on PostgreSQL, counting the
    first 10,001 a few milliseconds (bench/worklist.py). Past the cap, `count` is the cap,
    `count_capped` is True (pages say "10,000+") and the pages end at the cap: the user
    narrows the filter to reach the others, as in mature search products.

    `sorts_counted=True`: the count's query also sorts the rows it counted and returns the
    requested page's ids. When no more than `cap` rows match, those are all the matches, so
    that is the page, found in the one pass over the matches that counting needs anyway
    (case search: a common term over 30 days of a million cases, 7,000 matches: the count
    and the page each read them all, ≈20 ms twice). Otherwise, and without it, the page
    is cut from object_list (or from when_many's shape, below).

    `when_many(object_list)`, if given, is what the first `many_pages` pages read when more
    than `cap` rows match: the same rows in the same order, shaped for a result so large
    that a page's rows lie near the start of the sort (case search:
    cases.selectors.search_when_many). Later pages keep object_list: walking the sort to
    them would read the rows of every page before.

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
        sorts_counted: bool = False,
        when_many: Callable[[Any], Any] | None = None,
        many_pages: int = MANY_PAGES,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = object_list  # object_list is the shape of the last page read
        self.cap = settings.WENMING_COUNT_CAP if cap is None else cap
        self.sorts_counted = sorts_counted
        self.when_many, self.many_pages = when_many, many_pages
        self._counted_page: tuple[int, list[Any]] | None = None  # (number, ids)

    @cached_property
    def _counted(self) -> int:
        rows = self.rows
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

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        self._count_with_page(number)
        return super().get_page(number)

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        self._count_with_page(number)
        number = self.validate_number(number)
        self.object_list = self._shaped_for(number)
        return super().page(number)

    def _count_with_page(self, number: Any) -> None:
        """With sorts_counted, count (once) by the query that also finds page `number`."""
        done = "_counted" in self.__dict__
        if done or not (self.sorts_counted and isinstance(self.rows, QuerySet)):
            return
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if bottom >= self.cap:  # past the last page there can be
            return
        # The page with its orphans: what Paginator.page cuts for the last page.
        counted = counted_with_page(self.rows, self.cap, bottom, self.per_page + self.orphans)
        if counted is not None:
            self.__dict__["_counted"], ids = counted
            self._counted_page = (number, ids)

    def _shaped_for(self, number: int) -> Any:
        if self.when_many is not None and self.count_capped and number <= self.many_pages:
            return self.when_many(self.rows)
        return self.rows

    def _get_page(self, page_rows: Any, number: int, paginator: Paginator) -> Page:  # type: ignore[type-arg]
        # Paginator.page's hook, given the page's slice of object_list.
        if isinstance(page_rows, QuerySet):
            ids = self._ids_counted(number, page_rows)
            if ids is None:
                ids = list(page_rows.values_list("pk", flat=True))
            page_rows = _rows_by_ids(ids, self.object_list)  # type: ignore[arg-type]
        return Page(page_rows, number, paginator)

    def _ids_counted(self, number: int, page_rows: QuerySet[Any]) -> list[Any] | None:
        """The page's ids from the count's query, when it counted every match."""
        if self._counted_page is None or self._counted_page[0] != number or self.count_capped:
            return None
        size = page_rows.query.high_mark - page_rows.query.low_mark  # type: ignore[operator]
        return self._counted_page[1][:size]


def counted_with_page(
    rows: QuerySet[Any], cap: int, offset: int, size: int
) -> tuple[int, list[Any]] | None:
    """(matches counted up to cap + 1, ids of rows offset … offset + size in the order of
    `rows`) in one query: the counted rows sorted as `rows` and cut. The ids are the page
    only if the count stayed within the cap. None where `rows` is not sorted by fields and
    expressions (OrderBy) alone, or the page lies past the matches (the count is unknown)."""
    query = rows.query
    if query.distinct or query.combinator or query.is_sliced or query.group_by is not None:
        return None
    keys: dict[str, Any] = {}
    order = []
    ordering = query.order_by or (rows.model._meta.ordering if query.default_ordering else ())
    for position, item in enumerate(ordering):
        if isinstance(item, str) and item.lstrip("-") and "?" not in item:
            keys[f"sort_key_{position}"] = F(item.lstrip("-"))
            descending = item.startswith("-")
        elif isinstance(item, OrderBy) and not (item.nulls_first or item.nulls_last):
            keys[f"sort_key_{position}"] = item.expression
            descending = item.descending
        else:
            return None
        order.append(f"{position + 2} {'DESC' if descending else 'ASC'}")
    counted = rows.order_by().annotate(**keys).values_list("pk", *keys)[: cap + 1]
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # a condition nothing can meet (`pk__in=[]`): no query to run
        return 0, []
    sorted_sql = f" ORDER BY {', '.join(order)}" if order else ""
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"SELECT *, COUNT(*) OVER () FROM ({sql}) counted{sorted_sql} LIMIT %s OFFSET %s",  # noqa: S608 (Django's SQL, positions)
            [*params, size, offset],
        )
        found = cursor.fetchall()
    if not found:
        return (0, []) if offset == 0 else None
    return found[0][-1], [row[0] for row in found]


def _rows_by_ids(ids: list[Any], rows: QuerySet[Any]) -> list[Any]:
    # The same filters again: a row changed in between so that it no longer matches drops out.
    found = rows.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
