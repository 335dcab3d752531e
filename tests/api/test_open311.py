"""Open311 GeoReport v2 conformance, written from the spec (wiki.open311.org/GeoReport_v2 and
Service_Discovery): every endpoint in JSON and XML, the filters, paging and the errors."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own test responses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.api.models import Open311ApiKey, Open311Submission, ServiceAttribute
from wenming.cases.models import Case, Category

from .conftest import grid_point, jpeg

V2 = "/open311/v2"
FORMATS = ["json", "xml"]


def parse(response, fmt: str):
    """The body as Python: JSON as is; XML through the Spark mapping (lists of items)."""
    assert response["Content-Type"].endswith("charset=utf-8")
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return response.json()
    assert response["Content-Type"].startswith("text/xml")
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return _spark(ET.fromstring(text))  # noqa: S314


def _spark(element):
    children = list(element)
    if not children:
        return element.text
    tags = {child.tag for child in children}
    plural = element.tag in {
        "services",
        "service_requests",
        "errors",
        "endpoints",
        "formats",
        "attributes",
        "values",
    }
    if plural and len(tags) == 1:
        return [_spark(child) for child in children]
    return {child.tag: _spark(child) for child in children}


def errors(response, fmt: str, status: int) -> list[dict]:
    assert response.status_code == status, response.content
    body = parse(response, fmt)
    assert isinstance(body, list) and body
    for error in body:
        assert str(error["code"]) == str(status) and error["description"]
    return body


@pytest.fixture
def service(category) -> str:
    return f"event-{category.code}"


def post(anon, fmt: str, api_key: str, **fields):
    lat, lon = grid_point()
    data = {"api_key": api_key, "lat": lat, "long": lon, "description": "路边垃圾没人清", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return anon.post(f"{V2}/requests.{fmt}", data, format="multipart")


# ---------------------------------------------------------------- discovery and services


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(anon, fmt):
    body = parse(anon.get(f"{V2}/discovery.{fmt}"), fmt)
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2" and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert body["contact"] == "包头市文明办，12345 热线"  # a client not asking reads Chinese


def test_discovery_names_the_city_in_the_language_asked_for(anon):
    body = anon.get(f"{V2}/discovery.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["contact"] == "Baotou civilization office, hotline 12345"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_public_minor_classes(anon, fmt, category, service):
    hidden = (
        Category.objects.filter(is_public=True, parent__isnull=False)
        .exclude(pk=category.pk)
        .first()
    )
    Category.objects.filter(pk=hidden.pk).update(is_public=False)
    body = parse(anon.get(f"{V2}/services.{fmt}"), fmt)
    by_code = {s["service_code"]: s for s in body}
    ours = by_code[service]
    assert ours["service_name"] == category.name and ours["group"] == category.parent.name
    assert str(ours["metadata"]).lower() == "false" and ours["type"] == "realtime"
    assert f"{hidden.kind}-{hidden.code}" not in by_code


@pytest.fixture
def size_question(category) -> ServiceAttribute:
    return ServiceAttribute.objects.create(
        category=category,
        code="size",
        description="垃圾有多少？",
        datatype="singlevaluelist",
        required=True,
        order=1,
        values=[{"key": "s", "name": "一袋"}, {"key": "l", "name": "一车"}],
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_the_attributes(anon, fmt, service, size_question):
    services = parse(anon.get(f"{V2}/services.{fmt}"), fmt)
    assert (
        str(next(s for s in services if s["service_code"] == service)["metadata"]).lower() == "true"
    )
    body = parse(anon.get(f"{V2}/services/{service}.{fmt}"), fmt)
    assert body["service_code"] == service
    attribute = body["attributes"][0]
    assert attribute["code"] == "size" and attribute["datatype"] == "singlevaluelist"
    assert str(attribute["required"]).lower() == "true" and str(attribute["order"]) == "1"
    assert [v["key"] for v in attribute["values"]] == ["s", "l"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404(anon, fmt):
    errors(anon.get(f"{V2}/services/event-0000.{fmt}"), fmt, 404)


def test_format_by_parameter_and_xml_by_default(anon):
    assert anon.get(f"{V2}/services", {"format": "json"})["Content-Type"].startswith(
        "application/json"
    )
    assert anon.get(f"{V2}/services")["Content-Type"].startswith("text/xml")
    assert anon.get(f"{V2}/")["Content-Type"].startswith("text/xml")  # discovery at the root
    errors(anon.get(f"{V2}/services.csv"), "xml", 400)


# ---------------------------------------------------------------- POST requests and tokens


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_a_request(anon, fmt, api_key, service, category):
    response = post(
        anon,
        fmt,
        api_key,
        service_code=service,
        first_name="明",
        last_name="李",
        phone="13912345678",
        email="li@example.com",
        account_id="A-1",
        address_string="青山路1号",
    )
    assert response.status_code == 200, response.content
    (created,) = parse(response, fmt)
    assert "token" not in created
    case = Case.objects.get(code=created["service_request_id"])
    assert (case.channel, case.state, case.category) == ("open311", "submitted", category)
    assert (case.reporter_name, case.reporter_phone) == ("李 明", "13912345678")
    submission = Open311Submission.objects.get(case=case)
    assert submission.email == "li@example.com" and submission.api_key.name == "测试客户端"


def test_post_with_address_only(anon, api_key, service):
    response = post(
        anon, "json", api_key, service_code=service, lat=None, long=None, address_string="青山路1号"
    )
    assert response.status_code == 200, response.content
    assert Case.objects.get(code=response.json()[0]["service_request_id"]).lat is None


def test_post_with_media_upload_and_media_url(anon, api_key, service, run_jobs):
    response = post(
        anon,
        "json",
        api_key,
        service_code=service,
        media=jpeg(),
        media_url="https://photos.example.com/1.jpg",
    )
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert case.attachments.count() == 1
    note = case.events.get(action="comment")
    assert "https://photos.example.com/1.jpg" in note.note and note.visibility == "staff"
    # Until the intake job re-encodes the upload, only the client's own URL is shown.
    shown = anon.get(f"{V2}/requests/{case.code}.json").json()[0]
    assert shown["media_url"] == "https://photos.example.com/1.jpg"
    run_jobs()
    shown = anon.get(f"{V2}/requests/{case.code}.json").json()[0]
    assert shown["media_url"].startswith("http://testserver/") and shown["media_url"].endswith(
        ".jpg"
    )


def test_post_answers_go_into_the_description(anon, api_key, service, size_question):
    response = post(anon, "json", api_key, service_code=service, **{"attribute[size]": "l"})
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert "垃圾有多少？: 一车" in case.description


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_errors(anon, fmt, api_key, service, size_question):
    errors(post(anon, fmt, "", service_code=service), fmt, 403)
    errors(post(anon, fmt, "wrong", service_code=service), fmt, 403)
    errors(post(anon, fmt, api_key), fmt, 400)  # no service_code
    errors(post(anon, fmt, api_key, service_code="event-0000"), fmt, 404)
    args = {"service_code": service, "attribute[size]": "s"}
    errors(post(anon, fmt, api_key, lat=None, long=None, **args), fmt, 400)  # no location
    errors(post(anon, fmt, api_key, lat="north", **args), fmt, 400)
    errors(post(anon, fmt, api_key, long=None, **args), fmt, 400)  # lat without long
    errors(post(anon, fmt, api_key, lat=39.9, long=116.4, **args), fmt, 400)  # outside the city
    errors(post(anon, fmt, api_key, lat=123, **args), fmt, 400)
    missing = errors(post(anon, fmt, api_key, service_code=service), fmt, 400)
    assert "attribute[size]" in missing[0]["description"]
    errors(post(anon, fmt, api_key, service_code=service, **{"attribute[size]": "huge"}), fmt, 400)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    errors(post(anon, fmt, api_key, media=fake, **args), fmt, 400)
    assert not Case.objects.filter(channel="open311").exists()


def test_an_inactive_key_is_refused(anon, api_key, service):
    Open311ApiKey.objects.update(is_active=False)
    errors(post(anon, "json", api_key, service_code=service), "json", 403)


def test_several_problems_are_all_reported(anon, api_key, service):
    response = post(anon, "json", api_key, service_code=service, email="not-an-email", phone="x")
    assert {e["description"].split(":")[0] for e in errors(response, "json", 400)} == {
        "email",
        "phone",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens_answer_the_request_id(anon, fmt, api_key, service):
    code = post(anon, "json", api_key, service_code=service).json()[0]["service_request_id"]
    (row,) = parse(anon.get(f"{V2}/tokens/{code}.{fmt}"), fmt)
    assert row == {"service_request_id": code, "token": code}
    errors(anon.get(f"{V2}/tokens/nope.{fmt}"), fmt, 404)


# ---------------------------------------------------------------- GET requests


@pytest.fixture
def cases(advance, submit):
    """open (registered), closed, private, old (120 days ago)."""
    old = submit(reported_at=timezone.now() - timedelta(days=120))
    return {
        "open": advance("registered"),
        "closed": advance("closed"),
        "private": submit(is_public=False),
        "old": old,
    }


def codes(anon, fmt: str, **params) -> list[str]:
    response = anon.get(f"{V2}/requests.{fmt}", params)
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in parse(response, fmt) or []]


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_shows_public_cases_of_the_last_90_days(anon, fmt, cases):
    found = codes(anon, fmt)
    assert cases["open"].code in found and cases["closed"].code in found
    assert cases["private"].code not in found and cases["old"].code not in found


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_fields(anon, fmt, cases):
    rows = parse(
        anon.get(f"{V2}/requests.{fmt}", {"service_request_id": cases["closed"].code}), fmt
    )
    (row,) = rows
    assert row["status"] == "closed" and row["status_notes"].startswith("closed")
    assert row["agency_responsible"] == "青山路街道办事处"
    assert row["requested_datetime"].endswith("+08:00") and row["updated_datetime"]
    assert float(row["lat"]) == pytest.approx(cases["closed"].lat)
    assert "13912345678" not in str(row) and "李女士" not in str(row)


def test_no_personal_data_leaves(anon, submit):
    case = submit(description="联系我13912345678，车牌蒙B12345挡道")
    text = anon.get(f"{V2}/requests/{case.code}.xml").content.decode()
    assert "13912345678" not in text and "李女士" not in text and "蒙B12345" not in text
    assert "139****5678" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_by_ids_overrides_the_rest(anon, fmt, cases):
    wanted = f"{cases['old'].code},{cases['open'].code}"
    assert set(codes(anon, fmt, service_request_id=wanted, status="closed")) == {
        cases["old"].code,
        cases["open"].code,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_by_status(anon, fmt, cases):
    assert cases["open"].code in codes(anon, fmt, status="open")
    assert cases["open"].code not in codes(anon, fmt, status="closed")
    assert cases["closed"].code in codes(anon, fmt, status="closed")
    assert {cases["open"].code, cases["closed"].code} <= set(codes(anon, fmt, status="open,closed"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_by_service_code(anon, fmt, cases, service):
    assert cases["open"].code in codes(anon, fmt, service_code=f"{service},component-0101")
    assert cases["open"].code not in codes(anon, fmt, service_code="component-0101")


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_by_dates(anon, fmt, cases):
    old_day = timezone.localtime(cases["old"].reported_at)
    start = (old_day - timedelta(days=1)).isoformat(timespec="seconds")
    end = (old_day + timedelta(days=1)).isoformat(timespec="seconds")
    assert codes(anon, fmt, start_date=start, end_date=end) == [cases["old"].code]
    assert cases["old"].code in codes(anon, fmt, start_date=start)
    assert cases["old"].code not in codes(anon, fmt, end_date=timezone.now().isoformat())


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_by_update_time(anon, fmt, cases):
    stamp = timezone.localtime(cases["closed"].updated_at)
    after = codes(anon, fmt, updated_after=(stamp - timedelta(seconds=1)).isoformat())
    assert cases["closed"].code in after
    before = codes(anon, fmt, updated_before=(stamp - timedelta(hours=1)).isoformat())
    assert cases["closed"].code not in before


@pytest.mark.parametrize("fmt", FORMATS)
def test_paging(anon, fmt, submit):
    made = [submit().code for _ in range(3)]
    first = anon.get(f"{V2}/requests.{fmt}", {"page_size": 2})
    assert int(first["X-Total-Count"]) >= 3 and 'rel="next"' in first["Link"]
    page_one = [r["service_request_id"] for r in parse(first, fmt)]
    page_two = codes(anon, fmt, page_size=2, page=2)
    assert len(page_one) == 2 and not set(page_one) & set(page_two)
    assert set(made) <= set(codes(anon, fmt, page_size=1000))
    assert codes(anon, fmt, page=999) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_errors(anon, fmt):
    errors(anon.get(f"{V2}/requests.{fmt}", {"start_date": "last week"}), fmt, 400)
    errors(anon.get(f"{V2}/requests.{fmt}", {"status": "pending"}), fmt, 400)
    errors(anon.get(f"{V2}/requests.{fmt}", {"page_size": "0"}), fmt, 400)
    span = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}
    errors(anon.get(f"{V2}/requests.{fmt}", span), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(anon, fmt, cases):
    (row,) = parse(anon.get(f"{V2}/requests/{cases['open'].code}.{fmt}"), fmt)
    assert row["service_request_id"] == cases["open"].code and row["status"] == "open"
    assert row["status_notes"].startswith("registered")
    errors(anon.get(f"{V2}/requests/{cases['private'].code}.{fmt}"), fmt, 404)
    errors(anon.get(f"{V2}/requests/BT0.{fmt}"), fmt, 404)
