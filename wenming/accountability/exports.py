"""Excel exports of the accountability tables. Every table is built from the same rows the
page shows (metrics.MetricRow / selectors.Standing), so the numbers match."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .metrics import METRICS, MetricRow
from .models import RedBlackList
from .periods import Period
from .selectors import Ranking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(
    book: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def metric_headers(by: str) -> list[str]:
    first = _("Unit") if by == "unit" else _("Region")
    return [_("Code"), first, *[str(m.label) for m in METRICS]]


def metric_cells(row: MetricRow) -> list[object]:
    values = row.values()
    return [row.code, row.name, *[values[m.key] for m in METRICS]]


def metrics_workbook(rows: list[MetricRow], *, by: str, period: Period) -> bytes:
    """One sheet: the metrics table exactly as on the page (rates in %)."""
    book = Workbook(write_only=True)
    _sheet(book, f"{_('Metrics')} {period.label}", metric_headers(by), map(metric_cells, rows))
    return _bytes(book)


def ranking_headers() -> list[str]:
    return [
        _("Rank"),
        *metric_headers("unit")[:2],
        _("Composite score"),
        _("Grade"),
        *[str(m.label) for m in METRICS],
    ]


def ranking_rows(ranking: Ranking, *, ranked: bool) -> list[list[object]]:
    standings = ranking.ranked if ranked else ranking.unranked
    return [
        [s.rank, s.row.code, s.row.name, s.composite, s.grade, *metric_cells(s.row)[2:]]
        for s in standings
    ]


def ranking_workbook(ranking: Ranking) -> bytes:
    """Two sheets: the ranked units, and the units below the minimum sample."""
    book = Workbook(write_only=True)
    _sheet(book, _("Ranking"), ranking_headers(), ranking_rows(ranking, ranked=True))
    _sheet(book, _("Not ranked"), ranking_headers(), ranking_rows(ranking, ranked=False))
    return _bytes(book)


def list_workbook(lst: RedBlackList) -> bytes:
    headers = [
        _("List"),
        _("Position"),
        _("Unit"),
        _("Rank"),
        _("Composite score"),
        _("Grade"),
        _("Reason"),
    ]
    rows = [
        [
            e.get_color_display(),
            e.position,
            e.unit_name,
            e.rank,
            float(e.composite) if e.composite is not None else None,
            e.grade,
            e.reason,
        ]
        for e in lst.entries.all()
    ]
    book = Workbook(write_only=True)
    _sheet(book, f"v{lst.version}", headers, rows)
    return _bytes(book)


def table_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A one-sheet workbook of any table (the dashboard's tables use it)."""
    book = Workbook(write_only=True)
    _sheet(book, title, headers, rows)
    return _bytes(book)
