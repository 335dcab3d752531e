"""Paging for lists that can hold a million rows: the count stops at a cap."""

from __future__ import annotations

import json
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
WALK_ROWS = 20_000


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

    `walk_counted(object_list)`, if given, is object_list without one of its conditions, which
    is instead the boolean annotation `hit`, in the same order: the count and the page are
    first sought by walking it in that order, up to `walk_rows` rows, for cap + 1 hits
    (counted_by_walking). For a condition many rows meet (case search: a common text term,
    cases.selectors.search_walk) that reads a few thousand rows by the sort's index, where the
    condition's own index reads every match in the window. When the walk finds no more than
    `cap` hits, counting goes on as without it.

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
        walk_counted: Callable[[Any], Any] | None = None,
        walk_rows: int = WALK_ROWS,
        when_many: Callable[[Any], Any] | None = None,
        many_pages: int = MANY_PAGES,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = object_list  # object_list is the shape of the last page read
        self.cap = settings.WENMING_COUNT_CAP if cap is None else cap
        self.sorts_counted = sorts_counted
        self.walk_counted, self.walk_rows = walk_counted, walk_rows
        self.when_many, self.many_pages = when_many, many_pages
        # (number, the page's ids or None where the count's query could not tell them)
        self._counted_page: tuple[int, list[Any] | None] | None = None

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
        """With walk_counted or sorts_counted, count (once) by a query that also finds page
        `number`."""
        done = "_counted" in self.__dict__
        wanted = self.walk_counted is not None or self.sorts_counted
        if done or not (wanted and isinstance(self.rows, QuerySet)):
            return
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if bottom >= self.cap:  # past the last page there can be
            return
        # The page with its orphans: what Paginator.page cuts for the last page.
        size = self.per_page + self.orphans
        counted: tuple[int, list[Any] | None] | None = None
        if self.walk_counted is not None:
            walked = self.walk_counted(self.rows)
            counted = counted_by_walking(walked, self.cap, bottom, size, self.walk_rows)
        if counted is None and self.sorts_counted:
            counted = counted_with_page(self.rows, self.cap, bottom, size)
            if counted is not None and counted[0] > self.cap:
                counted = (counted[0], None)  # cap + 1 rows in no order: not the page
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
        """The page's ids from the count's query, where it found them."""
        if self._counted_page is None or self._counted_page[0] != number:
            return None
        ids = self._counted_page[1]
        size = page_rows.query.high_mark - page_rows.query.low_mark  # type: ignore[operator]
        return None if ids is None else ids[:size]


def counted_with_page(
    rows: QuerySet[Any], cap: int, offset: int, size: int
) -> tuple[int, list[Any]] | None:
    """(matches counted up to cap + 1, ids of rows offset … offset + size in the order of
    `rows`) in one query: the counted rows sorted as `rows` and cut. The ids are the page
    only if the count stayed within the cap. None where `rows` is not sorted by fields and
    expressions (OrderBy) alone, or the page lies past the matches (the count is unknown)."""
    shape = _sort_keys(rows)
    if shape is None:
        return None
    keys, order = shape
    counted = rows.order_by().annotate(**keys).values_list("pk", *keys)[: cap + 1]
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # a condition nothing can meet (`pk__in=[]`): no query to run
        return 0, []
    found = _fetch(
        rows.db,
        f"SELECT *, COUNT(*) OVER () FROM ({sql}) counted {order} LIMIT %s OFFSET %s",  # noqa: S608 (Django's SQL, positions)
        [*params, size, offset],
    )
    if not found:
        return (0, []) if offset == 0 else None
    return found[0][-1], [row[0] for row in found]


def counted_by_walking(
    rows: QuerySet[Any], cap: int, offset: int, size: int, budget: int
) -> tuple[int, list[Any]] | None:
    """(cap + 1, ids of rows offset … offset + size) when the first `budget` rows of `rows`,
    in its order, hold more than `cap` rows whose boolean annotation `hit` is true. Those are
    the first hits of all in that order, so the page is exact although the count is capped.
    One query; the walk stops at the (cap + 1)th hit. None when it finds no more than `cap`
    (the count needs another way) or `rows` is not sorted by fields and expressions alone."""
    shape = _sort_keys(rows)
    if shape is None:
        return None
    keys, order = shape
    walked = rows.annotate(**keys).values_list("pk", *keys, "hit")[:budget]
    try:
        sql, params = walked.query.sql_with_params()
    except EmptyResultSet:
        return None
    # A subquery's rows reach the LIMIT above it in the subquery's order: the first hits.
    found = _fetch(
        rows.db,
        f"SELECT *, COUNT(*) OVER () FROM (SELECT * FROM ({sql}) walked WHERE hit LIMIT %s) "  # noqa: S608 (Django's SQL, positions)
        f"hits {order} LIMIT %s OFFSET %s",
        [*params, cap + 1, size, offset],
    )
    if not found or found[0][-1] <= cap:
        return None
    return found[0][-1], [row[0] for row in found]


def _sort_keys(rows: QuerySet[Any]) -> tuple[dict[str, Any], str] | None:
    """The sort of `rows` as annotations (sort_key_N) and an ORDER BY of their positions
    (the pk first), or None where it is not by fields and expressions (OrderBy) alone."""
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
    return keys, f"ORDER BY {', '.join(order)}" if order else ""


def _fetch(db: str, sql: str, params: list[Any]) -> list[Any]:
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def estimated_rows(rows: QuerySet[Any]) -> float | None:
    """PostgreSQL's estimate of how many rows `rows` holds (its plan's, from the table's
    statistics: no row is read), or None on another database."""
    if connections[rows.db].vendor != "postgresql":
        return None
    plan = json.loads(rows.order_by().explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


def _rows_by_ids(ids: list[Any], rows: QuerySet[Any]) -> list[Any]:
    # The same filters again: a row changed in between so that it no longer matches drops out.
    found = rows.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
