"""Writes for the org app: region import (all or nothing)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput

from .geo import boundary_geometry, invalidate_region_index
from .models import LEVEL_ORDER, Region, RegionLevel


@dataclass
class ImportProblem:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, region %(code)s: %(message)s") % {
            "line": self.line,
            "code": self.code or "?",
            "message": self.message,
        }


class RegionImportError(InvalidInput):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str
    boundary: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)


def _feature_lines(text: str, codes: list[str]) -> list[int]:
    """Line of each feature, found by its code in file order (json gives no positions)."""
    lines, position = [], 0
    for code in codes:
        match = re.compile(r'"code"\s*:\s*"' + re.escape(code) + '"').search(text, position)
        if match is None:
            lines.append(0)
            continue
        lines.append(text.count("\n", 0, match.start()) + 1)
        position = match.end()
    return lines


def _parse(text: str) -> list[_Row]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegionImportError(
            [ImportProblem(exc.lineno, "", _("not valid JSON: %(e)s") % {"e": exc.msg})]
        ) from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise RegionImportError(
            [ImportProblem(1, "", _("the file is not a GeoJSON FeatureCollection"))]
        )
    props = [f.get("properties") or {} if isinstance(f, dict) else {} for f in features]
    lines = _feature_lines(text, [str(p.get("code", "")) for p in props])
    return [
        _Row(
            line=line,
            code=str(p.get("code", "")).strip(),
            name=str(p.get("name", "")).strip(),
            level=str(p.get("level", "")).strip(),
            parent_code=str(p.get("parent_code") or "").strip(),
            boundary=f.get("geometry") if isinstance(f, dict) else None,
        )
        for f, p, line in zip(features, props, lines, strict=True)
    ]


def _check(rows: list[_Row]) -> None:
    by_code: dict[str, _Row] = {}
    existing = dict(Region.objects.values_list("code", "level"))
    for row in rows:
        if not row.code or not row.name:
            row.problems.append(_("code and name are required"))
        if row.code in by_code:
            row.problems.append(
                _("duplicate code (also on line %(l)s)") % {"l": by_code[row.code].line}
            )
        by_code.setdefault(row.code, row)
        if row.level not in RegionLevel.values:
            row.problems.append(_("unknown level “%(level)s”") % {"level": row.level})
        if row.boundary is not None:
            try:
                boundary_geometry(row.boundary)
            except InvalidInput as exc:
                row.problems.append(str(exc.message))
    for row in rows:
        if not row.parent_code:
            continue
        parent_level = (
            by_code[row.parent_code].level
            if row.parent_code in by_code
            else existing.get(row.parent_code)
        )
        if parent_level is None:
            row.problems.append(_("unknown parent code %(p)s") % {"p": row.parent_code})
        elif (
            row.level in LEVEL_ORDER and LEVEL_ORDER.get(parent_level, 99) >= LEVEL_ORDER[row.level]
        ):
            row.problems.append(
                _("a %(level)s cannot be inside a %(parent)s")
                % {"level": row.level, "parent": parent_level}
            )
    problems = [ImportProblem(r.line, r.code, m) for r in rows for m in r.problems]
    if problems:
        raise RegionImportError(problems)


def _in_parent_order(rows: list[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda r: LEVEL_ORDER[r.level])


@transaction.atomic
def regions_import(*, text: str) -> int:
    """Create or update regions from GeoJSON text; every feature is checked before any write.

    Each feature needs properties `code`, `name`, `level` and (except the root) `parent_code`;
    the geometry may be null. Returns the number of regions written. Raises RegionImportError
    naming each bad feature by its code and line, and then writes nothing.
    """
    rows = _parse(text)
    _check(rows)
    written: dict[str, Region] = {}
    for row in _in_parent_order(rows):
        parent = written.get(row.parent_code) or (
            Region.objects.get(code=row.parent_code) if row.parent_code else None
        )
        region, _created = Region.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "level": row.level,
                "parent": parent,
                "boundary": row.boundary,
            },
        )
        region_set_centroid(region=region)
        written[row.code] = region
    transaction.on_commit(invalidate_region_index)
    return len(written)


def regions_import_file(*, path: Path) -> int:
    return regions_import(text=path.read_text(encoding="utf-8"))


def region_set_centroid(*, region: Region) -> None:
    """Keep the centroid in step with the boundary (used for map labels and distances)."""
    if region.boundary is None:
        return
    point = boundary_geometry(region.boundary).representative_point()
    Region.objects.filter(pk=region.pk).update(centroid_lat=point.y, centroid_lon=point.x)
    region.centroid_lat, region.centroid_lon = point.y, point.x
