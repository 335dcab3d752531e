"""Labelled samples for training and evaluation: from the city's closed cases (the final
category and unit are the labels) or from an Excel/CSV file of labelled messages.

A file has a header row with `text` (or `title` and `description`), `category` and optionally
`unit` and `region` (a region code). In a file, `category` may be the category key
(`event:0101`), a category code when only one kind has it (`0304`), or a minor class's name
(`暴露垃圾`); `unit` a unit code or name. `evaluate` uses the labels as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from wenming.cases.models import Case, Category
from wenming.cases.states import State
from wenming.core.errors import InvalidInput
from wenming.org.models import Unit

from .text import document


@dataclass(frozen=True)
class Labelled:
    doc: str
    category: str
    unit: str


def category_key(category: Category) -> str:
    return f"{category.kind}:{category.code}"


def region_codes(path: str) -> list[str]:
    return [code for code in path.strip("/").split("/") if code]


def case_document(case: Case) -> str:
    """The model's input for a case (its text and its region's codes)."""
    path = case.region.path if case.region_id and case.region else ""
    return document(case.title, case.description, region_codes(path))


def from_cases(limit: int | None = None) -> list[Labelled]:
    """Closed cases with a category, newest first; the unit is the one that handled it."""
    cases = (
        Case.objects.filter(state=State.CLOSED, category__isnull=False)
        .select_related("category", "unit", "region")
        .order_by("-closed_at", "-id")
    )
    return [
        Labelled(case_document(c), category_key(c.category), c.unit.code if c.unit else "")
        for c in (cases[:limit] if limit else cases.iterator(chunk_size=2000))
        if c.category
    ]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(rows, ())]
        for row in rows:
            yield {
                h: "" if v is None else str(v).strip() for h, v in zip(header, row, strict=False)
            }
    elif path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        for row in csv.DictReader(io.StringIO(text)):
            yield {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
    else:
        raise InvalidInput(f"Unsupported file type {path.suffix!r}: use .xlsx or .csv.")


def from_file(path: Path) -> list[Labelled]:
    """Rows of a labelled file with their labels as written (rows without a category skipped)."""
    samples = []
    for row in _rows(path):
        text = row.get("text") or "\n".join(
            filter(None, [row.get("title"), row.get("description")])
        )
        if text and row.get("category"):
            regions = [row["region"]] if row.get("region") else []
            title, _, description = text.partition("\n")
            doc = document(title, description, regions)
            samples.append(Labelled(doc, row["category"], row.get("unit", "")))
    if not samples:
        raise InvalidInput("The file has no rows with a text and a category.")
    return samples


def resolve(samples: Iterable[Labelled]) -> list[Labelled]:
    """Map a file's category and unit labels to the catalogue's keys and unit codes; rows whose
    category is unknown are refused (InvalidInput names the first ones)."""
    by_key: dict[str, str] = {}
    for c in Category.objects.filter(parent__isnull=False):
        key = category_key(c)
        by_key[key] = key
        by_key.setdefault(c.name, key)
        by_key[c.code] = key if c.code not in by_key else ""  # ambiguous codes resolve to ""
    units = {u.code: u.code for u in Unit.objects.all()}
    units |= {u.name: u.code for u in Unit.objects.all()}
    resolved, unknown = [], []
    for s in samples:
        key = by_key.get(s.category, "")
        if not key:
            unknown.append(s.category)
        resolved.append(Labelled(s.doc, key, units.get(s.unit, "")))
    if unknown:
        raise InvalidInput(f"Unknown categories: {', '.join(sorted(set(unknown))[:10])}")
    return resolved
