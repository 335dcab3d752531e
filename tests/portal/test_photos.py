"""Photos from phones: HEIC (iPhone) is accepted and stored as JPEG; the GPS position is read
from the original before the stored copy loses it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wenming.core.images import photo_gps, photo_normalize

from .conftest import gps_exif, photo


def test_heic_is_accepted_and_re_encoded_without_metadata():
    heic = photo("IMG_0001.HEIC", fmt="HEIF", exif=gps_exif(40.65, 109.84))
    assert heic.read(12)[4:12] == b"ftypheic"
    heic.seek(0)
    assert photo_gps(heic) == pytest.approx((40.65, 109.84), abs=1e-6)
    normalized = photo_normalize(heic, name=heic.name)
    stored = Image.open(io.BytesIO(normalized.image.read()))
    assert normalized.image.name == "IMG_0001.jpg" and stored.format == "JPEG"
    assert not stored.getexif()


@pytest.mark.parametrize(("lat", "lon"), [(40.65, 109.84), (-33.8568, -70.65)])
def test_gps_is_read_with_hemispheres(lat, lon):
    assert photo_gps(photo(exif=gps_exif(lat, lon))) == pytest.approx((lat, lon), abs=1e-6)


def test_gps_reading_leaves_the_upload_readable():
    upload = photo(exif=gps_exif(40.6, 109.8))
    photo_gps(upload)
    assert upload.read(2) == b"\xff\xd8"


@pytest.mark.parametrize(
    "upload",
    [
        photo(),  # no EXIF at all
        photo(exif=Image.Exif().tobytes()),  # EXIF without GPS
        SimpleUploadedFile("x.jpg", b"not an image"),
    ],
)
def test_no_gps_means_none(upload):
    assert photo_gps(upload) is None


def test_a_heic_report_is_filed(browser, category, run_jobs):
    from wenming.cases.models import Case

    from .test_report import form_data

    browser.post(
        reverse("portal:report"), {**form_data(category), "photos": [photo("a.heic", "HEIF")]}
    )
    run_jobs()
    assert Case.objects.get().attachments.get().file.name.endswith(".jpg")


def test_the_tab_bar_links_the_citizen_features(browser):
    html = browser.get(reverse("portal:home")).content.decode()
    for name in ["portal:report", "portal:track", "portal:board"]:
        assert f'href="{reverse(name)}"' in html
    assert "wm-tabbar" in html
