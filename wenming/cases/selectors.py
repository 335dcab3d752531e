"""Reads of the problem loop, always through the user's data scope (cases.access)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wenming.core.memo import Memo, kept_copy
from wenming.core.paging import WALK_ROWS, estimated_rows
from wenming.core.personal import TAIL as PHONE_TAIL
from wenming.core.personal import phone_digits, phone_match
from wenming.core.scope import scope_filter
from wenming.org.models import Region, Role, Unit

from .access import can_act, cases_visible
from .codes import codes_reported_within
from .models import (
    DUE_SOON,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseRating,
    CaseRequest,
    Category,
    RequestStatus,
    Visibility,
    WarningLevel,
)
from .services import ACTION_ROLES
from .states import Action, State, allowed_actions
from .textsearch import text_terms_match

LIST_RELATED = ("category", "region", "unit")

# Active minor classes by id, in memory: what a submission may name (no query per request).
_minor_categories: Memo[dict[int, Category]] = Memo(
    lambda: {c.pk: c for c in Category.objects.filter(is_active=True, parent__isnull=False)},
    models=(Category,),
)


def category_minor_active(pk: int) -> Category | None:
    """The active minor class with this id (a copy of the kept one), or None."""
    category = _minor_categories.get().get(pk)
    return kept_copy(category) if category else None


def case_get_for(user: User | AnonymousUser, code: str) -> Case:
    """The case with this code if the user may see it; 404 for missing and out of scope alike."""
    try:
        return cases_visible(
            user, Case.objects.select_related(*LIST_RELATED, "handler", "merged_into")
        ).get(code=code)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def moves_for(user: User | AnonymousUser, case: Case) -> list[str]:
    """The actions this user may take on this case now (for the buttons on the case page)."""
    return [
        action
        for action in Action.values
        if action in allowed_actions(case.state)
        and action in ACTION_ROLES
        and can_act(user, case, ACTION_ROLES[action])
    ]


def timeline(case: Case, *, audience: str) -> QuerySet[CaseEvent]:
    """Events the audience may read: the public sees public ones, staff see public and staff
    ones, the internal view everything."""
    shown = {"public": [Visibility.PUBLIC], "staff": [Visibility.PUBLIC, Visibility.STAFF]}.get(
        audience
    )
    events = case.events.select_related("actor", "unit").prefetch_related("attachments")
    return events.filter(visibility__in=shown) if shown else events


def _user_units(user: User) -> list[int]:
    return [
        m.unit_id
        for m in user.memberships.all()
        if m.role in (Role.HANDLER, Role.UNIT_LEAD) and m.unit_id
    ]


# ---------------------------------------------------------------- queues


def _visible(user: User) -> QuerySet[Case]:
    return cases_visible(user, Case.objects.select_related(*LIST_RELATED))


def queue_to_register(user: User) -> QuerySet[Case]:
    return _visible(user).filter(state=State.SUBMITTED).order_by("reported_at")


def queue_to_dispatch(user: User) -> QuerySet[Case]:
    return (
        _visible(user)
        .filter(state=State.REGISTERED)
        .exclude(last_action=Action.RETURN)
        .order_by("registered_at")
    )


def queue_returned(user: User) -> QuerySet[Case]:
    return (
        _visible(user)
        .filter(state=State.REGISTERED, last_action=Action.RETURN)
        .order_by("updated_at")
    )


def queue_overdue(user: User) -> QuerySet[Case]:
    return (
        _visible(user)
        .filter(
            warning_level=WarningLevel.RED,
            state__in=[State.DISPATCHED, State.IN_PROGRESS, State.HANDLED],
        )
        .order_by("handle_deadline")
    )


def queue_to_verify(user: User) -> QuerySet[Case]:
    return _visible(user).filter(state=State.HANDLED).order_by("verify_deadline")


def requests_waiting(user: User, *, status: str) -> QuerySet[CaseRequest]:
    """Return/extension requests waiting for this user's decision (lead or dispatcher)."""
    visible = cases_visible(user).values("pk")
    requests = CaseRequest.objects.filter(status=status, case__in=visible)
    if status == RequestStatus.PENDING_LEAD:
        requests = requests.filter(
            case__unit_id__in=[
                m.unit_id for m in user.memberships.all() if m.role == Role.UNIT_LEAD
            ]
        )
    return requests.select_related("case", "case__unit", "requested_by").order_by("created_at")


