"""Import and export of the category catalogue, as YAML or as an Excel sheet.

YAML (see data/categories.yaml)::

    categories:
      - kind: event                  # component | event (部件 | 事件)
        code: "05"                   # major class: 2 digits
        name: 街面秩序
        is_active: true              # optional
        time_limits: {}              # optional: the fallback for its minor classes
        children:
          - code: "0501"             # minor class: the major code + 2 digits
            name: 占道经营
            register_standard: …     # 立案标准
            close_standard: …        # 结案标准
            default_nature: complaint  # consult | help | complaint | report | suggestion | praise
            is_public: true
            auto_dispatch: false
            photo_required: true
            keywords: 占道 摆摊
            is_active: true
            time_limits:
              normal: {sign: 2h, handle: 3d, verify: 1d}   # working hours (h) or days (d)

A `units` key on a class is a hint for the demo seed (wenming.cases.seed) and is ignored here.

Excel: one sheet; a header row of COLUMNS (any order); one row per minor class repeating its
major class's kind, code and name; `<urgency>_<stage>` cells hold limits like 2h or 3d (all
three stages of an urgency, or none).

Import is all or nothing: every entry is checked first and a CatalogueImportError lists each
problem with its line (YAML) or row (Excel), the class and the field. Classes are matched by
(kind, code) and updated in place; classes missing from the file are left alone. A class's
time limits become exactly those in the file (an Excel sheet has no columns for major-class
limits, so those stay as they are). Unchanged rows are not written.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.yamlload import SafeLoader

from .models import Category, CategoryKind, Nature, TimeLimit, TimeUnit, Urgency

Format = Literal["yaml", "xlsx"]
STAGES = ("sign", "handle", "verify")
TEXT_FIELDS = {"name": 60, "register_standard": 2000, "close_standard": 2000, "keywords": 200}
BOOL_FIELDS = {"is_public": True, "auto_dispatch": False, "photo_required": True, "is_active": True}
MINOR_FIELDS = [
    "name",
    "register_standard",
    "close_standard",
    "default_nature",
    "is_public",
    "auto_dispatch",
    "photo_required",
    "keywords",
    "is_active",
]
MAJOR_KEYS = {"kind", "code", "name", "is_active", "time_limits", "children", "units"}
MINOR_KEYS = {"code", *MINOR_FIELDS, "time_limits", "units"}
LIMIT_COLUMNS = [f"{u}_{s}" for u in Urgency.values for s in STAGES]
COLUMNS = ["kind", "major_code", "major_name", "code", *MINOR_FIELDS, *LIMIT_COLUMNS]
KIND_ALIASES = {"部件": CategoryKind.COMPONENT, "事件": CategoryKind.EVENT}
UNIT_SUFFIX: dict[str, str] = {TimeUnit.HOURS.value: "h", TimeUnit.DAYS.value: "d"}
AMOUNT = re.compile(r"^\s*(-?\d+)\s*([hd])\s*$", re.IGNORECASE)
TRUE, FALSE = {"true", "yes", "1", "y", "是"}, {"false", "no", "0", "n", "否", ""}

Limits = dict[str, dict[str, Any]]  # urgency → TimeLimit field values


@dataclass
class CatalogueProblem:
    where: str  # "line 12" / "row 7"
    category: str  # "event 0501" or ""
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.where, self.category, self.field and _("field %(f)s") % {"f": self.field}]
        return ", ".join(p for p in parts if p) + f": {self.message}"


class CatalogueImportError(InvalidInput):
    def __init__(self, problems: list[CatalogueProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Entry:
    where: str
    kind: str
    code: str
    parent_code: str  # "" for a major class
    values: dict[str, Any] = field(default_factory=dict)
    limits: Limits | None = None  # None: leave the stored limits as they are
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    renames: dict[str, str] = field(default_factory=dict)  # field → its column in the file

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append((self.renames.get(field_name, field_name), message))


def code_problem(*, code: str, parent_code: str | None) -> str | None:
    """Why `code` is not a valid code for a class under `parent_code` (None: a major class)."""
    if parent_code is None:
        return None if re.fullmatch(r"\d{2}", code) else _("a major class code is 2 digits")
    if not re.fullmatch(r"\d{4}", code):
        return _("a minor class code is 4 digits (kept as text, e.g. 0101)")
    if not code.startswith(parent_code):
        return _("must start with its major class code %(p)s") % {"p": parent_code}
    return None


# ---------------------------------------------------------------- cleaning values


def _line(number: int) -> str:
    return _("line %(n)s") % {"n": number}


def _row(number: int) -> str:
    return _("row %(n)s") % {"n": number}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _clean_bool(entry: _Entry, name: str, value: Any) -> None:
    if value is None:
        entry.values[name] = BOOL_FIELDS[name]
    elif isinstance(value, bool):
        entry.values[name] = value
    elif _text(value).lower() in TRUE | FALSE:
        entry.values[name] = _text(value).lower() in TRUE
    else:
        entry.problem(name, _("write true or false"))


def _clean_texts(entry: _Entry, raw: dict[str, Any], names: list[str]) -> None:
    for name in names:
        if isinstance(raw.get(name), dict | list):
            entry.problem(name, _("expected text"))
        value = _text(raw.get(name))
        if len(value) > TEXT_FIELDS[name]:
            entry.problem(name, _("longer than %(n)s characters") % {"n": TEXT_FIELDS[name]})
        entry.values[name] = value
    if "name" in names and not entry.values["name"]:
        entry.problem("name", _("a name is required"))


def _amount(entry: _Entry, where: str, value: Any) -> tuple[int, str] | None:
    match = AMOUNT.match(_text(value))
    if match is None:
        entry.problem(where, _("write working hours or days, like 2h or 3d"))
        return None
    if int(match[1]) <= 0:
        entry.problem(where, _("must be more than zero"))
        return None
    unit = TimeUnit.HOURS if match[2].lower() == "h" else TimeUnit.DAYS
    return int(match[1]), unit


def _clean_limits(entry: _Entry, raw: Any, key: str = "time_limits") -> Limits:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        entry.problem(key, _("expected urgency: {sign, handle, verify}"))
        return {}
    limits: Limits = {}
    for urgency, stages in raw.items():
        if str(urgency) == "__line__":
            continue
        if urgency not in Urgency.values:
            entry.problem(f"{key}.{urgency}", _("unknown urgency (normal, urgent or critical)"))
            continue
        if not isinstance(stages, dict) or set(stages) - {"__line__"} != set(STAGES):
            entry.problem(f"{key}.{urgency}", _("give sign, handle and verify"))
            continue
        limits[urgency] = _clean_stages(entry, f"{key}.{urgency}", stages)
    return limits


def _clean_stages(entry: _Entry, key: str, stages: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for stage in STAGES:
        parsed = _amount(entry, f"{key}.{stage}", stages[stage])
        if parsed:
            values[f"{stage}_amount"], values[f"{stage}_unit"] = parsed
    return values


def _clean_minor(entry: _Entry, raw: dict[str, Any]) -> None:
    _clean_texts(entry, raw, list(TEXT_FIELDS))
    nature = _text(raw.get("default_nature")) or Nature.COMPLAINT
    if nature not in Nature.values:
        entry.problem("default_nature", _("one of %(v)s") % {"v": ", ".join(Nature.values)})
    entry.values["default_nature"] = nature
    for name in BOOL_FIELDS:
        _clean_bool(entry, name, raw.get(name))


def _clean_kind(entry: _Entry) -> None:
    entry.kind = KIND_ALIASES.get(entry.kind, entry.kind)
    if entry.kind not in CategoryKind.values:
        entry.problem("kind", _("unknown kind “%(k)s” (component or event)") % {"k": entry.kind})


# ---------------------------------------------------------------- YAML


class _LineLoader(SafeLoader):  # type: ignore[valid-type,misc]
    """Records each mapping's line under "__line__", so problems can point at it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _unknown_keys(entry: _Entry, raw: dict[str, Any], allowed: set[str]) -> None:
    for key in sorted(set(map(str, raw)) - allowed - {"__line__"}):
        entry.problem(key, _("unknown field"))


