"""Uploaded photos are checked, re-encoded without metadata, limited and thumbnailed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.core import images
from wenming.core.errors import InvalidInput


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def encoded(fmt: str, size=(80, 60), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else (10, 120, 200, 128)).save(
        buffer, format=fmt, **save
    )
    return buffer.getvalue()


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (40.0, 39.0, 0.0), 3: "E", 4: (109.0, 54.0, 0.0)}  # GPS IFD
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_re_encoded(fmt):
    photo = images.photo_normalize(upload(encoded(fmt)))
    reopened = Image.open(io.BytesIO(photo.image.read()))
    assert reopened.format in {"JPEG", "PNG"}
    assert (photo.width, photo.height) == (80, 60)


def test_exif_and_gps_are_removed():
    original = encoded("JPEG", exif=exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really has EXIF
    photo = images.photo_normalize(upload(original))
    assert not Image.open(io.BytesIO(photo.image.read())).getexif()


def test_a_renamed_non_image_is_refused_with_a_clear_message():
    with pytest.raises(InvalidInput, match="not a photo"):
        images.photo_normalize(upload(b"%PDF-1.4 not really a jpeg", name="scan.jpg"))


def test_a_truncated_image_is_refused():
    with pytest.raises(InvalidInput):
        images.photo_normalize(upload(encoded("JPEG")[:200]))


def test_gif_is_not_an_accepted_format():
    with pytest.raises(InvalidInput, match="JPEG, PNG"):
        images.photo_normalize(upload(encoded("GIF"), name="x.gif"))


def test_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(InvalidInput, match="larger than"):
        images.photo_normalize(upload(encoded("PNG", size=(400, 400)) + b"\0" * 2000))


def test_pixel_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(InvalidInput):
        images.photo_normalize(upload(encoded("PNG", size=(200, 200))))


def test_large_photo_is_scaled_and_thumbnailed():
    photo = images.photo_normalize(upload(encoded("JPEG", size=(4000, 3000))))
    full = Image.open(io.BytesIO(photo.image.read()))
    thumb = Image.open(io.BytesIO(photo.thumbnail.read()))
    assert max(full.size) == images.MAX_SIDE
    assert max(thumb.size) == images.THUMB_SIDE


def test_transparent_png_stays_png():
    photo = images.photo_normalize(upload(encoded("PNG", mode="RGBA"), name="sign.png"))
    assert photo.image.name.endswith(".png")
