"""Import of point sites from an Excel sheet or a CSV file (UTF-8, or GB18030 as Excel in
China saves it).

Columns (header row, any order): code, name, type (a site type's code or name), address,
lat, lon (WGS-84), unit (a unit's code), liaison (a username, optional), is_active (optional).
The region is found from the location (`org.selectors.region_at`); a point outside every grid
is refused. All or nothing: every row is checked first, and SiteImportError names each bad
row and field. Sites are matched by code and updated in place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.org.models import Region, Unit
from wenming.org.selectors import region_at

from .models import PointSite, SiteType

Format = Literal["csv", "xlsx"]
COLUMNS = ["code", "name", "type", "address", "lat", "lon", "unit", "liaison", "is_active"]
REQUIRED = {"code", "name", "type", "lat", "lon", "unit"}
TRUE, FALSE = {"true", "yes", "1", "y", "是"}, {"false", "no", "0", "n", "否"}


@dataclass
class SiteProblem:
    row: int
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [
            _("row %(n)s") % {"n": self.row},
            self.code and _("site %(c)s") % {"c": self.code},
            self.field and _("field %(f)s") % {"f": self.field},
        ]
        return ", ".join(p for p in parts if p) + f": {self.message}"


class SiteImportError(InvalidInput):
    def __init__(self, problems: list[SiteProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Row:
    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, name: str, message: str) -> None:
        self.problems.append((name, message))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _file_error(message: str) -> SiteImportError:
    return SiteImportError([SiteProblem(1, "", "", message)])


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_error(_("the file is not text in UTF-8 or GB18030"))
    if "\x00" in text:
        raise _file_error(_("the file is not a CSV text file"))
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise _file_error(_("not an Excel (.xlsx) file")) from exc
    return [[_text(c) for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]


def _rows(data: bytes, format: Format) -> list[_Row]:
    table = _xlsx_rows(data) if format == "xlsx" else _csv_rows(data)
    if not table:
        raise _file_error(_("the file is empty"))
    names = [c.strip().lower() for c in table[0]]
    problems = [SiteProblem(1, "", n, _("unknown column")) for n in names if n and n not in COLUMNS]
    problems += [SiteProblem(1, "", n, _("missing column")) for n in sorted(REQUIRED - set(names))]
    if problems:
        raise SiteImportError(problems)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {n: _text(cells[i]) if i < len(cells) else "" for i, n in enumerate(names) if n}
        if any(raw.values()):
            rows.append(_Row(number, raw))
    if not rows:
        raise _file_error(_("the file has no sites"))
    return rows


def _check_row(row: _Row, lookups: dict[str, dict[str, Any]]) -> None:
    raw, values = row.raw, row.values
    for name, limit in (("code", 30), ("name", 100), ("address", 200)):
        if name in REQUIRED and not raw.get(name):
            row.problem(name, _("required"))
        elif len(raw.get(name, "")) > limit:
            row.problem(name, _("at most %(n)s characters") % {"n": limit})
        values[name] = raw.get(name, "")
    values["site_type"] = lookups["types"].get(raw["type"])
    if values["site_type"] is None:
        row.problem("type", _("unknown site type “%(t)s”") % {"t": raw["type"]})
    values["unit"] = lookups["units"].get(raw["unit"])
    if values["unit"] is None:
        row.problem("unit", _("unknown unit code “%(c)s”") % {"c": raw["unit"]})
    liaison = raw.get("liaison", "")
    values["liaison"] = lookups["users"].get(liaison) if liaison else None
    if liaison and values["liaison"] is None:
        row.problem("liaison", _("unknown user “%(u)s”") % {"u": liaison})
    active = raw.get("is_active", "").lower()
    if active and active not in TRUE | FALSE:
        row.problem("is_active", _("expected yes or no"))
    values["is_active"] = active not in FALSE
    _check_location(row)


def _check_location(row: _Row) -> None:
    try:
        lat, lon = float(row.raw["lat"]), float(row.raw["lon"])
    except ValueError:
        for name in ("lat", "lon"):
            try:
                float(row.raw[name])
            except ValueError:
                row.problem(name, _("“%(v)s” is not a number") % {"v": row.raw[name]})
        return
    region: Region | None = None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        region = region_at(lat=lat, lon=lon)
    if region is None:
        row.problem(
            "lat",
            _("the point %(lat)s, %(lon)s is outside the city's grids") % {"lat": lat, "lon": lon},
        )
    row.values.update(lat=lat, lon=lon, region=region)


def _lookups(rows: list[_Row]) -> dict[str, dict[str, Any]]:
    types: dict[str, Any] = {}
    for site_type in SiteType.objects.all():
        types[site_type.code] = types[site_type.name] = site_type
    users = get_user_model().objects.filter(username__in={r.raw.get("liaison", "") for r in rows})
    return {
        "types": types,
        "units": {u.code: u for u in Unit.objects.filter(code__in={r.raw["unit"] for r in rows})},
        "users": {u.username: u for u in users},
    }


@transaction.atomic
def sites_import(*, data: bytes, format: Format) -> int:
    """Create or update point sites from CSV or Excel; returns how many were written. Raises
    SiteImportError naming each bad row and field, and then writes nothing."""
    rows = _rows(data, format)
    lookups = _lookups(rows)
    seen: dict[str, int] = {}
    for row in rows:
        _check_row(row, lookups)
        code = row.values["code"]
        if code in seen:
            row.problem("code", _("duplicate code (also on row %(n)s)") % {"n": seen[code]})
        seen.setdefault(code, row.number)
    problems = [
        SiteProblem(r.number, r.raw.get("code", ""), f, m) for r in rows for f, m in r.problems
    ]
    if problems:
        raise SiteImportError(problems)
    for row in rows:
        values = dict(row.values)
        PointSite.objects.update_or_create(code=values.pop("code"), defaults=values)
    return len(rows)


def format_for(filename: str) -> Format:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise InvalidInput(_("Choose a .csv or .xlsx file."))
