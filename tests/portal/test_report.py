"""随手拍 end to end through the Django test client: the report page, photos, location and
coordinate systems, idempotent resubmission, the nearby-duplicates helper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from wenming.cases.models import Case, Channel
from wenming.core.coords import wgs84_to_bd09, wgs84_to_gcj02
from wenming.portal.models import ReportToken

from .conftest import gps_exif, grid_point, photo

URL = reverse("portal:report")


def form_data(category, **overrides) -> dict[str, object]:
    lat, lon = grid_point()
    data: dict[str, object] = {
        "token": "t-" + str(overrides.pop("token_suffix", "1")),
        "category": category.pk,
        "description": "人行道上堆满了装修垃圾，行人只能走机动车道",
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "coord_system": "wgs84",
        "address": "青山区六合成社区3号楼南侧",
        "reporter_name": "李女士",
        "reporter_phone": "13912345678",
    }
    data.update(overrides)
    return data


def test_report_page_offers_grouped_public_categories_and_a_fresh_token(browser, category):
    response = browser.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "测试大类" in page and "暴露垃圾（测试）" in page
    assert 'name="token"' in page and 'id="wm-report-map"' in page
    assert (
        response.context["form"]["token"].value()
        != browser.get(URL).context["form"]["token"].value()
    )


def test_report_with_photo_and_location_files_a_snapshot_case(browser, category, run_jobs):
    exif = gps_exif(40.6, 109.8)
    response = browser.post(
        URL, {**form_data(category), "photos": [photo(exif=exif), photo("b.png", "PNG")]}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:report_done", args=[case.code])
    assert case.channel == Channel.SNAPSHOT and case.state == "submitted"
    assert case.region.code == "15020400100105"  # the grid found from the pin
    assert case.category == category and case.reporter_phone == "13912345678"
    photos = list(case.attachments.filter(kind="before"))
    assert len(photos) == 2 and all(p.is_processing for p in photos)
    run_jobs()  # the intake job re-encodes them
    photos = list(case.attachments.filter(kind="before"))
    stored = Image.open(photos[0].file.open("rb"))
    assert stored.format == "JPEG" and not stored.getexif()  # re-encoded, EXIF and GPS gone
    assert photos[0].thumbnail

    done = browser.get(response["Location"]).content.decode()
    assert case.code in done and reverse("portal:track_case", args=[case.code]) in done


def test_a_resubmitted_form_returns_the_first_case(browser, category):
    first = browser.post(URL, form_data(category))
    again = browser.post(URL, form_data(category, description="再次提交同一张表"))
    assert Case.objects.count() == 1 and ReportToken.objects.count() == 1
    assert first["Location"] == again["Location"]


def test_a_second_form_makes_a_second_case(browser, category):
    browser.post(URL, form_data(category))
    browser.post(URL, form_data(category, token_suffix="2"))
    assert Case.objects.count() == 2


def test_a_bad_photo_keeps_the_text_and_files_nothing(browser, category):
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    data = form_data(category)
    response = browser.post(URL, {**data, "photos": [photo(), fake]})
    assert response.status_code == 200 and not Case.objects.exists()
    form = response.context["form"]
    assert "not a photo" in " ".join(form.errors["photos"])
    page = response.content.decode()
    assert data["description"] in page and "青山区六合成社区3号楼南侧" in page and "李女士" in page
    assert form["token"].value() == data["token"]  # the same token: a retry stays idempotent
    browser.post(URL, data)  # the retry without the bad photo goes through
    assert Case.objects.count() == 1


def test_more_than_nine_photos_are_refused(browser, category):
    response = browser.post(
        URL, {**form_data(category), "photos": [photo(f"{i}.jpg") for i in range(10)]}
    )
    assert "At most 9 photos" in " ".join(response.context["form"].errors["photos"])
    assert not Case.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "23912345678", "1391234567a"])
def test_an_invalid_mobile_number_is_a_field_error(browser, category, phone):
    response = browser.post(URL, form_data(category, reporter_phone=phone))
    assert "mainland mobile number" in " ".join(response.context["form"].errors["reporter_phone"])
    assert not Case.objects.exists()


def test_a_mobile_number_is_normalised(browser, category):
    browser.post(URL, form_data(category, reporter_phone="+86 139-1234-5678"))
    assert Case.objects.get().reporter_phone == "13912345678"


def test_name_and_phone_are_optional_and_anonymous_drops_the_name(browser, category):
    browser.post(URL, form_data(category, reporter_phone="", is_anonymous="on"))
    case = Case.objects.get()
    assert case.is_anonymous and case.reporter_name == "" and case.reporter_phone == ""


@pytest.mark.parametrize(
    ("system", "convert"), [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)]
)
def test_client_coordinates_are_converted_to_wgs84_on_submit(browser, category, system, convert):
    lat, lon = grid_point()
    c_lat, c_lon = convert(lat, lon)
    browser.post(
        URL, form_data(category, lat=f"{c_lat:.8f}", lon=f"{c_lon:.8f}", coord_system=system)
    )
    case = Case.objects.get()
    assert abs(case.lat - lat) < 1e-6 and abs(case.lon - lon) < 1e-6
    assert case.region.code == "15020400100105"


def test_an_unknown_coordinate_system_is_a_field_error(browser, category):
    response = browser.post(URL, form_data(category, coord_system="utm"))
    assert "coord_system" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_point_outside_the_city_is_a_clear_error(browser, category):
    response = browser.post(URL, form_data(category, lat="31.2304", lon="121.4737"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "outside the city" in " ".join(response.context["form"].errors["address"])


def test_a_location_or_an_address_is_required(browser, category):
    response = browser.post(URL, form_data(category, lat="", lon="", address=""))
    assert "Give the location" in " ".join(response.context["form"].errors["address"])
    assert not Case.objects.exists()


def test_a_category_is_required(browser, category):
    response = browser.post(URL, {**form_data(category), "category": ""})
    assert "Choose what kind of problem" in " ".join(response.context["form"].errors["category"])


def test_the_photo_location_is_used_only_when_the_user_agrees(browser, category):
    lat, lon = grid_point()
    located = {**form_data(category, lat="", lon=""), "photos": [photo(exif=gps_exif(lat, lon))]}
    browser.post(URL, located)
    case = Case.objects.get()
    assert case.lat is None and case.region.level == "city"  # address only: no point taken

    browser.post(
        URL,
        {
            **located,
            "token": "t-2",
            "use_photo_location": "on",
            "photos": [photo(exif=gps_exif(lat, lon))],
        },
    )
    case = Case.objects.exclude(pk=case.pk).get()
    assert abs(case.lat - lat) < 1e-5 and abs(case.lon - lon) < 1e-5
    assert case.region.code == "15020400100105"


def test_photo_location_endpoint_offers_gps_but_stores_nothing(browser, category):
    url = reverse("portal:report_photo_location")
    found = browser.post(url, {"photo": photo(exif=gps_exif(40.65, 109.84))}).json()
    assert abs(found["lat"] - 40.65) < 1e-6 and abs(found["lon"] - 109.84) < 1e-6
    assert browser.post(url, {"photo": photo()}).json() == {}
    assert browser.post(url, {}).json() == {}
    assert not Case.objects.exists()


def test_done_page_is_only_for_the_browser_that_reported(browser, client, category):
    response = browser.post(URL, form_data(category))
    other = client.get(response["Location"])
    assert other.status_code == 302
    assert other["Location"] == reverse("portal:track_case", args=[Case.objects.get().code])


# ---------------------------------------------------------------- nearby duplicates


def _nearby(browser, category, lat, lon, system="wgs84"):
    return browser.get(
        reverse("portal:report_nearby"),
        {"category": category.pk, "lat": lat, "lon": lon, "coord_system": system},
    )


def test_nearby_finds_an_open_case_within_the_radius(browser, submit, category):
    lat, lon = grid_point()
    near = submit(lat=lat + 0.001, lon=lon)  # ~111 m north
    far = submit(lat=lat + 0.009, lon=lon)  # ~1 km north (still inside the city)
    response = _nearby(browser, category, lat, lon)
    codes = [row["code"] for _n, row in response.context["rows"]]
    assert codes == [near.code] and far.code not in response.content.decode()
    assert reverse("portal:track_case", args=[near.code]) in response.content.decode()


def test_nearby_accepts_client_coordinates(browser, submit, category):
    lat, lon = grid_point()
    case = submit(lat=lat, lon=lon)
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)  # ~500 m off as WGS-84: only found if converted
    assert [
        r["code"] for _n, r in _nearby(browser, category, g_lat, g_lon, "gcj02").context["rows"]
    ] == [case.code]


def test_nearby_ignores_other_categories_closed_private_and_old_cases(
    browser, submit, advance, category, cast
):
    from wenming.cases.models import Category

    lat, lon = grid_point()
    other = Category.objects.filter(parent__isnull=False).exclude(pk=category.pk).first()
    submit(category=other)
    submit(is_public=False)
    advance("closed")
    old = submit()
    Case.objects.filter(pk=old.pk).update(reported_at=timezone.now() - timedelta(days=31))
    response = _nearby(browser, category, lat, lon)
    assert response.context["rows"] == []
    assert "No open report of this kind nearby" in response.content.decode()


def test_nearby_with_bad_input_answers_nothing(browser, category):
    response = browser.get(reverse("portal:report_nearby"), {"category": "x", "lat": "north"})
    assert response.status_code == 200 and response.context["rows"] == []


def test_the_page_script_is_a_static_file_not_inline(browser, category):
    page = browser.get(URL).content.decode()
    assert "wenming/portal_report.js" in page and "<script>" not in page
