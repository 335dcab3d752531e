"""Demo seed for the cases app: the category catalogue and the demo city's routing rules.

The catalogue comes from data/categories.yaml. Its `units` hints (not part of the catalogue
format) become routing rules:
- `city: <unit code>` on a major class: a city-wide rule for the major class;
  on a minor class: a city-wide rule for that minor class (it overrides its major's);
- `streets: true` (the minor's own hint, or its major's when it has none): one rule per street
  of 青山区 sending that minor class to the street's office (属地管理). Street rules are made
  for minor classes only, so a minor class that names its own department is never captured
  by a street rule of its major class (deeper regions win; see wenming.cases.routing).
Running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from wenming.core.yamlload import safe_load
from wenming.org.demo_city import CITY, DETAILED_DISTRICT
from wenming.org.models import Region, RegionLevel, Unit

from .catalogue import categories_import
from .models import Category, RoutingRule

CATALOGUE = Path(__file__).parent / "data" / "categories.yaml"


def _rules(hints: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(kind, category code, region code or "streets", unit code) for every hinted rule."""
    rules = []
    for major in hints:
        kind, major_units = major["kind"], major.get("units") or {}
        if major_units.get("city"):
            rules.append((kind, major["code"], CITY[0], major_units["city"]))
        for minor in major.get("children") or []:
            units = minor.get("units")
            if units and units.get("city"):
                rules.append((kind, minor["code"], CITY[0], units["city"]))
            if (units or major_units).get("streets"):
                rules.append((kind, minor["code"], "streets", ""))
    return rules


def _street_offices() -> list[tuple[Region, Unit]]:
    streets = Region.objects.filter(parent__code=DETAILED_DISTRICT, level=RegionLevel.STREET)
    offices = {u.code: u for u in Unit.objects.filter(code__in=[f"BT-{s.code}" for s in streets])}
    return [(s, offices[f"BT-{s.code}"]) for s in streets]


def _seed_rules(rules: list[tuple[str, str, str, str]]) -> None:
    categories = {(c.kind, c.code): c for c in Category.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    city = Region.objects.get(code=CITY[0])
    offices = _street_offices()
    for kind, code, region_code, unit_code in rules:
        category = categories[(kind, code)]
        targets = offices if region_code == "streets" else [(city, units[unit_code])]
        for region, unit in targets:
            RoutingRule.objects.update_or_create(
                category=category, region=region, defaults={"unit": unit, "is_active": True}
            )


@transaction.atomic
def seed_demo() -> None:
    """Load the catalogue and the demo city's routing rules (idempotent)."""
    data = CATALOGUE.read_bytes()
    categories_import(data=data, format="yaml")
    _seed_rules(_rules(safe_load(data)["categories"]))