def worklist(user: User, *, tab: str) -> QuerySet[Case]:
    """The unit's worklist tabs: to_sign, in_progress, due_soon, rework."""
    cases = _visible(user).filter(unit_id__in=_user_units(user))
    tabs = {
        "to_sign": Q(state=State.DISPATCHED),
        "in_progress": Q(state=State.IN_PROGRESS),
        "due_soon": DUE_SOON,
        "rework": Q(state=State.IN_PROGRESS, last_action=Action.VERIFY_FAIL),
    }
    return cases.filter(tabs[tab]).order_by("handle_deadline", "id")


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class CaseFilters:
    code: str = ""
    phone: str = ""
    text: str = ""
    category: int | None = None
    state: str = ""
    region: str = ""  # region code: its whole subtree
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    unit: int | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


SORTS = {
    "reported": "reported_at",
    "-reported": "-reported_at",
    "due": "handle_deadline",
    "-due": "-handle_deadline",
    "code": "code",
    "-code": "-code",
    "state": "state",
    "-state": "-state",
}


# Text and phone fragments of 1–3 digits, without a start date, look at the last RECENT_DAYS
# days only: what staff mean by a quick search, and what the indexes narrow to (text:
# textsearch.py on PostgreSQL; fragments: the phone tail index with the date). Four digits
# and a whole number (FULL_PHONE digits or more) are indexed look-ups over all time.
RECENT_DAYS = 30
FULL_PHONE = 11
TEXT_FIELDS = ("title", "description", "address")


def _code_prefix(code: str) -> Q:
    # Codes are upper case (prefix + digits): a range scan of the code index, not UPPER(code).
    code = code.strip()
    return Q(code__startswith=code.upper()) | Q(code__startswith=code)


def _phone(phone: str) -> Q:
    # Phones are stored encrypted: a whole number matches by its keyed hash, a fragment by
    # the last (up to four) digits.
    return phone_match("reporter_phone", phone, full_length=FULL_PHONE)


def _text(text: str, start: datetime | None, end: datetime, *, text_index: bool) -> Q:
    like = _text_like(text)
    # PostgreSQL: the pairs index finds the rows.
    indexed = text_terms_match(text, start, end) if text_index else None
    return like if indexed is None else indexed & like


def _text_like(text: str) -> Q:
    # Case folding matters for Latin letters only; UPPER() on Chinese text triples the cost.
    lookup = "icontains" if re.search("[A-Za-z]", text) else "contains"
    return reduce(operator.or_, (Q(**{f"{field}__{lookup}": text}) for field in TEXT_FIELDS))


def _category(category_id: int) -> Q:
    # The class itself or its minor classes, as ids: keeps the (category, state) index usable.
    ids = Category.objects.filter(Q(pk=category_id) | Q(parent_id=category_id)).values("pk")
    return Q(category_id__in=ids)


def _needs_window(f: CaseFilters) -> bool:
    fragment = 0 < len(phone_digits(f.phone)) < PHONE_TAIL
    return (bool(f.text) or fragment) and f.date_from is None


TextAs = Literal["index", "like", "hit"]


