"""Import and export of the indicator tree (测评体系) as YAML or as an Excel sheet.

YAML: a nested tree; the depth gives the level (project → indicator → content)::

    indicators:
      - code: "03"
        name: 公平正义的法治环境
        weight: 10
        children:
          - code: "0301"
            name: 社会治安
            children:
              - code: "030101"
                name: 群众安全感
                method: survey          # field | survey | material | online (or 实地考察 …)
                points: 2
                standard: 群众安全感调查满意度达到90%以上
                lead_unit: BT-GAJJ      # unit codes
                cooperating_units: [BT-WMB]
                is_precondition: false  # optional
                is_active: true         # optional

Excel: one sheet, a header row of COLUMNS (any order), one row per node; `level` is project,
indicator or content (or 测评项目/测评指标/测评内容) and `parent_code` names the parent (in the
file, above it, or already stored); `cooperating_units` lists codes separated by commas.

All or nothing: every entry is checked first; IndicatorImportError lists each problem with its
line (YAML) or row (Excel), the indicator's code and the field. Nodes are matched by code and
updated in place; nodes missing from the file are left alone.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.yamlload import SafeLoader
from wenming.org.models import Unit

from .models import LEVEL_DEPTH, Indicator, IndicatorLevel, Method

Format = Literal["yaml", "xlsx"]
LEVELS = [IndicatorLevel.PROJECT, IndicatorLevel.INDICATOR, IndicatorLevel.CONTENT]
COLUMNS = [
    "level",
    "code",
    "parent_code",
    "name",
    "method",
    "weight",
    "points",
    "standard",
    "lead_unit",
    "cooperating_units",
    "is_precondition",
    "is_active",
]
NODE_KEYS = set(COLUMNS) - {"level", "parent_code"} | {"children"}
LEVEL_ALIASES = {"测评项目": "project", "测评指标": "indicator", "测评内容": "content"}
METHOD_ALIASES = {
    "实地考察": "field",
    "问卷调查": "survey",
    "材料审核": "material",
    "网络调查": "online",
}
TRUE, FALSE = {"true", "yes", "1", "y", "是"}, {"false", "no", "0", "n", "否", ""}
CODE = re.compile(r"^[0-9A-Za-z.\-]{1,20}$")


@dataclass
class IndicatorProblem:
    where: str  # "line 12" / "row 7"
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [
            self.where,
            self.code and _("indicator %(c)s") % {"c": self.code},
            self.field and _("field %(f)s") % {"f": self.field},
        ]
        return ", ".join(p for p in parts if p) + f": {self.message}"


class IndicatorImportError(InvalidInput):
    def __init__(self, problems: list[IndicatorProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Entry:
    where: str
    code: str
    level: str
    parent_code: str
    values: dict[str, Any] = field(default_factory=dict)
    cooperating: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, name: str, message: str) -> None:
        self.problems.append((name, message))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _clean_values(entry: _Entry, raw: dict[str, Any]) -> None:
    """Check the fields every format shares and keep the clean values on the entry."""
    if not CODE.match(entry.code):
        entry.problem("code", _("a code is 1–20 letters, digits, dots or dashes"))
    name = _text(raw.get("name"))
    if not name or len(name) > 200:
        entry.problem("name", _("a name of 1–200 characters is required"))
    method = _text(raw.get("method"))
    method = METHOD_ALIASES.get(method, method.lower())
    if method and method not in Method.values:
        entry.problem("method", _("unknown method “%(m)s”") % {"m": method})
    if entry.level == IndicatorLevel.CONTENT and not method:
        entry.problem("method", _("an assessment content needs its method"))
    entry.values.update(name=name, method=method, standard=_text(raw.get("standard")))
    for key in ("weight", "points"):
        entry.values[key] = _decimal(entry, key, raw.get(key))
    for key, default in (("is_precondition", False), ("is_active", True)):
        entry.values[key] = _bool(entry, key, raw.get(key), default)
    entry.values["lead_unit"] = _text(raw.get("lead_unit"))
    if entry.level == IndicatorLevel.CONTENT and not entry.values["lead_unit"]:
        entry.problem("lead_unit", _("an assessment content needs its lead unit"))
    entry.cooperating = _codes(raw.get("cooperating_units"))


def _decimal(entry: _Entry, key: str, value: Any) -> Decimal:
    text = _text(value)
    try:
        number = Decimal(text or "0")
    except InvalidOperation:
        entry.problem(key, _("“%(v)s” is not a number") % {"v": text})
        return Decimal(0)
    if number < 0 or number > 1000:
        entry.problem(key, _("must be between 0 and 1000"))
    return number


def _bool(entry: _Entry, key: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    entry.problem(key, _("expected yes or no"))
    return default


def _codes(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [c for c in re.split(r"[,，、;；\s]+", _text(value)) if c]


# ---------------------------------------------------------------- YAML


class _LineLoader(SafeLoader):  # type: ignore[valid-type,misc]
    """Records each mapping's line under "__line__", so problems can point at it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _yaml_node(raw: Any, depth: int, parent: str, out: list[_Entry], where: str) -> None:
    if not isinstance(raw, dict):
        out.append(_Entry(where, "", "", parent, problems=[("", _("expected a mapping"))]))
        return
    level = LEVELS[min(depth, 2)]
    entry = _Entry(_("line %(n)s") % {"n": raw["__line__"]}, _text(raw.get("code")), level, parent)
    for key in sorted(set(map(str, raw)) - NODE_KEYS - {"__line__"}):
        entry.problem(key, _("unknown field"))
    if depth > 2:
        entry.problem("children", _("the tree has three levels: project, indicator, content"))
    _clean_values(entry, raw)
    out.append(entry)
    children = raw.get("children") or []
    if not isinstance(children, list):
        entry.problem("children", _("expected a list"))
        return
    for child in children:
        _yaml_node(child, depth + 1, entry.code, out, entry.where)