def _yaml_major(raw: dict[str, Any]) -> list[_Entry]:
    major = _Entry(_line(raw["__line__"]), _text(raw.get("kind")), _text(raw.get("code")), "")
    _unknown_keys(major, raw, MAJOR_KEYS)
    _clean_kind(major)
    _clean_texts(major, raw, ["name"])
    _clean_bool(major, "is_active", raw.get("is_active"))
    major.limits = _clean_limits(major, raw.get("time_limits"))
    children = raw.get("children") or []
    if not isinstance(children, list):
        major.problem("children", _("expected a list of minor classes"))
        children = []
    entries = [major]
    for child in children:
        if not isinstance(child, dict):
            major.problem("children", _("each minor class is a mapping"))
            continue
        minor = _Entry(_line(child["__line__"]), major.kind, _text(child.get("code")), major.code)
        _unknown_keys(minor, child, MINOR_KEYS)
        _clean_minor(minor, child)
        minor.limits = _clean_limits(minor, child.get("time_limits"))
        entries.append(minor)
    return entries


def _yaml_entries(data: bytes) -> list[_Entry]:
    try:
        document = yaml.load(data.decode("utf-8-sig"), Loader=_LineLoader)  # noqa: S506
    except UnicodeDecodeError as exc:
        raise _file_problem(_line(1), _("the file is not UTF-8 text")) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _line(mark.line + 1 if mark else 1)
        reason = getattr(exc, "problem", None) or str(exc)
        raise _file_problem(where, _("not valid YAML: %(e)s") % {"e": reason}) from exc
    majors = document.get("categories") if isinstance(document, dict) else None
    if not isinstance(majors, list) or not all(isinstance(m, dict) for m in majors):
        raise _file_problem(_line(1), _("expected a top-level “categories” list of mappings"))
    return [entry for raw in majors for entry in _yaml_major(raw)]


