"""The console's list pages run the same number of queries for 10 cases as for 100 (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.cases import services
from wenming.cases.models import Case, CaseRequest, RequestKind, RequestStatus


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def clone(case: Case, n: int) -> None:
    """n more rows like `case` (same state, unit, deadlines), each with its own code."""
    rows, start = [], Case.objects.count()
    for i in range(start, start + n):
        values = {
            f.attname: getattr(case, f.attname)
            for f in Case._meta.concrete_fields
            if not f.primary_key
        }
        values["code"] = f"{case.code}X{i:04d}"
        rows.append(Case(**values))
    Case.objects.bulk_create(rows)


def queries(client, user, url, **get) -> int:
    client.force_login(user)
    client.get(url, get)  # warm: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, get)
    assert response.status_code == 200
    return len(captured)


def grow_and_count(client, user, url, case, **get) -> tuple[int, int]:
    clone(case, 9)
    small = queries(client, user, url, **get)
    clone(case, 90)
    return small, queries(client, user, url, **get)


@pytest.mark.parametrize(
    "tab, state",
    [("to_register", "submitted"), ("to_dispatch", "registered"), ("overdue", "in_progress")],
)
def test_dispatcher_queue_queries_do_not_grow(client, cast, advance, street_unit, tab, state):
    case = advance(state)
    Case.objects.filter(pk=case.pk).update(proposed_unit=street_unit)
    case.refresh_from_db()
    if tab == "overdue":
        Case.objects.filter(pk=case.pk).update(warning_level=2, supervision_level=1)
        case.refresh_from_db()
    small, large = grow_and_count(
        client, cast.dispatcher, reverse("cases:workspace"), case, tab=tab
    )
    assert small == large


def test_dispatcher_requests_tab_queries_do_not_grow(client, cast, advance):
    def requests(n: int) -> None:
        for _i in range(n):
            case = advance("in_progress")
            CaseRequest.objects.create(
                case=case,
                kind=RequestKind.EXTENSION,
                status=RequestStatus.PENDING_DISPATCHER,
                reason="延期",
                extra_days=3,
                requested_by=cast.handler,
            )

    requests(3)
    small = queries(client, cast.dispatcher, reverse("cases:workspace"), tab="requests")
    requests(12)
    assert queries(client, cast.dispatcher, reverse("cases:workspace"), tab="requests") == small


@pytest.mark.parametrize("tab, state", [("to_sign", "dispatched"), ("in_progress", "in_progress")])
def test_unit_worklist_queries_do_not_grow(client, cast, advance, tab, state):
    small, large = grow_and_count(
        client, cast.handler, reverse("cases:worklist"), advance(state), tab=tab
    )
    assert small == large


def test_verification_queue_queries_do_not_grow(client, cast, advance):
    small, large = grow_and_count(
        client, cast.inspector, reverse("cases:verification"), advance("handled")
    )
    assert small == large


def test_search_queries_do_not_grow(client, cast, advance):
    small, large = grow_and_count(
        client, cast.dispatcher, reverse("cases:search"), advance("dispatched")
    )
    assert small == large


def test_search_queries_do_not_grow_past_the_count_cap(client, cast, advance, settings):
    settings.WENMING_COUNT_CAP = 5
    small, large = grow_and_count(
        client, cast.dispatcher, reverse("cases:search"), advance("dispatched")
    )
    assert small == large


def test_case_page_queries_do_not_grow_with_the_timeline(client, cast, advance):
    case = advance("handled")  # the feedback event carries a photo
    url = reverse("cases:detail", args=[case.code])
    small = queries(client, cast.dispatcher, url)
    for i in range(10):
        services.case_comment(case_id=case.pk, actor=cast.dispatcher, note=f"备注{i}")
    assert queries(client, cast.dispatcher, url) == small
