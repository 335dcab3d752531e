"""Evidence documents: PDF, Word (.docx) and Excel (.xlsx) only, checked by content, not name.

A renamed file is refused: a PDF must start with the PDF signature, and .docx/.xlsx must be an
Office Open XML package (a zip with `[Content_Types].xml` and its word/ or xl/ part).
Photos go through `wenming.core.images.photo_normalize` like case photos.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_KINDS = {".pdf": None, ".docx": "word/", ".xlsx": "xl/"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}


def is_photo_name(name: str) -> bool:
    return Path(name).suffix.lower() in PHOTO_SUFFIXES


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(name).stem, flags=re.UNICODE).strip("._")[:60]
    return f"{stem or 'document'}{Path(name).suffix.lower()}"


def _is_office_package(data: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)


def document_check(upload: UploadedFile) -> ContentFile:
    """The upload as a stored file when it is a real PDF/DOCX/XLSX within the size limit;
    InvalidInput with the reason otherwise."""
    name = upload.name or "document"
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_KINDS:
        raise InvalidInput(_("Only PDF, Word (.docx) and Excel (.xlsx) documents are accepted."))
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            _("The document is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // 2**20}
        )
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            _("The document is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // 2**20}
        )
    part = DOCUMENT_KINDS[suffix]
    valid = data.startswith(b"%PDF-") if part is None else _is_office_package(data, part)
    if not valid:
        raise InvalidInput(
            _("“%(name)s” is not a real %(kind)s file (or it is damaged).")
            % {"name": Path(name).name, "kind": suffix.lstrip(".").upper()}
        )
    return ContentFile(data, name=_safe_name(name))