def _file_problem(where: str, message: str) -> CatalogueImportError:
    return CatalogueImportError([CatalogueProblem(where, "", "", message)])


# ---------------------------------------------------------------- Excel


def _sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise _file_problem(_row(1), _("not an Excel (.xlsx) file")) from exc
    return list(book.worksheets[0].iter_rows(values_only=True))


def _header(row: tuple[Any, ...]) -> dict[str, int]:
    names = [_text(cell).lower() for cell in row]
    unknown = [n for n in names if n and n not in COLUMNS]
    missing = [c for c in ("kind", "major_code", "major_name", "code", "name") if c not in names]
    problems = [CatalogueProblem(_row(1), "", n, _("unknown column")) for n in unknown]
    problems += [CatalogueProblem(_row(1), "", c, _("missing column")) for c in missing]
    if problems:
        raise CatalogueImportError(problems)
    return {name: i for i, name in enumerate(names) if name}


def _row_limits(entry: _Entry, raw: dict[str, Any]) -> Limits:
    limits: Limits = {}
    for urgency in Urgency.values:
        cells = {s: raw.get(f"{urgency}_{s}") for s in STAGES}
        filled = [s for s, v in cells.items() if _text(v)]
        if not filled:
            continue
        if len(filled) < len(STAGES):
            entry.problem(f"{urgency}_*", _("give sign, handle and verify, or none"))
            continue
        limits[urgency] = {}
        for stage, value in cells.items():
            parsed = _amount(entry, f"{urgency}_{stage}", value)
            if parsed:
                limits[urgency][f"{stage}_amount"], limits[urgency][f"{stage}_unit"] = parsed
    return limits


def _xlsx_major(raw: dict[str, Any], where: str) -> _Entry:
    renames = {"code": "major_code", "name": "major_name"}
    major = _Entry(where, _text(raw["kind"]), _text(raw["major_code"]), "", renames=renames)
    _clean_kind(major)
    _clean_texts(major, {"name": raw["major_name"]}, ["name"])
    major.limits = None  # a sheet has no major-class limits: leave them alone
    return major


def _xlsx_entries(data: bytes) -> list[_Entry]:
    rows = _sheet_rows(data)
    if not rows:
        raise _file_problem(_row(1), _("the sheet is empty"))
    columns = _header(rows[0])
    majors: dict[tuple[str, str], _Entry] = {}
    entries: list[_Entry] = []
    for number, row in enumerate(rows[1:], start=2):
        raw = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if not any(_text(v) for v in raw.values()):
            continue
        major = _xlsx_major(raw, _row(number))
        minor = _Entry(major.where, major.kind, _text(raw["code"]), major.code)
        known = majors.setdefault((major.kind, major.code), major)
        if known is major:
            entries.append(major)
        elif known.values["name"] != major.values["name"]:
            minor.problem("major_name", _("differs from %(w)s") % {"w": known.where})
        _clean_minor(minor, raw)
        minor.limits = _row_limits(minor, raw)
        entries.append(minor)
    return entries


# ---------------------------------------------------------------- checking and writing


