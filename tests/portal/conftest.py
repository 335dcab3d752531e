"""Portal fixtures: an English-speaking anonymous browser, the problem loop's fixtures (a test
category, cases brought to any state through the real services) and photo helpers."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.conftest import advance, category, grid_point, jpeg, street_unit, submit

__all__ = ["advance", "category", "grid_point", "jpeg", "street_unit", "submit"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # failed-digit counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def browser(city) -> Client:
    """A citizen's browser (no login), reading English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    return client


def staff_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def gps_exif(lat: float, lon: float) -> bytes:
    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), (value - degrees - minutes / 60) * 3600)

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {
        1: "N" if lat >= 0 else "S",
        2: dms(lat),
        3: "E" if lon >= 0 else "W",
        4: dms(lon),
    }
    return exif.tobytes()


def photo(
    name: str = "photo.jpg", fmt: str = "JPEG", exif: bytes | None = None
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 140, 60)).save(
        buffer, format=fmt, **({"exif": exif} if exif else {})
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
