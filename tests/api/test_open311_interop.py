"""Interoperability: the independent PyPI client `georeport` (0.3.1) against a live server.

georeport reads (service list, definitions, requests) but cannot create requests (its README:
"does not currently support the creation of new 311 service requests"), so the POST is made
as the spec describes, form-encoded with urllib, and read back with georeport."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from georeport import GeoReport

from wenming.api.open311.services import api_key_create
from wenming.cases.models import Category

from .conftest import grid_point


@pytest.fixture
def endpoint(live_server, transactional_city) -> str:
    return f"{live_server.url}/open311/v2"


def post_request(endpoint: str, fields: dict[str, object]) -> list[dict]:
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(
        f"{endpoint}/requests.json",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client_lists_posts_and_reads_back(endpoint, output_format):
    _key, raw = api_key_create(name="georeport interop")
    client = GeoReport(endpoint, api_key=raw, output_format=output_format)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    category = Category.objects.filter(is_public=True, parent__isnull=False).first()
    assert f"{category.kind}-{category.code}" in codes
    definition = client.get_service_definition(codes[0])
    assert definition["service_code"] == codes[0]

    lat, lon = grid_point()
    (created,) = post_request(
        endpoint,
        {
            "api_key": raw,
            "service_code": codes[0],
            "lat": lat,
            "long": lon,
            "description": "interop: 路面坑洼",
        },
    )
    code = created["service_request_id"]

    one = client.get_service_request(code)
    assert one["service_request_id"] == code and one["status"] == "open"
    assert one["description"] == "interop: 路面坑洼"
    listed = _as_list(client.get_service_requests(service_request_id=code))
    assert [row["service_request_id"] for row in listed] == [code]
    open_codes = [
        r["service_request_id"] for r in _as_list(client.get_service_requests(status="open"))
    ]
    assert code in open_codes


def _as_list(value: object) -> list[dict]:
    # georeport's XML reading (xmltodict) gives a lone item as a dict, not a list of one.
    return value if isinstance(value, list) else [value]  # type: ignore[list-item]