def _check(entries: list[_Entry]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for entry in entries:
        problem = code_problem(code=entry.code, parent_code=entry.parent_code or None)
        if problem:
            entry.problem("code", problem)
        if (entry.kind, entry.code) in seen:
            where = seen[(entry.kind, entry.code)]
            entry.problem("code", _("duplicate code (also at %(w)s)") % {"w": where})
        seen.setdefault((entry.kind, entry.code), entry.where)
    problems = [
        CatalogueProblem(e.where, f"{e.kind} {e.code}".strip(), name, message)
        for e in entries
        for name, message in e.problems
    ]
    if problems:
        raise CatalogueImportError(problems)


def _save_category(
    entry: _Entry, stored: dict[tuple[str, str], Category], parent: Category | None
) -> Category:
    values = {**entry.values, "parent_id": parent.pk if parent else None}
    category = stored.get((entry.kind, entry.code))
    if category is None:
        return Category.objects.create(kind=entry.kind, code=entry.code, **values)
    changed = [name for name, value in values.items() if getattr(category, name) != value]
    for name in changed:
        setattr(category, name, values[name])
    if changed:
        category.save(update_fields=[*changed, "updated_at"])
    return category


def _save_limits(category: Category, wanted: Limits, stored: dict[str, TimeLimit]) -> None:
    stale = [limit.pk for urgency, limit in stored.items() if urgency not in wanted]
    TimeLimit.objects.filter(pk__in=stale).delete()
    for urgency, values in wanted.items():
        limit = stored.get(urgency)
        if limit is None:
            TimeLimit.objects.create(category=category, urgency=urgency, **values)
        elif any(getattr(limit, name) != value for name, value in values.items()):
            TimeLimit.objects.filter(pk=limit.pk).update(**values)


@transaction.atomic
def categories_import(*, data: bytes, format: Format) -> int:
    """Create or update the catalogue from a YAML or Excel file (all or nothing).

    Returns the number of classes (major and minor) the file holds. Raises
    CatalogueImportError naming the line or row, class and field of every problem, and then
    writes nothing. See the module docstring for both formats.
    """
    if format not in ("yaml", "xlsx"):
        raise InvalidInput(_("Unknown catalogue format “%(f)s”.") % {"f": format})
    entries = _yaml_entries(data) if format == "yaml" else _xlsx_entries(data)
    _check(entries)
    stored = {(c.kind, c.code): c for c in Category.objects.all()}
    limits: dict[int, dict[str, TimeLimit]] = defaultdict(dict)
    for limit in TimeLimit.objects.all():
        limits[limit.category_id][limit.urgency] = limit
    saved: dict[tuple[str, str], Category] = {}
    for entry in sorted(entries, key=lambda e: bool(e.parent_code)):  # majors first
        parent = saved[(entry.kind, entry.parent_code)] if entry.parent_code else None
        category = saved[(entry.kind, entry.code)] = _save_category(entry, stored, parent)
        if entry.limits is not None:
            _save_limits(category, entry.limits, limits[category.pk])
    return len(entries)


# ---------------------------------------------------------------- export


def _amount_text(amount: int, unit: str) -> str:
    return f"{amount}{UNIT_SUFFIX.get(unit, unit)}"


def _limits_dict(category: Category) -> dict[str, dict[str, str]]:
    by_urgency = {limit.urgency: limit for limit in category.time_limits.all()}
    return {
        urgency: {
            stage: _amount_text(
                getattr(by_urgency[urgency], f"{stage}_amount"),
                getattr(by_urgency[urgency], f"{stage}_unit"),
            )
            for stage in STAGES
        }
        for urgency in Urgency.values
        if urgency in by_urgency
    }


def _catalogue() -> list[tuple[Category, list[Category]]]:
    categories = list(Category.objects.prefetch_related("time_limits").order_by("kind", "code"))
    children: dict[int, list[Category]] = defaultdict(list)
    for category in categories:
        if category.parent_id:
            children[category.parent_id].append(category)
    return [(c, children[c.pk]) for c in categories if c.parent_id is None]


def _minor_dict(minor: Category) -> dict[str, Any]:
    values: dict[str, Any] = {"code": minor.code}
    values.update({name: getattr(minor, name) for name in MINOR_FIELDS})
    values["time_limits"] = _limits_dict(minor)
    return values


def _yaml_export() -> bytes:
    majors = []
    for major, minors in _catalogue():
        entry: dict[str, Any] = {"kind": major.kind, "code": major.code, "name": major.name}
        entry["is_active"] = major.is_active
        if limits := _limits_dict(major):
            entry["time_limits"] = limits
        entry["children"] = [_minor_dict(minor) for minor in minors]
        majors.append(entry)
    text = yaml.safe_dump(
        {"categories": majors},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=1000,
    )
    return text.encode("utf-8")


def _xlsx_export() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "categories"
    sheet.append(COLUMNS)
    for major, minors in _catalogue():
        for minor in minors:
            values = _minor_dict(minor)
            limits = values.pop("time_limits")
            cells = [major.kind, major.code, major.name, *values.values()]
            cells += [limits.get(u, {}).get(s) for u in Urgency.values for s in STAGES]
            sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def categories_export(*, format: Format) -> bytes:
    """The whole catalogue as a YAML document or an Excel workbook (see the module docstring)."""
    if format == "yaml":
        return _yaml_export()
    if format == "xlsx":
        return _xlsx_export()
    raise InvalidInput(_("Unknown catalogue format “%(f)s”.") % {"f": format})


def format_for(filename: str) -> Format:
    """The catalogue format a file name's extension stands for."""
    suffix = filename.lower().rsplit(".", 1)[-1]
    if suffix in ("yaml", "yml"):
        return "yaml"
    if suffix == "xlsx":
        return "xlsx"
    raise InvalidInput(_("Use a .yaml, .yml or .xlsx file."))
