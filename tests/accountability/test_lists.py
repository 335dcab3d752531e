"""Red and black lists: draft from the ranking → reasons → approve → publish; published lists
never change (model, admin, view); corrections are new versions."""

from __future__ import annotations

import pytest

from wenming.accountability import services
from wenming.accountability.models import (
    ListEntry,
    ListStatus,
    MetricWeights,
    PublishedRecordLocked,
    RedBlackList,
)
from wenming.accountability.rollup import rollups_refresh
from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from wenming.org.models import Region

from .conftest import NOW, build_known_set
from .test_metrics import MARCH


@pytest.fixture
def ranked(builder):  # type: ignore[no-untyped-def]
    build_known_set(builder)
    rollups_refresh(now=NOW)
    MetricWeights.objects.update_or_create(period_kind="month", defaults={"min_sample": 1})
    return builder


@pytest.fixture
def draft(ranked, cast):  # type: ignore[no-untyped-def]
    city = Region.objects.get(code="150200000000")
    return services.list_draft(actor=cast.admin, region=city, period=MARCH, top=1, bottom=1)


def _publish(lst: RedBlackList, actor) -> RedBlackList:  # type: ignore[no-untyped-def]
    for entry in lst.entries.all():
        services.list_entry_update(
            actor=actor, entry_id=entry.pk, reason="按期办结率高，群众满意。"
        )
    services.list_approve(actor=actor, list_id=lst.pk)
    return services.list_publish(actor=actor, list_id=lst.pk)


def test_draft_puts_the_top_on_red_and_the_bottom_on_black(draft, ranked):
    colors = {e.unit.code: e.color for e in draft.entries.select_related("unit")}
    assert colors == {ranked.unit.code: "red", ranked.other.code: "black"}
    assert draft.status == ListStatus.DRAFT and draft.version == 1


def test_draft_needs_ranked_units(builder, cast):
    with pytest.raises(InvalidInput):
        services.list_draft(
            actor=cast.admin,
            region=Region.objects.get(code="150200000000"),
            period=MARCH,
            top=1,
            bottom=1,
        )


def test_only_the_office_drafts(ranked, cast):
    with pytest.raises(PermissionDenied):
        services.list_draft(
            actor=cast.dispatcher,
            region=Region.objects.get(code="150200000000"),
            period=MARCH,
            top=1,
            bottom=1,
        )


def test_approving_needs_every_reason(draft, cast):
    with pytest.raises(InvalidInput):
        services.list_approve(actor=cast.admin, list_id=draft.pk)


def test_publish_needs_approval_first(draft, cast):
    with pytest.raises(IllegalTransition):
        services.list_publish(actor=cast.admin, list_id=draft.pk)


def test_reopen_returns_an_approved_list_to_draft(draft, cast):
    for entry in draft.entries.all():
        services.list_entry_update(actor=cast.admin, entry_id=entry.pk, reason="理由")
    services.list_approve(actor=cast.admin, list_id=draft.pk)
    assert services.list_reopen(actor=cast.admin, list_id=draft.pk).status == ListStatus.DRAFT


def test_published_list_refuses_service_edits(draft, cast):
    lst = _publish(draft, cast.admin)
    entry = lst.entries.first()
    with pytest.raises(PublishedRecordLocked):
        services.list_entry_update(actor=cast.admin, entry_id=entry.pk, reason="改过的理由")
    with pytest.raises(PublishedRecordLocked):
        services.list_entry_remove(actor=cast.admin, entry_id=entry.pk)


def test_published_list_refuses_model_saves_and_deletes(draft, cast):
    lst = _publish(draft, cast.admin)
    lst.title = "改名"
    with pytest.raises(PublishedRecordLocked):
        lst.save()
    with pytest.raises(PublishedRecordLocked):
        lst.delete()
    entry = ListEntry.objects.filter(list=lst).first()
    entry.reason = "改"
    with pytest.raises(PublishedRecordLocked):
        entry.save()
    with pytest.raises(PublishedRecordLocked):
        entry.delete()
    with pytest.raises(PublishedRecordLocked):
        ListEntry.objects.create(list=lst, color="red", position=9, unit=entry.unit, unit_name="x")