def _yaml_entries(data: bytes) -> list[_Entry]:
    try:
        document = yaml.load(data.decode("utf-8"), Loader=_LineLoader)  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(n)s") % {"n": mark.line + 1 if mark else 1}
        raise IndicatorImportError(
            [IndicatorProblem(where, "", "", _("not valid YAML (UTF-8)"))]
        ) from exc
    nodes = document.get("indicators") if isinstance(document, dict) else None
    if not isinstance(nodes, list):
        raise IndicatorImportError(
            [
                IndicatorProblem(
                    _("line %(n)s") % {"n": 1},
                    "",
                    "indicators",
                    _("expected a list of projects under “indicators”"),
                )
            ]
        )
    entries: list[_Entry] = []
    for node in nodes:
        _yaml_node(node, 0, "", entries, _("line %(n)s") % {"n": 1})
    return entries


# ---------------------------------------------------------------- Excel


def _sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise IndicatorImportError(
            [IndicatorProblem(_("row %(n)s") % {"n": 1}, "", "", _("not an Excel (.xlsx) file"))]
        ) from exc
    return list(book.worksheets[0].iter_rows(values_only=True))


def header_columns(row: tuple[Any, ...], columns: list[str], required: set[str]) -> dict[str, int]:
    """{column name: index} from a header row; IndicatorImportError for unknown or missing."""
    names = [_text(cell).lower() for cell in row]
    problems = [
        IndicatorProblem(_("row %(n)s") % {"n": 1}, "", n, _("unknown column"))
        for n in names
        if n and n not in columns
    ]
    problems += [
        IndicatorProblem(_("row %(n)s") % {"n": 1}, "", n, _("missing column"))
        for n in sorted(required - set(names))
    ]
    if problems:
        raise IndicatorImportError(problems)
    return {n: i for i, n in enumerate(names) if n}


def _xlsx_entries(data: bytes) -> list[_Entry]:
    rows = _sheet_rows(data)
    if not rows:
        raise IndicatorImportError(
            [IndicatorProblem(_("row %(n)s") % {"n": 1}, "", "", _("the sheet is empty"))]
        )
    columns = header_columns(rows[0], COLUMNS, {"level", "code", "name"})
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        raw = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if not any(_text(v) for v in raw.values()):
            continue
        level = _text(raw.get("level"))
        level = LEVEL_ALIASES.get(level, level.lower())
        entry = _Entry(
            _("row %(n)s") % {"n": number}, _text(raw["code"]), level, _text(raw.get("parent_code"))
        )
        if level not in IndicatorLevel.values:
            entry.problem("level", _("unknown level “%(l)s”") % {"l": level})
        _clean_values(entry, raw)
        entries.append(entry)
    return entries


# ---------------------------------------------------------------- checks and saving


def _check_tree(entries: list[_Entry]) -> None:
    seen: dict[str, _Entry] = {}
    stored = dict(Indicator.objects.values_list("code", "level"))
    for entry in entries:
        if entry.code in seen:
            entry.problem(
                "code", _("duplicate code (also at %(w)s)") % {"w": seen[entry.code].where}
            )
        seen.setdefault(entry.code, entry)
        if entry.level not in LEVEL_DEPTH:
            continue
        if entry.level == IndicatorLevel.PROJECT:
            if entry.parent_code:
                entry.problem("parent_code", _("a project has no parent"))
            continue
        parent = seen.get(entry.parent_code)
        parent_level = parent.level if parent else stored.get(entry.parent_code)
        if not entry.parent_code or parent_level is None:
            entry.problem("parent_code", _("unknown parent “%(p)s”") % {"p": entry.parent_code})
        elif LEVEL_DEPTH.get(parent_level, -9) != LEVEL_DEPTH[entry.level] - 1:
            entry.problem(
                "parent_code",
                _("a %(l)s must be inside a %(p)s")
                % {"l": entry.level, "p": LEVELS[LEVEL_DEPTH[entry.level] - 1]},
            )


