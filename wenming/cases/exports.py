"""Excel export of a case list (openpyxl write-only mode: rows stream into the file)."""

from __future__ import annotations

import io
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Case

EXPORT_LIMIT = 10_000


def _local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: write the city's local time, without tzinfo.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _headers() -> list[str]:
    return [
        _("Case code"),
        _("Reported at"),
        _("Channel"),
        _("Category"),
        _("Title"),
        _("Address"),
        _("Region"),
        _("Responsible unit"),
        _("State"),
        _("Deadline warning"),
        _("Handle by"),
        _("Closed at"),
        _("Reporter"),
        _("Reporter phone"),
    ]


def _row(case: Case, full_phone: bool) -> list[object]:
    phone = case.reporter_phone if full_phone else case.reporter_phone_masked
    return [
        case.code,
        _local(case.reported_at),
        case.get_channel_display(),
        str(case.category) if case.category else "",
        case.title,
        case.address,
        case.region.name if case.region else "",
        case.unit.name if case.unit else "",
        case.get_state_display(),
        case.get_warning_level_display(),
        _local(case.handle_deadline),
        _local(case.closed_at),
        "" if case.is_anonymous else case.reporter_name,
        phone,
    ]


def cases_workbook(cases: QuerySet[Case], *, full_phone: bool) -> bytes:
    """An .xlsx of the cases (first EXPORT_LIMIT rows); phones masked unless `full_phone`
    (which decrypts each one: the caller audits it)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", (16, 17, 12, 22, 30, 30, 14, 22, 10, 10, 17, 17, 10, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header = []
    for title in _headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for case in cases[:EXPORT_LIMIT].iterator(chunk_size=1000):
        sheet.append(_row(case, full_phone))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