def cases_search(
    user: User,
    filters: CaseFilters,
    *,
    sort: str = "-reported",
    text_as: TextAs = "index",
    by_codes: bool = False,
) -> QuerySet[Case]:
    """The case search of the staff console, within the user's scope.

    A search by text or by 1–3 digits of a phone, without a start date, covers the last
    RECENT_DAYS days. `text_as` says how the text is looked for: "index", the text index's
    condition and the LIKE that checks its candidates; "like", the LIKE alone
    (search_when_many); "hit", not a condition but the boolean annotation `hit` (search_walk).
    `by_codes`: the dates as the range of their codes (search_by_code_range)."""
    cases = _visible(user)
    f = filters
    now = timezone.now()
    start = _day_start(f.date_from) if f.date_from else None
    end = _day_start(f.date_to) + timedelta(days=1) if f.date_to else now
    if _needs_window(f):
        start = now - timedelta(days=RECENT_DAYS)
        cases = cases.filter(reported_at__gte=start)
    conditions = [
        (f.code, lambda: _code_prefix(f.code)),
        (f.phone, lambda: _phone(f.phone)),
        (
            f.text and text_as != "hit",
            lambda: _text(f.text, start, end, text_index=text_as == "index"),
        ),
        (f.category, lambda: _category(f.category)),  # type: ignore[arg-type]
        (f.state, lambda: Q(state=f.state)),
        (f.region, lambda: Q(region__path__contains=f"/{f.region}/")),
        (f.channel, lambda: Q(channel=f.channel)),
        (f.date_from and not by_codes, lambda: Q(reported_at__gte=start)),
        (f.date_to and not by_codes, lambda: Q(reported_at__lt=end)),
        (by_codes, lambda: codes_reported_within(start, f.date_to)),
        (f.overdue, lambda: Q(warning_level=WarningLevel.RED)),
        (f.unit, lambda: Q(unit_id=f.unit)),
    ]
    for value, condition in conditions:
        if value:
            cases = cases.filter(condition())
    if f.text and text_as == "hit":
        cases = cases.annotate(hit=ExpressionWrapper(_text_like(f.text), BooleanField()))
    cases = cases.order_by(SORTS.get(sort, "-reported_at"), "-id")
    if sort.lstrip("-") == "code" and (start is not None or f.date_to) and not by_codes:
        # Codes follow the report days (prefix, day, sequence): a date window's rows lie
        # together in the code index, not spread evenly as PostgreSQL assumes, so walking
        # that index would read the table up to them (bench/worklist.py, 30 days by code at
        # 1M: 290 ms, sorting the window's rows: 20 ms). Many rows: search_by_code_range.
        cases = cases_sorted_after_filtering(cases)
    return cases


def search_paging(user: User, filters: CaseFilters, *, sort: str) -> dict[str, Any]:
    """How the search's pages are read (CappedPaginator's options; bench/worklist.py).

    A text search counts up to its own cap (settings.WENMING_TEXT_COUNT_CAP) and sorts the
    rows it counts: text matches are read from the table anyway (the LIKE), and the page of
    up to `cap` matches is then found in the same pass; so does a search by a whole phone
    number or a code prefix (_counted_from_the_table). Other searches count from their
    indexes alone, without reading the table, and their pages walk the sort's index: sorting
    the counted rows would read the table for them (region + 30 days at 1M, 6,000 matches:
    15 → 41 ms)."""
    if not filters.text:
        return {
            "when_many": search_by_code_range(user, filters, sort=sort),
            "sorts_counted": _counted_from_the_table(filters),
        }
    return {
        "cap": settings.WENMING_TEXT_COUNT_CAP,
        "sorts_counted": True,
        "walk_counted": search_walk(user, filters, sort=sort),
        "when_many": search_when_many(user, filters, sort=sort),
    }


def _counted_from_the_table(filters: CaseFilters) -> bool:
    """A whole phone number or a code prefix: its index (the phone's hash, the code) holds
    neither the scope's region nor the sort key, so counting its matches reads each from the
    table anyway, and the same pass can sort them for the page (bench/worklist.py at 10M, a
    phone with 9,979 cases: the count and the page read the same 8,811 blocks twice)."""
    return bool(filters.code) or len(phone_digits(filters.phone)) >= FULL_PHONE


def _walks_report_time(filters: CaseFilters, sort: str) -> bool:
    """A text search by report time on PostgreSQL: the report-time index can stand in for
    the text index (search_walk, search_when_many); SQLite has LIKE alone in any case."""
    return (
        bool(filters.text) and sort.lstrip("-") == "reported" and connection.vendor == "postgresql"
    )


def search_walk(
    user: User, filters: CaseFilters, *, sort: str
) -> Callable[[QuerySet[Case]], QuerySet[Case]] | None:
    """For a text search by report time of a term that PostgreSQL's statistics call common,
    what CappedPaginator walks to count and find the page (`walk_counted`): the search with
    the text as the annotation `hit`. Walking the report-time index meets the text cap's
    cap + 1 matches within a few thousand cases, where the text index reads every match of
    the window (bench/worklist.py, 垃圾 over two years of a million cases: 130,000 matches,
    44 ms for the index's bitmap alone). Common: the walk's row limit (WALK_ROWS) would meet
    twice cap + 1 matches at the estimated share — a margin for the estimate, measured within
    2.5× of the truth for common terms (1,000: one case in ten). A term that proves rarer
    ends the walk at its row limit and is counted through the index."""
    if not _walks_report_time(filters, sort):
        return None
    share = text_share_estimated(filters.text)
    if share is None or share * WALK_ROWS < 2 * (settings.WENMING_TEXT_COUNT_CAP + 1):
        return None
    return lambda _cases: cases_search(user, filters, sort=sort, text_as="hit")


