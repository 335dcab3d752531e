"""The metrics page, the Excel export, the API and the PDF report print the same numbers;
permissions: wrong role 403, out of scope 404."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from wenming.accountability import reports
from wenming.accountability.metrics import METRICS
from wenming.accountability.rollup import rollups_refresh
from wenming.accountability.selectors import unit_metrics

from .conftest import NOW, build_known_set
from .test_metrics import MARCH

Q = "?period=month&date=2026-03-15"


@pytest.fixture
def data(builder, cast):  # type: ignore[no-untyped-def]
    build_known_set(builder)
    rollups_refresh(now=NOW)
    return {r.code: r for r in unit_metrics(user=cast.admin, period=MARCH)}


def test_page_shows_the_selector_numbers(
    data, builder, cast, client, django_assert_max_num_queries
):
    client.force_login(cast.admin)
    with django_assert_max_num_queries(25):
        page = client.get(f"/staff/accountability/{Q}").content.decode()
    row = data[builder.unit.code]
    assert f'data-code="{builder.unit.code}"' in page
    for value in ("80.0%", "50.0%", "16.7%"):
        assert value in page
    assert row.on_time_rate == 50.0


def test_region_rows(data, cast, client):
    client.force_login(cast.admin)
    page = client.get(f"/staff/accountability/{Q}&by=region&region=150204000000").content.decode()
    assert "青山路街道" in page and 'data-code="150204000000"' in page


def test_excel_export_matches(data, builder, cast, client):
    client.force_login(cast.admin)
    response = client.get(f"/staff/accountability/export/{Q}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    values = data[builder.unit.code].values()
    assert list(rows[builder.unit.code][2:]) == [values[m.key] for m in METRICS]


def test_ranking_export_opens(data, cast, client):
    client.force_login(cast.admin)
    response = client.get(f"/staff/accountability/ranking/export/{Q}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ranking", "Not ranked"]


def test_api_matches(data, builder, cast, client):
    client.force_login(cast.admin)
    body = client.get(f"/api/v1/metrics/{Q}").json()
    rows = {r["code"]: r for r in body["results"]}
    assert rows[builder.unit.code]["metrics"] == data[builder.unit.code].values()
    assert body["period"] == {
        "kind": "month",
        "start": "2026-03-01",
        "end": "2026-03-31",
        "label": "2026-03",
    }


def test_api_errors_use_the_api_format(data, cast, client):
    client.force_login(cast.admin)
    bad = client.get("/api/v1/metrics/?period=fortnight")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    client.force_login(cast.inspector)
    missing = client.get("/api/v1/metrics/?region=150202000000")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    client.force_login(cast.handler)
    assert client.get("/api/v1/metrics/").json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_supported_years_is_refused_on_the_page_and_the_api(
    data, cast, client, day
):
    client.force_login(cast.admin)
    api = client.get("/api/v1/metrics/", {"date": day, "period": "day"})
    assert api.status_code == 400 and "2000-01-01" in str(api.json()["error"])
    page = client.get("/staff/accountability/", {"date": day, "period": "day"})
    assert page.status_code in (200, 400) and "2000-01-01" in page.content.decode()


def test_wrong_role_is_refused(cast, client):
    client.force_login(cast.handler)
    assert client.get("/staff/accountability/").status_code == 403
    assert client.get("/staff/accountability/ranking/").status_code == 403
    client.force_login(cast.nobody)
    assert client.get("/staff/accountability/export/").status_code == 403


def test_out_of_scope_region_is_not_found(cast, client):
    client.force_login(cast.unitlead)
    assert client.get("/staff/accountability/?region=150204002000").status_code == 404
    client.force_login(cast.inspector)
    assert client.get("/staff/accountability/report.pdf?region=150202000000").status_code == 404


def test_unit_lead_sees_only_their_unit(data, builder, cast, client):
    client.force_login(cast.unitlead)
    page = client.get(f"/staff/accountability/{Q}").content.decode()
    assert f'data-code="{builder.unit.code}"' in page
    assert f'data-code="{builder.other.code}"' not in page


def test_bad_period_is_a_clear_error(cast, client):
    client.force_login(cast.admin)
    response = client.get("/staff/accountability/?period=month&date=15-03-2026")
    assert response.status_code == 400 and b"YYYY-MM-DD" in response.content


def _fonts(reader: PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            found.append(
                {
                    "name": str(font["/BaseFont"]),
                    "descriptor": descriptor.get_object() if descriptor else {},
                }
            )
    return found


def test_pdf_report_has_chinese_text_and_an_embedded_font(data, cast, client):
    client.force_login(cast.admin)
    response = client.get("/staff/accountability/report.pdf?region=150204000000&date=2026-03-01")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "青山区" in text and "青山路街道办事处" in text
    embedded = [f for f in _fonts(reader) if "/FontFile2" in f["descriptor"]]
    # A subset of WenQuanYi Zen Hei (fonts-wqy-zenhei), embedded as TrueType (FontFile2).
    assert embedded and all("WenQuanYiZenHei" in f["name"] for f in embedded)


def test_missing_font_is_a_clear_error(data, cast, client, monkeypatch):
    monkeypatch.delenv("WENMING_CJK_FONT", raising=False)
    monkeypatch.setattr(reports, "FONT_CANDIDATES", ["/nonexistent/font.ttc"])
    client.force_login(cast.admin)
    response = client.get("/staff/accountability/report.pdf?date=2026-03-01")
    assert response.status_code == 503 and b"fonts-wqy-zenhei" in response.content