def _check_units(entries: list[_Entry]) -> dict[str, Unit]:
    wanted = {e.values.get("lead_unit") for e in entries} | {
        c for e in entries for c in e.cooperating
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=wanted - {""})}
    for entry in entries:
        lead = entry.values.get("lead_unit")
        if lead and lead not in units:
            entry.problem("lead_unit", _("unknown unit code %(c)s") % {"c": lead})
        for code in entry.cooperating:
            if code not in units:
                entry.problem("cooperating_units", _("unknown unit code %(c)s") % {"c": code})
    return units


def _save(entries: list[_Entry], units: dict[str, Unit]) -> None:
    saved: dict[str, Indicator] = {}
    ordered = sorted(enumerate(entries), key=lambda p: (LEVEL_DEPTH[p[1].level], p[0]))
    for order, entry in ordered:
        parent = saved.get(entry.parent_code) or (
            Indicator.objects.get(code=entry.parent_code) if entry.parent_code else None
        )
        values = {**entry.values, "lead_unit": units.get(entry.values["lead_unit"])}
        indicator, _created = Indicator.objects.update_or_create(
            code=entry.code,
            defaults={**values, "level": entry.level, "parent": parent, "order": order},
        )
        indicator.cooperating_units.set([units[c] for c in entry.cooperating])
        saved[entry.code] = indicator


@transaction.atomic
def indicators_import(*, data: bytes, format: Format) -> int:
    """Create or update indicators from a YAML or Excel file; returns how many were written.
    Raises IndicatorImportError naming each bad row or line and field, and writes nothing."""
    entries = _yaml_entries(data) if format == "yaml" else _xlsx_entries(data)
    if not entries:
        raise IndicatorImportError([IndicatorProblem("", "", "", _("the file has no indicators"))])
    _check_tree(entries)
    units = _check_units(entries)
    problems = [IndicatorProblem(e.where, e.code, f, m) for e in entries for f, m in e.problems]
    if problems:
        raise IndicatorImportError(problems)
    _save(entries, units)
    return len(entries)


def format_for(filename: str) -> Format:
    """The import format a file name says (.yaml/.yml or .xlsx); InvalidInput otherwise."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise InvalidInput(_("Choose a .yaml or .xlsx file."))


# ---------------------------------------------------------------- export


def _node(indicator: Indicator) -> dict[str, Any]:
    node: dict[str, Any] = {"code": indicator.code, "name": indicator.name}
    if indicator.method:
        node["method"] = indicator.method
    for key in ("weight", "points"):
        value = getattr(indicator, key)
        if value:
            node[key] = float(value) if value % 1 else int(value)
    if indicator.standard:
        node["standard"] = indicator.standard
    if indicator.lead_unit_id:
        node["lead_unit"] = indicator.lead_unit.code  # type: ignore[union-attr]
    cooperating = [u.code for u in indicator.cooperating_units.all()]
    if cooperating:
        node["cooperating_units"] = cooperating
    if indicator.is_precondition:
        node["is_precondition"] = True
    if not indicator.is_active:
        node["is_active"] = False
    return node


def _all() -> list[Indicator]:
    return list(
        Indicator.objects.select_related("lead_unit", "parent")
        .prefetch_related("cooperating_units")
        .order_by("order", "code")
    )


def indicators_export(*, format: Format) -> bytes:
    """The whole tree in the import format (YAML nested, or one Excel row per node)."""
    rows = _all()
    if format == "yaml":
        children: dict[int | None, list[Indicator]] = {}
        for r in rows:
            children.setdefault(r.parent_id, []).append(r)

        def tree(parent: int | None) -> list[dict[str, Any]]:
            return [
                {**_node(r), **({"children": tree(r.pk)} if r.pk in children else {})}
                for r in children.get(parent, [])
            ]

        text = yaml.safe_dump({"indicators": tree(None)}, allow_unicode=True, sort_keys=False)
        return text.encode("utf-8")
    return _xlsx_export(rows)


def _xlsx_export(rows: list[Indicator]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"  # type: ignore[union-attr]
    sheet.append(COLUMNS)  # type: ignore[union-attr]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in sorted(rows, key=lambda r: (LEVEL_DEPTH[r.level], r.order, r.code)):
        node = _node(r)
        sheet.append(  # type: ignore[union-attr]
            [
                r.level,
                r.code,
                r.parent.code if r.parent else "",
                r.name,
                r.method,
                node.get("weight", 0),
                node.get("points", 0),
                r.standard,
                node.get("lead_unit", ""),
                ",".join(node.get("cooperating_units", [])),
                "yes" if r.is_precondition else "no",
                "yes" if r.is_active else "no",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
