"""Excel import of the year's projects (sheets `projects`, `targets`, `milestones`, `sites`)
and of campaign activities (first sheet), in the same layout the exports write.

All or nothing: every row of every sheet is checked first; ImportProblems names each bad
sheet, row and field, and then nothing is written. Projects are matched by code and updated;
targets by (project, name); a project's milestones and sites are replaced by the file's.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.org.models import Region, Unit
from wenming.org.selectors import region_at
from wenming.volunteers.models import Center

from .models import (
    ActivityKind,
    CampaignActivity,
    LivelihoodProject,
    ProjectMilestone,
    ProjectSite,
    ProjectTarget,
)

PROJECT_COLUMNS = [
    "code", "year", "title", "lead_unit", "cooperating_units", "region", "budget",
    "start_month", "description",
]  # fmt: skip
TARGET_COLUMNS = ["project", "name", "quantity", "measure"]
MILESTONE_COLUMNS = ["project", "title", "due_date", "planned_percent"]
SITE_COLUMNS = ["project", "name", "lat", "lon"]
ACTIVITY_COLUMNS = [
    "kind", "title", "date", "place", "region", "center", "unit", "participants", "description",
]  # fmt: skip
SHEETS = {
    "projects": PROJECT_COLUMNS,
    "targets": TARGET_COLUMNS,
    "milestones": MILESTONE_COLUMNS,
    "sites": SITE_COLUMNS,
}
OPTIONAL = {"cooperating_units", "budget", "description", "center", "unit"}


@dataclass
class Problem:
    sheet: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = _("sheet %(s)s, row %(n)s") % {"s": self.sheet, "n": self.row}
        if self.field:
            where += ", " + _("field %(f)s") % {"f": self.field}
        return f"{where}: {self.message}"


class ImportProblems(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.strip() if isinstance(value, str) else value


@dataclass
class Row:
    sheet: str
    number: int
    raw: dict[str, Any]
    problems: list[Problem]

    def text(self, name: str, limit: int = 200) -> str:
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if not text and name not in OPTIONAL:
            self.fail(name, _("required"))
        elif len(text) > limit:
            self.fail(name, _("at most %(n)s characters") % {"n": limit})
        return text

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.number, name, message))

    def number_of(self, name: str, *, low: Decimal = Decimal(0)) -> Decimal | None:
        text = self.text(name)
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail(name, _("“%(v)s” is not a number") % {"v": text})
            return None
        if value < low or not value.is_finite():
            self.fail(name, _("must be at least %(n)s") % {"n": low})
        return value

    def day(self, name: str) -> date | None:
        value = self.raw.get(name)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(name)
        for pattern in ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        if text:
            self.fail(name, _("“%(v)s” is not a date (YYYY-MM-DD)") % {"v": text})
        return None

    def lookup(self, name: str, table: dict[str, Any], what: str) -> Any:
        key = self.text(name)
        if key and key not in table:
            self.fail(name, _("unknown %(what)s “%(v)s”") % {"what": what, "v": key})
        return table.get(key)


def _workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise ImportProblems([Problem("—", 1, "", _("not an Excel (.xlsx) file"))]) from exc


def _sheet_rows(sheet: Any, name: str, columns: list[str], problems: list[Problem]) -> list[Row]:
    table = [[_cell(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    if not table:
        return []
    names = [str(c or "").strip().lower() for c in table[0]]
    for n in names:
        if n and n not in columns:
            problems.append(Problem(name, 1, n, _("unknown column")))
    for n in columns:
        if n not in names and n not in OPTIONAL:
            problems.append(Problem(name, 1, n, _("missing column")))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {n: cells[i] if i < len(cells) else None for i, n in enumerate(names) if n}
        if any(v not in (None, "") for v in raw.values()):
            rows.append(Row(name, number, raw, problems))
    return rows


def _by_code(model: Any, field: str = "code") -> dict[str, Any]:
    return {getattr(o, field): o for o in model.objects.all()}


# ---------------------------------------------------------------- projects


def _check_project(row: Row, units: dict, regions: dict) -> dict[str, Any]:
    year = row.number_of("year", low=Decimal(2000))
    cooperating = [c.strip() for c in row.text("cooperating_units").replace("，", ",").split(",")]
    for code in [c for c in cooperating if c and c not in units]:
        row.fail("cooperating_units", _("unknown unit “%(v)s”") % {"v": code})
    start = row.day("start_month")
    values = {
        "year": int(year) if year is not None else None,
        "title": row.text("title", 120),
        "lead_unit": row.lookup("lead_unit", units, _("unit")),
        "region": row.lookup("region", regions, _("region")),
        "budget": row.number_of("budget"),
        "start_month": start.replace(day=1) if start else None,
        "description": row.text("description", 2000),
    }
    if start and values["year"] and start.year != values["year"]:
        row.fail("start_month", _("not in the project's year"))
    return {"values": values, "cooperating": [units[c] for c in cooperating if c in units]}


def _check_children(rows: list[Row], codes: set[str], check: Callable[[Row], dict]) -> list:
    seen: dict[tuple, int] = {}
    checked = []
    for row in rows:
        project = row.text("project", 30)
        if project and project not in codes:
            row.fail("project", _("unknown project “%(v)s”") % {"v": project})
        values = check(row)
        key = (project, values.get("name") or values.get("title"))
        if key in seen and "name" in values:
            row.fail("name", _("duplicate (also on row %(n)s)") % {"n": seen[key]})
        seen.setdefault(key, row.number)
        checked.append((project, values))
    return checked


def _target(row: Row) -> dict:
    quantity = row.number_of("quantity", low=Decimal("0.01"))
    return {"name": row.text("name", 100), "quantity": quantity, "measure": row.text("measure", 20)}


def _milestone(row: Row) -> dict:
    planned = row.number_of("planned_percent", low=Decimal(1))
    if planned is not None and planned > 100:
        row.fail("planned_percent", _("at most 100"))
    return {
        "title": row.text("title", 100),
        "due_date": row.day("due_date"),
        "planned_percent": int(planned) if planned is not None else None,
    }


def _site(row: Row) -> dict:
    lat, lon = row.number_of("lat", low=Decimal(-90)), row.number_of("lon", low=Decimal(-180))
    region = (
        region_at(lat=float(lat), lon=float(lon)) if lat is not None and lon is not None else None
    )
    if lat is not None and lon is not None and region is None:
        row.fail("lat", _("the point is outside the city's regions"))
    return {"name": row.text("name", 100), "lat": lat, "lon": lon, "region": region}


@transaction.atomic
def projects_import(*, data: bytes) -> int:
    """Create or update projects with their targets, milestones and sites; returns how many
    projects were written. Raises ImportProblems (and writes nothing) on any bad row."""
    book, problems = _workbook(data), list[Problem]()
    sheets = {
        name: _sheet_rows(book[name], name, columns, problems) if name in book.sheetnames else []
        for name, columns in SHEETS.items()
    }
    if "projects" not in book.sheetnames or not sheets["projects"]:
        problems.append(Problem("projects", 1, "", _("the sheet of projects is missing or empty")))
    units, regions = _by_code(Unit), _by_code(Region)
    projects: dict[str, dict] = {}
    for row in sheets["projects"]:
        code = row.text("code", 30)
        if code in projects:
            row.fail("code", _("duplicate code"))
        projects[code] = _check_project(row, units, regions)
    known = set(projects) | set(LivelihoodProject.objects.values_list("code", flat=True))
    children = {
        "targets": _check_children(sheets["targets"], known, _target),
        "milestones": _check_children(sheets["milestones"], known, _milestone),
        "sites": _check_children(sheets["sites"], known, _site),
    }
    if problems:
        raise ImportProblems(problems)
    _write(projects, children)
    return len(projects)


def _write(projects: dict[str, dict], children: dict[str, list]) -> None:
    saved = {}
    for code, checked in projects.items():
        project, _new = LivelihoodProject.objects.update_or_create(
            code=code, defaults=checked["values"]
        )
        project.cooperating_units.set(checked["cooperating"])
        saved[code] = project
    for code in {c for c, _v in children["milestones"]}:
        ProjectMilestone.objects.filter(project__code=code).delete()
    for code in {c for c, _v in children["sites"]}:
        ProjectSite.objects.filter(project__code=code).delete()
    lookup = lambda code: saved.get(code) or LivelihoodProject.objects.get(code=code)  # noqa: E731
    for code, values in children["targets"]:
        name = values.pop("name")
        ProjectTarget.objects.update_or_create(project=lookup(code), name=name, defaults=values)
    for code, values in children["milestones"]:
        ProjectMilestone.objects.create(project=lookup(code), **values)
    for code, values in children["sites"]:
        values.update(lat=float(values["lat"]), lon=float(values["lon"]))
        ProjectSite.objects.create(project=lookup(code), **values)


# ---------------------------------------------------------------- activities


def _check_activity(row: Row, lookups: dict[str, dict]) -> dict[str, Any]:
    participants = row.number_of("participants")
    values = {
        "kind": row.lookup("kind", lookups["kinds"], _("kind")),
        "title": row.text("title", 120),
        "held_on": row.day("date"),
        "place": row.text("place", 120),
        "region": row.lookup("region", lookups["regions"], _("region")),
        "center": row.lookup("center", lookups["centers"], _("practice center")),
        "unit": row.lookup("unit", lookups["units"], _("unit")),
        "participants": int(participants) if participants is not None else None,
        "description": row.text("description", 2000),
    }
    if not row.raw.get("center") and not row.raw.get("unit"):
        row.fail("center", _("name the practice center or the unit"))
    return values


@transaction.atomic
def activities_import(*, data: bytes, actor: Any = None) -> int:
    """Create activities from the first sheet; all or nothing (ImportProblems)."""
    book, problems = _workbook(data), list[Problem]()
    rows = _sheet_rows(book.worksheets[0], "activities", ACTIVITY_COLUMNS, problems)
    if not rows and not problems:
        problems.append(Problem("activities", 1, "", _("the file has no activities")))
    kinds = {v: v for v in ActivityKind.values} | {
        str(label): v for v, label in ActivityKind.choices
    }
    lookups = {
        "kinds": kinds,
        "regions": _by_code(Region),
        "centers": _by_code(Center, "name"),
        "units": _by_code(Unit),
    }
    checked = [_check_activity(row, lookups) for row in rows]
    if problems:
        raise ImportProblems(problems)
    for values in checked:
        CampaignActivity.objects.create(recorded_by=actor, **values)
    return len(checked)
