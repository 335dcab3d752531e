"""REST API: case list and search, detail, and submission by staff and anonymous citizens."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenming.audit.models import AuditEntry
from wenming.cases.models import Case, Category, Channel
from wenming.core import coords

from .conftest import assert_error, grid_point, jpeg

LIST = "/api/v1/cases/"


def new_case(**overrides) -> dict:
    lat, lon = grid_point()
    body = {"description": "路灯不亮已经一周", "lat": lat, "lon": lon, "address": "青山路1号"}
    body.update(overrides)
    return body


# ---------------------------------------------------------------- list


def test_it_lists_cases_in_scope_with_filters_and_paging(client_for, submit):
    codes = [submit(title=f"案件{i}").code for i in range(3)]
    client = client_for("dispatcher")
    response = client.get(LIST, {"page_size": 2, "state": "submitted", "sort": "code"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 3 and len(body["results"]) == 2 and body["next"]
    found = client.get(LIST, {"code": codes[1]}).json()["results"]
    assert [row["code"] for row in found] == [codes[1]]
    assert client.get(LIST, {"text": "案件2"}).json()["results"][0]["code"] == codes[2]


def test_list_count_stops_at_the_cap_and_says_so(client_for, submit, settings):
    for i in range(3):
        submit(title=f"封顶{i}")
    client = client_for("dispatcher")
    settings.WENMING_COUNT_CAP = 2
    body = client.get(LIST, {"state": "submitted", "page_size": 1, "page": 2}).json()
    assert (body["count"], body["count_capped"], body["next"]) == (2, True, None)
    # A text search has its own cap: its matches are read from the table to be counted.
    settings.WENMING_TEXT_COUNT_CAP = 2
    body = client.get(LIST, {"text": "封顶", "page_size": 1, "page": 2}).json()
    assert (body["count"], body["count_capped"], body["next"]) == (2, True, None)
    settings.WENMING_TEXT_COUNT_CAP = 3
    body = client.get(LIST, {"text": "封顶"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, False, 3)


@pytest.mark.parametrize(
    "params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"date_from": "1999-12-31"}]
)
def test_a_date_outside_the_years_cases_can_have_is_a_field_error(client_for, params):
    response = client_for("dispatcher").get(LIST, {**params, "text": "垃圾"})
    error = assert_error(response, 400, "invalid")
    assert "2000-01-01" in error["fields"][next(iter(params))][0]


def test_list_query_count_does_not_grow_with_rows(client_for, submit):
    client = client_for("dispatcher")
    submit()
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"page_size": 50})
    for _ in range(5):
        submit()
    with CaptureQueriesContext(connection) as many:
        client.get(LIST, {"page_size": 50})
    assert len(many) == len(few)


def test_list_refuses_bad_filters_field_by_field(client_for):
    error = assert_error(
        client_for("dispatcher").get(LIST, {"state": "nonsense", "date_from": "yesterday"}),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"state", "date_from"}


def test_list_refuses_ids_beyond_a_bigint_field_by_field(client_for):
    huge = str(-(2**70))
    filters = {"unit": huge, "category": "9" * 25, "sort": "code", "overdue": "true"}
    error = assert_error(client_for("dispatcher").get(LIST, filters), 400, "invalid")
    assert set(error["fields"]) == {"unit", "category"}


def test_list_needs_authentication(anon):
    response = anon.get(LIST)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_list_refuses_a_user_without_membership(client_for):
    assert_error(client_for("nobody").get(LIST), 403, "permission_denied")


def test_list_hides_cases_of_another_street(client_for, advance):
    case = advance("dispatched")  # dispatched to 青山路街道
    assert client_for("outsider").get(LIST, {"code": case.code}).json()["count"] == 0


def test_session_authentication_works_too(client, cast, submit):
    case = submit()
    client.force_login(cast.dispatcher)
    assert client.get(f"/api/v1/cases/{case.code}/").status_code == 200


# ---------------------------------------------------------------- detail


def test_detail_shows_the_staff_timeline_and_allowed_moves(client_for, advance):
    case = advance("in_progress")
    body = client_for("handler").get(f"/api/v1/cases/{case.code}/").json()
    assert body["state"] == "in_progress" and body["version"] == case.version
    assert [e["action"] for e in body["timeline"]] == ["submit", "register", "dispatch", "sign"]
    assert "feedback" in body["allowed_actions"] and "register" not in body["allowed_actions"]
    assert body["reporter_phone"] == "139****5678"  # a handler sees it masked


def test_detail_reveals_the_phone_to_the_dispatcher_on_request_and_audits_it(client_for, submit):
    code = submit().code
    api = client_for("dispatcher")
    assert api.get(f"/api/v1/cases/{code}/").json()["reporter_phone"] == "139****5678"
    body = api.get(f"/api/v1/cases/{code}/", {"reveal": "phone"}).json()
    assert body["reporter_phone"] == "13912345678"
    entry = AuditEntry.objects.get(action="case.reveal_phone")
    assert (entry.actor_name, entry.object_id) == ("dispatcher", code)


def test_detail_refuses_to_reveal_the_phone_to_a_liaison(client_for, submit):
    code = submit().code
    response = client_for("liaison").get(f"/api/v1/cases/{code}/", {"reveal": "phone"})
    assert_error(response, 403, "permission_denied")
    assert not AuditEntry.objects.filter(action="case.reveal_phone").exists()


def test_detail_of_an_out_of_scope_case_is_404(client_for, advance):
    case = advance("dispatched")
    assert_error(client_for("outsider").get(f"/api/v1/cases/{case.code}/"), 404, "not_found")
    assert_error(client_for("outsider").get("/api/v1/cases/BT000/"), 404, "not_found")


def test_detail_needs_authentication(anon, submit):
    assert_error(anon.get(f"/api/v1/cases/{submit().code}/"), 401)


# ---------------------------------------------------------------- create


def test_staff_submit_a_case(client_for, cast, category):
    response = client_for("operator").post(LIST, new_case(category=category.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(code=body["code"])
    assert case.channel == Channel.API and case.reporter_user == cast.operator
    assert case.region.code == "15020400100105" and body["timeline"][0]["action"] == "submit"
    assert case.title == category.name  # no title given: the category's name


def test_anonymous_citizen_submits_and_gets_a_receipt(anon, category):
    response = anon.post(LIST, new_case(category=category.pk, reporter_phone="13800001111"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"code", "state", "title", "reported_at"}
    case = Case.objects.get(code=body["code"])
    assert case.reporter_user is None and case.reporter_phone == "13800001111"


def test_anonymous_citizen_cannot_use_an_internal_category(anon, category):
    Category.objects.filter(pk=category.pk).update(is_public=False)
    error = assert_error(anon.post(LIST, new_case(category=category.pk)), 400, "invalid")
    assert "category" in error["fields"]


def test_submission_with_photos(anon, category):
    body = new_case(category=category.pk, photos=[jpeg("a.jpg"), jpeg("b.jpg")])
    response = anon.post(LIST, body, format="multipart")
    assert response.status_code == 201, response.content
    assert Case.objects.get(code=response.json()["code"]).attachments.count() == 2


def test_a_fake_photo_is_a_field_error(anon, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"this is not an image", content_type="image/jpeg")
    error = assert_error(
        anon.post(LIST, new_case(photos=[fake]), format="multipart"), 400, "invalid"
    )
    assert list(error["fields"]) == ["photos"]
    assert not Case.objects.filter(description="路灯不亮已经一周").exists()


def test_bad_input_is_reported_field_by_field(anon):
    error = assert_error(
        anon.post(LIST, {"lat": 100, "urgency": "whenever", "reporter_phone": "call me"}),
        400,
        "invalid",
    )
    assert {"description", "lat", "urgency", "reporter_phone"} <= set(error["fields"])
    assert all(isinstance(m, list) and m for m in error["fields"].values())


def test_a_point_outside_the_city_is_refused(anon):
    error = assert_error(anon.post(LIST, new_case(lat=39.9, lon=116.4)), 400, "invalid")
    assert "lat" in error["fields"]


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
def test_amap_and_baidu_coordinates_are_stored_as_wgs84(anon, system):
    lat, lon = grid_point()
    shown = coords.from_wgs84(lat, lon, system)
    response = anon.post(LIST, new_case(lat=shown[0], lon=shown[1], coord_system=system))
    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()["code"])
    assert case.lat == pytest.approx(lat, abs=1e-6) and case.lon == pytest.approx(lon, abs=1e-6)


def test_a_text_search_no_case_can_match_is_an_empty_page(client_for, submit):
    # A phone without digits matches nothing: Django runs no query (found by the API fuzz test).
    submit(title="路灯不亮")
    body = client_for("dispatcher").get(LIST, {"text": "路灯", "phone": "hours"}).json()
    assert (body["count"], body["results"], body["count_capped"]) == (0, [], False)
