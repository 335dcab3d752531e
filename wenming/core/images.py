"""Uploaded photos: checked to be real images, re-encoded (EXIF and GPS removed), thumbnailed.

Every image a user uploads passes through `photo_normalize` (citizen intake checks the upload
with `photo_check` in the request and re-encodes it in a background job, see
wenming.cases.tasks): a file that is not an image (even
renamed .jpg) is refused with a clear message, oversize files and pixel bombs are refused, and
what is stored is a fresh JPEG/PNG encoded by Pillow, so no metadata or payload survives.
HEIC/HEIF (iPhone photos) is read through pillow-heif and stored as JPEG like the rest.

`photo_gps` reads the GPS position from an ORIGINAL upload before it is normalised (the
stored copy has none); callers offer it as the location only when the user agrees.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

pillow_heif.register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560
THUMB_SIDE = 320
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "HEIF"}
GPS_IFD = 0x8825


@dataclass(frozen=True)
class NormalizedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _header(data: bytes) -> Image.Image:
    """Open without decoding the pixels: a real image of an accepted format and size."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure check; the image must be reopened afterwards
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise InvalidInput(_("This file is not a photo (or it is damaged).")) from exc
    if image.format not in ACCEPTED_FORMATS:
        raise InvalidInput(_("Only JPEG, PNG, WebP and HEIC photos are accepted."))
    if image.width * image.height > MAX_PIXELS:
        raise InvalidInput(_("The photo has too many pixels."))
    return image


def _open(data: bytes) -> Image.Image:
    image = _header(data)
    try:
        image.load()
    except (Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise InvalidInput(_("This file is not a photo (or it is damaged).")) from exc
    return image


def _encode(image: Image.Image, side: int, source_format: str) -> tuple[bytes, str]:
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = io.BytesIO()
    if copy.mode in {"RGBA", "LA", "P"} and source_format == "PNG":
        copy.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), "png"
    copy.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), "jpg"


def _read(upload: UploadedFile | ContentFile | File) -> bytes:
    too_large = _("The photo is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidInput(too_large)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise InvalidInput(too_large)
    return data


def photo_check(upload: UploadedFile | ContentFile) -> None:
    """The cheap part of `photo_normalize`, for the request: size, a real image of an accepted
    format (read from its header, pixels not decoded), pixel limit. Raises InvalidInput."""
    _header(_read(upload))


def photo_normalize(
    upload: UploadedFile | ContentFile | File, *, name: str = "photo"
) -> NormalizedPhoto:
    """Check and re-encode an uploaded photo; raise InvalidInput with a translated reason."""
    original = _open(_read(upload))
    image = ImageOps.exif_transpose(original)  # keep the orientation the camera meant
    full, ext = _encode(image, MAX_SIDE, original.format or "")
    thumb, thumb_ext = _encode(image, THUMB_SIDE, original.format or "")
    stem = Path(name).stem[:40] or "photo"
    return NormalizedPhoto(
        image=ContentFile(full, name=f"{stem}.{ext}"),
        thumbnail=ContentFile(thumb, name=f"{stem}.thumb.{thumb_ext}"),
        width=image.width,
        height=image.height,
    )


def _degrees(value: object, ref: object, negative: str) -> float:
    d, m, sec = (float(part) for part in value)  # type: ignore[attr-defined]
    degrees = d + m / 60 + sec / 3600
    return -degrees if str(ref).upper().startswith(negative) else degrees


def photo_gps(upload: UploadedFile | ContentFile) -> tuple[float, float] | None:
    """(lat, lon) from the original photo's EXIF GPS tags (WGS-84 by the EXIF standard), or
    None when it has none or they are unreadable. Leaves the file at its start for reading."""
    try:
        upload.seek(0)
        with Image.open(io.BytesIO(upload.read(MAX_BYTES + 1))) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
        lat = _degrees(gps[2], gps.get(1, "N"), "S")
        lon = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OSError, SyntaxError):
        return None  # no GPS tags, or garbage in them: no location to offer
    except Image.DecompressionBombError:
        return None
    finally:
        upload.seek(0)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon
