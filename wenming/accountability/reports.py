"""The monthly report of a city or district as a printable PDF (ReportLab), with a CJK
TrueType font embedded (subset) so it prints the same everywhere.

The font is WenQuanYi Zen Hei from the Debian package `fonts-wqy-zenhei` (a TTC with
TrueType outlines, which ReportLab can embed; Noto CJK is CFF/OTF and cannot be embedded by
ReportLab). Set WENMING_CJK_FONT to use another TrueType file (.ttf, or .ttc: first face).
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wenming.core.errors import DomainError
from wenming.org.models import Region

from . import selectors
from .metrics import METRICS, MetricRow
from .models import FactKind, ListColor
from .periods import Period

FONT_NAME = "WenmingCJK"
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
RED = colors.HexColor("#b02a37")
# Sections other apps add at the end: (module, function(region=, period=, styles=, font=,
# table=) -> list of flowables); skipped when the app is not installed.
REPORT_SECTIONS = [("wenming.livelihood.reports", "monthly_report_section")]


class ReportFontMissing(DomainError):
    code = "font_missing"
    status = 503
    default_message = gettext_lazy(
        "No CJK TrueType font for the PDF report: install the Debian package fonts-wqy-zenhei "
        "(./dev setup) or set WENMING_CJK_FONT to a .ttf or .ttc file."
    )


def font_path() -> Path | None:
    configured = os.environ.get("WENMING_CJK_FONT")
    candidates = [configured] if configured else FONT_CANDIDATES
    return next((Path(p) for p in candidates if p and Path(p).is_file()), None)


@cache
def _register_font(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME


def cjk_font() -> str:
    """The registered font name; ReportFontMissing with the fix when there is none."""
    path = font_path()
    if path is None:
        raise ReportFontMissing()
    return _register_font(str(path))


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, textColor=RED),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9),
    }


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _table(data: list[list[object]], font: str, widths: list[float] | None = None) -> Table:
    table = Table(
        [[_fmt(c) if not isinstance(c, str) else c for c in r] for r in data],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 7),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e4e6")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


SHORT = [
    "cases_received",
    "signed_on_time_rate",
    "on_time_rate",
    "completion_rate",
    "rework_rate",
    "satisfaction_rate",
    "resolution_rate",
    "overdue_count",
]


def _metric_table(rows: list[MetricRow], font: str, first: str) -> Table:
    labels = {m.key: str(m.label) for m in METRICS}
    header: list[object] = [first, *[labels[k] for k in SHORT]]
    data: list[list[object]] = [header]
    data += [[r.name, *[r.values()[k] for k in SHORT]] for r in rows]
    return _table(data, font, [42 * mm] + [17 * mm] * len(SHORT))


def _trend_chart(region: Region, period: Period, font: str) -> Drawing:
    days = [period.start + timedelta(days=i) for i in range((period.end - period.start).days)]
    series = selectors.daily_series(
        region=region,
        start=period.start,
        end=period.end,
        kinds=[FactKind.SUBMITTED, FactKind.CLOSED],
    )
    drawing = Drawing(170 * mm, 55 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 40 * mm
    chart.data = [
        [series[k].get(d, 0) for d in days] for k in (FactKind.SUBMITTED, FactKind.CLOSED)
    ]
    chart.categoryAxis.categoryNames = [f"{d.day}" for d in days]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 6
    chart.lines[0].strokeColor, chart.lines[1].strokeColor = RED, colors.HexColor("#198754")
    drawing.add(chart)
    legend = f"— {_('Received')}    — {_('Closed')}"
    drawing.add(String(14 * mm, 51 * mm, legend, fontName=font, fontSize=7))
    return drawing


def _ranking_chart(standings: list[selectors.Standing], font: str) -> Drawing:
    top = standings[:10][::-1]
    drawing = Drawing(170 * mm, max(30, 7 * len(top)) * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 55 * mm, 4 * mm
    chart.width, chart.height = 105 * mm, max(20, 7 * len(top) - 8) * mm
    chart.data = [[s.composite or 0 for s in top]]
    chart.categoryAxis.categoryNames = [s.row.name[:16] for s in top]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.bars[0].fillColor = RED
    drawing.add(chart)
    return drawing


def _ranking_table(ranking: selectors.Ranking, font: str) -> Table:
    data: list[list[object]] = [
        [
            _("Rank"),
            _("Unit"),
            _("Composite score"),
            _("Grade"),
            _("Cases received"),
            _("On-time completion rate"),
            _("Satisfaction rate"),
        ]
    ]
    for s in ranking.ranked:
        data.append(
            [
                s.rank,
                s.row.name,
                s.composite,
                s.grade,
                s.row.cases_received,
                s.row.on_time_rate,
                s.row.satisfaction_rate,
            ]
        )
    return _table(data, font, [12 * mm, 60 * mm, 22 * mm, 12 * mm, 20 * mm, 24 * mm, 22 * mm])


def _lists_section(region: Region, period: Period, styles: dict, font: str) -> list:
    lst = (
        selectors.lists_published()
        .filter(region=region, period_kind=period.kind, period_start=period.start)
        .order_by("-version")
        .first()
    )
    if lst is None:
        return [
            Paragraph(
                _("No red and black list has been published for this period."), styles["body"]
            )
        ]
    parts: list = [Paragraph(f"{lst.title} (v{lst.version})", styles["body"])]
    for color in (ListColor.RED, ListColor.BLACK):
        entries = [e for e in lst.entries.all() if e.color == color]
        data: list[list[object]] = [[ListColor(color).label, _("Unit"), _("Grade"), _("Reason")]]
        data += [
            [e.position, e.unit_name, e.grade, Paragraph(e.reason, styles["small"])]
            for e in entries
        ]
        parts += [Spacer(1, 2 * mm), _table(data, font, [18 * mm, 55 * mm, 14 * mm, 85 * mm])]
    return parts


def _extra_sections(region: Region, period: Period, styles: dict, font: str) -> list:
    parts: list = []
    for module, name in REPORT_SECTIONS:
        function = selectors._score_function(module, name)
        if function is not None:
            parts += function(region=region, period=period, styles=styles, font=font, table=_table)
    return parts


def monthly_report_pdf(*, user: object, region: Region, period: Period) -> bytes:
    """The report for the region and month: totals, sub-regions, ranking, lists, trend."""
    font = cjk_font()
    styles = _styles(font)
    regions = selectors.region_metrics(user=user, period=period, parent=region)  # type: ignore[arg-type]
    ranking = selectors.ranking_for(user=user, period=period, region=region)  # type: ignore[arg-type]
    title = _("%(city)s %(region)s monthly accountability report, %(period)s") % {
        "city": settings.WENMING_CITY_NAME if region.level != "city" else "",
        "region": region.name,
        "period": period.label,
    }
    story: list = [
        Paragraph(title.strip(), styles["title"]),
        Paragraph(
            _("Generated %(at)s. Formulas: docs/metrics.md.")
            % {"at": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
            styles["small"],
        ),
        Paragraph(_("Totals and sub-regions"), styles["h2"]),
        _metric_table(regions, font, _("Region")),
        Paragraph(_("Cases received and closed per day"), styles["h2"]),
        _trend_chart(region, period, font),
        Paragraph(_("Unit ranking (composite score)"), styles["h2"]),
        _ranking_chart(ranking.ranked, font),
        _ranking_table(ranking, font),
        Paragraph(
            _("%(n)s units had too few cases to be ranked (minimum %(min)s).")
            % {"n": len(ranking.unranked), "min": ranking.weights.min_sample},
            styles["small"],
        ),
        Paragraph(_("Red and black list"), styles["h2"]),
        *_lists_section(region, period, styles, font),
        *_extra_sections(region, period, styles, font),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title.strip(),
        author=str(settings.WENMING_CITY_NAME),
    )
    doc.build(story)
    return buffer.getvalue()
