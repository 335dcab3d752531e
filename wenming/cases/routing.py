"""Which unit a case goes to, and how long each stage may take: reads of the rule tables.

Routing precedence (`unit_for`), most specific first:
1. the deepest region: a rule for the case's street beats one for its district, which beats
   one for the whole city (a rule's region must be the case's region or one of its ancestors);
2. within one region, the category: a rule for the case's minor class beats a rule for its
   major class, which beats a rule for any category.
Region comes first on purpose: local responsibility (属地管理) is how a city hands a street's
problems to its street office, while city departments cover the rest through city-wide rules.
Inactive rules and rules pointing at inactive units are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.memo import Memo, kept_copy
from wenming.org.models import Region, Unit

from .models import Category, RoutingRule, TimeLimit, TimeUnit, Urgency

DEFAULT_LIMITS = {
    "sign_amount": 2,
    "sign_unit": TimeUnit.HOURS,
    "handle_amount": 3,
    "handle_unit": TimeUnit.DAYS,
    "verify_amount": 1,
    "verify_unit": TimeUnit.DAYS,
}


def _ancestor_paths(region: Region) -> list[str]:
    codes = region.path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


@dataclass(frozen=True)
class _Rule:
    region_path: str
    category_id: int | None
    unit: Unit


def _active_rules() -> dict[str, list[_Rule]]:
    rules = RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related(
        "unit", "region"
    )
    by_path: dict[str, list[_Rule]] = {}
    for rule in rules:
        by_path.setdefault(rule.region.path, []).append(
            _Rule(rule.region.path, rule.category_id, rule.unit)
        )
    return by_path


# The active rules by region path, in memory: intake routes without a query.
_rules: Memo[dict[str, list[_Rule]]] = Memo(_active_rules, models=(RoutingRule, Unit, Region))


def _category_rank(rule: _Rule, category: Category | None) -> int:
    if rule.category_id is None:
        return 0
    if category is not None and rule.category_id == category.pk:
        return 2
    return 1  # the case category's major class


def unit_for(*, category: Category | None, region: Region | None) -> Unit | None:
    """The unit the most specific active routing rule names, or None (the dispatcher chooses).

    See the module docstring for the order: deepest region first, then minor class > major
    class > any category. No query: the rules are kept in memory (wenming.core.memo).
    """
    if region is None:
        return None
    wanted = {None} if category is None else {None, category.pk, category.parent_id}
    by_path = _rules.get()
    rules = [
        rule
        for path in _ancestor_paths(region)
        for rule in by_path.get(path, ())
        if rule.category_id in wanted
    ]
    best = max(
        rules,
        key=lambda rule: (len(rule.region_path), _category_rank(rule, category)),
        default=None,
    )
    return kept_copy(best.unit) if best else None


def time_limit_for(*, category: Category | None, urgency: str) -> TimeLimit:
    """The time limits for a case of `category` at `urgency`.

    The category's own TimeLimit row for that urgency, else its major class's, else the
    built-in default: sign within 2 working hours, handle within 3 working days, verify within
    1 working day. The default is an unsaved TimeLimit; never save it. One query.
    """
    if urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency “%(u)s”.") % {"u": urgency})
    if category is not None:
        order = [i for i in (category.pk, category.parent_id) if i]
        found = {
            limit.category_id: limit
            for limit in TimeLimit.objects.filter(category_id__in=order, urgency=urgency)
        }
        for category_id in order:
            if category_id in found:
                return found[category_id]
    return TimeLimit(category=category, urgency=urgency, **DEFAULT_LIMITS)
