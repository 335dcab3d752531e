"""Excel exports in the import layout (so an export edited and imported again round-trips),
plus a `progress` sheet the import ignores."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wenming.accountability.exports import XLSX, _bytes, _sheet

from . import selectors
from .imports import (
    ACTIVITY_COLUMNS,
    MILESTONE_COLUMNS,
    PROJECT_COLUMNS,
    SITE_COLUMNS,
    TARGET_COLUMNS,
)
from .models import CampaignActivity, LivelihoodProject

__all__ = ["XLSX", "activities_workbook", "projects_workbook"]


def _project_cells(p: LivelihoodProject) -> list[object]:
    cooperating = ",".join(u.code for u in p.cooperating_units.all())
    budget = float(p.budget) if p.budget is not None else None
    return [
        p.code, p.year, p.title, p.lead_unit.code, cooperating, p.region.code, budget,
        f"{p.start_month:%Y-%m}", p.description,
    ]  # fmt: skip


def projects_workbook(projects: QuerySet[LivelihoodProject]) -> bytes:
    rows = selectors.project_rows(projects)
    items = [r.project for r in rows]
    book = Workbook(write_only=True)
    _sheet(book, "projects", PROJECT_COLUMNS, map(_project_cells, items))
    _sheet(book, "targets", TARGET_COLUMNS, _targets(items))
    _sheet(book, "milestones", MILESTONE_COLUMNS, _milestones(items))
    _sheet(
        book,
        "sites",
        SITE_COLUMNS,
        ([s.project.code, s.name, s.lat, s.lon] for p in items for s in p.sites.all()),
    )
    headers = [
        _("Code"),
        _("Title"),
        _("Progress (%)"),
        _("Expected (%)"),
        _("Lagging"),
        _("Overdue reports"),
    ]
    _sheet(
        book,
        "progress",
        headers,
        (
            [r.project.code, r.project.title, float(r.standing.percent), r.standing.expected,
             _("yes") if r.standing.lagging else _("no"), len(r.overdue)]
            for r in rows
        ),
    )  # fmt: skip
    return _bytes(book)


def _targets(items: Iterable[LivelihoodProject]) -> Iterable[list[object]]:
    for p in items:
        for t in p.targets.all():
            yield [p.code, t.name, float(t.quantity), t.measure]


def _milestones(items: Iterable[LivelihoodProject]) -> Iterable[list[object]]:
    for p in items:
        for m in p.milestones.all():
            yield [p.code, m.title, m.due_date.isoformat(), m.planned_percent]


def activities_workbook(rows: QuerySet[CampaignActivity]) -> bytes:
    book = Workbook(write_only=True)
    cells = (
        [a.kind, a.title, a.held_on.isoformat(), a.place, a.region.code,
         a.center.name if a.center else "", a.unit.code if a.unit else "", a.participants,
         a.description]
        for a in rows.select_related("region", "center", "unit")
    )  # fmt: skip
    _sheet(book, "activities", ACTIVITY_COLUMNS, cells)
    return _bytes(book)
