"""Exposure desk: redacted snapshot, no reporter data, live follow-up, frozen once published."""

from __future__ import annotations

import pytest

from wenming.accountability import services
from wenming.accountability.models import Exposure, PublishedRecordLocked
from wenming.cases.models import Visibility
from wenming.cases.states import Action as A
from wenming.org.models import Membership, Region, Role

from .conftest import NOW, at

DESCRIPTION = "车牌蒙B12345的车辆长期占道，车主电话13812345678，请处理。"


@pytest.fixture
def exposed_case(builder):  # type: ignore[no-untyped-def]
    case = builder.case(
        at(2, 8),
        title="蒙B12345占道停车",
        description=DESCRIPTION,
        reporter_name="王小明",
        reporter_phone="13900001111",
        unit=builder.unit,
    )
    builder.event(case, A.SUBMIT, at(2, 8))
    builder.event(case, A.DISPATCH, at(2, 9), builder.unit)
    builder.event(case, A.FEEDBACK, at(3, 9), builder.unit)
    return case


def test_draft_masks_phones_and_plates(exposed_case, cast):
    exposure = services.exposure_draft(actor=cast.admin, case=exposed_case)
    assert "13812345678" not in exposure.summary and "138****5678" in exposure.summary
    assert "蒙B12345" not in exposure.summary and "蒙B***45" in exposure.summary
    assert "蒙B12345" not in exposure.title


def test_public_page_has_no_reporter_data_and_shows_follow_up(exposed_case, cast, client, builder):
    exposure = services.exposure_draft(actor=cast.admin, case=exposed_case)
    services.exposure_publish(actor=cast.admin, exposure_id=exposure.pk)
    later = builder.event(exposed_case, A.CLOSE, NOW, builder.unit)
    later.note = "已拖移，联系电话13712345678"
    later.save()
    staff_only = builder.event(exposed_case, A.COMMENT, NOW)
    staff_only.visibility, staff_only.note = Visibility.INTERNAL, "内部备注"
    staff_only.save()
    page = client.get(f"/exposure/{exposure.pk}/").content.decode()
    assert "王小明" not in page and "13900001111" not in page and "13812345678" not in page
    assert "137****5678" in page  # follow-up notes are redacted too
    assert "内部备注" not in page
    assert "Closed" in page  # the case's later public event


def test_published_exposure_never_changes(exposed_case, cast):
    exposure = services.exposure_draft(actor=cast.admin, case=exposed_case)
    services.exposure_publish(actor=cast.admin, exposure_id=exposure.pk)
    with pytest.raises(PublishedRecordLocked):
        services.exposure_update(
            actor=cast.admin, exposure_id=exposure.pk, title="x", summary="y", comment=""
        )
    exposure.refresh_from_db()
    exposure.title = "改"
    with pytest.raises(PublishedRecordLocked):
        exposure.save()


def test_edit_masks_again(exposed_case, cast):
    exposure = services.exposure_draft(actor=cast.admin, case=exposed_case)
    edited = services.exposure_update(
        actor=cast.admin,
        exposure_id=exposure.pk,
        title="占道停车",
        summary="联系15912345678",
        comment="",
    )
    assert edited.summary == "联系159****5678"


def test_drafts_are_not_public(exposed_case, cast, client):
    exposure = services.exposure_draft(actor=cast.admin, case=exposed_case)
    assert client.get(f"/exposure/{exposure.pk}/").status_code == 404
    assert exposure.title.encode() not in client.get("/exposure/").content


def test_staff_pages(exposed_case, cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/staff/accountability/exposures/new/", {"code": exposed_case.code, "comment": ""}
    )
    exposure = Exposure.objects.get()
    assert response.status_code == 302
    assert client.get("/staff/accountability/exposures/").status_code == 200
    client.post(f"/staff/accountability/exposures/{exposure.pk}/", {"publish": "1"})
    exposure.refresh_from_db()
    assert exposure.is_published


def test_wrong_role_cannot_expose(exposed_case, cast, client):
    client.force_login(cast.dispatcher)
    client.post("/staff/accountability/exposures/new/", {"code": exposed_case.code})
    assert not Exposure.objects.exists()
    client.force_login(cast.handler)
    assert client.get("/staff/accountability/exposures/").status_code == 403


def test_case_outside_the_scope_is_not_found(cast, client, builder):
    office = cast.nobody
    Membership.objects.create(
        user=office, role=Role.ADMIN, region_scope=Region.objects.get(code="150202000000")
    )
    case = builder.case(at(2, 8))  # in 青山区, outside 东河区
    client.force_login(office)
    assert (
        client.post("/staff/accountability/exposures/new/", {"code": case.code}).status_code == 404
    )
    assert not Exposure.objects.exists()