def test_published_list_is_read_only_in_the_admin(draft, cast, client):
    lst = _publish(draft, cast.admin)
    client.force_login(cast.admin)
    url = f"/admin/accountability/redblacklist/{lst.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(url, {"title": "改名"}).status_code == 403
    assert (
        client.post(
            f"/admin/accountability/redblacklist/{lst.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    lst.refresh_from_db()
    assert lst.title != "改名"


def test_published_list_cannot_be_edited_through_the_page(draft, cast, client):
    lst = _publish(draft, cast.admin)
    entry = lst.entries.first()
    client.force_login(cast.admin)
    url = f"/staff/accountability/lists/{lst.pk}/entries/{entry.pk}/"
    detail = f"/staff/accountability/lists/{lst.pk}/"
    response = client.post(url, {"reason": "改过的理由"}, headers={"referer": detail}, follow=True)
    entry.refresh_from_db()
    assert entry.reason == "按期办结率高，群众满意。"
    assert b"cannot be changed" in response.content


def test_correction_is_a_new_version_pointing_to_the_old(draft, cast, client):
    old = _publish(draft, cast.admin)
    new = services.list_correct(actor=cast.admin, list_id=old.pk, note="黑榜单位数据有误")
    assert (new.version, new.supersedes_id, new.status) == (2, old.pk, ListStatus.DRAFT)
    assert new.entries.count() == old.entries.count()
    with pytest.raises(IllegalTransition):
        services.list_correct(actor=cast.admin, list_id=old.pk, note="again")
    _publish(new, cast.admin)
    page = client.get(f"/lists/{old.pk}/")
    assert page.status_code == 200 and f"/lists/{new.pk}/".encode() in page.content


def test_public_pages_show_published_lists_only(draft, cast, client):
    assert client.get(f"/lists/{draft.pk}/").status_code == 404
    assert draft.title.encode() not in client.get("/lists/").content
    _publish(draft, cast.admin)
    page = client.get(f"/lists/{draft.pk}/")
    assert page.status_code == 200 and "按期办结率高".encode() in page.content
    assert draft.title.encode() in client.get("/lists/").content


def test_staff_flow_through_the_pages(ranked, cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/staff/accountability/lists/new/?period=month&date=2026-03-01",
        {"top": 1, "bottom": 1, "title": ""},
    )
    lst = RedBlackList.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lists/{lst.pk}/")
    for entry in lst.entries.all():
        client.post(
            f"/staff/accountability/lists/{lst.pk}/entries/{entry.pk}/", {"reason": "理由充分"}
        )
    client.post(f"/staff/accountability/lists/{lst.pk}/approve/")
    client.post(f"/staff/accountability/lists/{lst.pk}/publish/")
    lst.refresh_from_db()
    assert lst.status == ListStatus.PUBLISHED and lst.published_by == cast.admin


def test_list_pages_need_a_metric_role(draft, cast, client):
    client.force_login(cast.handler)
    assert client.get("/staff/accountability/lists/").status_code == 403
    client.force_login(cast.unitlead)
    assert client.post(f"/staff/accountability/lists/{draft.pk}/approve/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == ListStatus.DRAFT


def test_list_outside_the_scope_is_not_found(draft, cast, client):
    client.force_login(cast.inspector)  # scope 青山区; the list is the city's
    assert client.get(f"/staff/accountability/lists/{draft.pk}/").status_code == 404
    assert client.get(f"/staff/accountability/lists/{draft.pk}/export/").status_code == 404


def test_wrong_role_cannot_draft(ranked, cast, client):
    client.force_login(cast.dispatcher)
    response = client.post(
        "/staff/accountability/lists/new/?period=month&date=2026-03-01",
        {"top": 1, "bottom": 1},
        headers={"referer": "/staff/accountability/ranking/"},
        follow=True,
    )
    assert (
        b"You do not have permission" in response.content
    )  # refused POSTs come back with the message
    assert not RedBlackList.objects.exists()