def text_share_estimated(text: str) -> float | None:
    """The share of all cases whose text contains `text`, as PostgreSQL's statistics estimate
    it (planning, no rows read); None on SQLite."""
    matching = estimated_rows(Case.objects.filter(_text_like(text)).values("pk"))
    every = estimated_rows(Case.objects.values("pk"))
    return None if matching is None or not every else matching / every


def search_when_many(
    user: User, filters: CaseFilters, *, sort: str
) -> Callable[[QuerySet[Case]], QuerySet[Case]] | None:
    """What the first pages of a text search by report time read when more cases match than
    the count cap (CappedPaginator's `when_many`): the search without the text index's
    condition, so that PostgreSQL walks the report-time index and stops at the page's last
    match. At least `cap` matches lie in the window, so the page's rows are near its end;
    through the text index, every match of the window is read and sorted (bench/worklist.py,
    a common term over 90 days of a million cases, 22,000 matches: 55 ms for the page, by the
    report-time index 1 ms)."""
    if not _walks_report_time(filters, sort):
        return None
    return lambda _cases: cases_search(user, filters, sort=sort, text_as="like")


def search_by_code_range(
    user: User, filters: CaseFilters, *, sort: str
) -> Callable[[QuerySet[Case]], QuerySet[Case]] | None:
    """What the first pages of a search by dates in code order read when more cases match
    than the count cap (CappedPaginator's `when_many`): the dates as the range of their codes
    (cases.codes.codes_reported_within), which PostgreSQL walks in order from the window's
    first code to the page's last match. The report-time index counts the matches faster
    (the range and the dates together look rarer to the planner than they are, which leads
    it to intersect both indexes); sorting them reads every match (30 days by code at 10M,
    650,000 cases: 300 ms; the code range: a few)."""
    if sort.lstrip("-") != "code" or not (filters.date_from or filters.date_to):
        return None
    return lambda _cases: cases_search(user, filters, sort=sort, by_codes=True)


def cases_sorted_after_filtering(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The same rows in the same order, on PostgreSQL sorted after the filters found the
    rows (the code order within dates, cases_search).

    Otherwise the planner may walk the index of the sort column and filter, assuming the
    matches are spread evenly; when they are not (the last 30 days sorted by code: all at
    the end of the code index) it reads most of the table (bench/worklist.py: 2.4 s). A first
    sort key of `<column> IS NULL`, which no index serves, keeps the order (it puts NULLs
    where PostgreSQL does) and makes it sort the matches that the filters' indexes find."""
    if connection.vendor != "postgresql" or not cases.query.order_by:
        return cases
    first, *rest = cases.query.order_by
    if not isinstance(first, str):  # sorted after filtering already
        return cases
    name = str(first).lstrip("-")
    is_null = ExpressionWrapper(Q(**{f"{name}__isnull": True}), output_field=BooleanField())
    key = is_null.desc() if str(first).startswith("-") else is_null.asc()
    return cases.order_by(key, first, *rest)


# ---------------------------------------------------------------- staff console


def case_requests_open(case: Case) -> list[CaseRequest]:
    """The return/extension requests of a case still waiting for a decision."""
    return list(
        case.requests.filter(
            status__in=[RequestStatus.PENDING_LEAD, RequestStatus.PENDING_DISPATCHER]
        )
        .select_related("requested_by")
        .order_by("created_at")
    )


def case_photos(case: Case) -> QuerySet[CaseAttachment]:
    """Every photo of a case (before, after, evidence) in upload order."""
    return case.attachments.order_by("created_at", "id")


def case_ratings(case: Case) -> QuerySet[CaseRating]:
    return case.ratings.select_related("recorded_by").order_by("-created_at", "-id")


def units_for_dispatch() -> QuerySet[Unit]:
    """Units a case can be dispatched to: every active unit, departments first."""
    return Unit.objects.filter(is_active=True).order_by("kind", "code")


def regions_for_search(user: User) -> QuerySet[Region]:
    """Regions down to communities in the user's scope, for the search's region filter."""
    levels = ["province", "city", "district", "street", "community"]
    regions = Region.objects.filter(level__in=levels).order_by("path")
    return scope_filter(user, regions, region_field="")
