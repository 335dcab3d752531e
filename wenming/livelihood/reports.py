"""The livelihood section of the monthly accountability report (PDF): campaign activities per
kind and per area, and the projects' standing (lagging, overdue reports) in the region."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from wenming.org.models import Region

from . import activities, selectors
from .models import LivelihoodProject


def _activity_part(region: Region, period: Any, styles: dict, font: str, table: Callable) -> list:
    rows = activities.region_activities(region, period.start, period.last_day)
    total = activities.totals(rows)
    header = [_("Kind"), _("Activities held"), _("Participants")]
    by_kind = [[line.label, line.count, line.participants] for line in activities.by_kind(rows)]
    by_area = [
        [line.label, line.count, line.participants] for line in activities.by_region(rows, region)
    ]
    widths = [60 * mm, 30 * mm, 30 * mm]
    parts = [
        Paragraph(_("Campaign activities"), styles["h2"]),
        Paragraph(
            _("%(n)s activities with %(p)s participants.")
            % {"n": total.count, "p": total.participants},
            styles["body"],
        ),
        table([header, *by_kind], font, widths),
    ]
    if by_area:
        parts.append(table([[_("Area"), *header[1:]], *by_area], font, widths))
    return parts


def _project_part(region: Region, period: Any, styles: dict, font: str, table: Callable) -> list:
    projects = LivelihoodProject.objects.filter(
        region__path__startswith=region.path, year=period.start.year
    )
    rows = selectors.project_rows(projects, on=min(period.last_day, timezone.localdate()))
    overdue = {
        r.project.pk: sum(1 for o in r.overdue if period.start <= o.due <= period.last_day)
        for r in rows
    }
    flagged = [r for r in rows if r.standing.lagging or overdue[r.project.pk]]
    summary = _(
        "%(n)s projects: %(f)s finished, %(l)s behind schedule, %(o)s reports overdue this month."
    ) % {
        "n": len(rows),
        "f": sum(1 for r in rows if r.standing.finished),
        "l": sum(1 for r in rows if r.standing.lagging),
        "o": sum(overdue.values()),
    }
    parts = [Paragraph(_("Livelihood projects"), styles["h2"]), Paragraph(summary, styles["body"])]
    if flagged:
        data: list[list[object]] = [
            [_("Project"), _("Lead unit"), _("Progress (%)"), _("Planned (%)"), _("Overdue")]
        ]
        data += [
            [r.project.title[:24], r.project.lead_unit.name[:18], float(r.standing.percent),
             r.standing.expected, overdue[r.project.pk]]
            for r in flagged
        ]  # fmt: skip
        parts.append(table(data, font, [55 * mm, 50 * mm, 22 * mm, 22 * mm, 18 * mm]))
    return parts


def monthly_report_section(
    *, region: Region, period: Any, styles: dict, font: str, table: Callable
) -> list:
    """Flowables appended to the monthly report (see accountability.reports)."""
    return [
        *_activity_part(region, period, styles, font, table),
        *_project_part(region, period, styles, font, table),
    ]
