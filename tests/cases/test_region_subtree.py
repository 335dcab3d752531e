"""org.selectors.in_region_subtree: the rows of a region subtree without joining the region
table, the same rows in each of its forms."""

from __future__ import annotations

import pytest

from wenming.cases.access import cases_visible
from wenming.cases.models import Case
from wenming.org import selectors
from wenming.org.models import Region, RegionLevel
from wenming.org.selectors import in_region_subtree

CITY, STREET = "150200000000", "150204001000"


def joined(path: str) -> set[int]:
    return set(Case.objects.filter(region__path__startswith=path).values_list("pk", flat=True))


def matched(path: str) -> set[int]:
    return set(Case.objects.filter(in_region_subtree(path)).values_list("pk", flat=True))


@pytest.fixture
def spread(city, submit):  # type: ignore[no-untyped-def]
    """A case in each street, district and the city itself, and one without a region."""
    for region in Region.objects.exclude(level=RegionLevel.PROVINCE):
        case = submit()
        Case.objects.filter(pk=case.pk).update(region=region)
    Case.objects.filter(pk=submit().pk).update(region=None)


@pytest.mark.parametrize("code", [CITY, STREET, "150204000000"])
@pytest.mark.parametrize("most_ids", [5_000, 1])
def test_each_form_matches_the_join(spread, monkeypatch, code, most_ids):
    """A street: its ids; the city: every region but the province (the shorter list);
    with at most one id allowed, the join itself."""
    monkeypatch.setattr(selectors, "SUBTREE_IDS_MAX", most_ids)
    path = Region.objects.get(code=code).path
    assert matched(path) == joined(path) != set()


def test_the_forms_are_the_ones_described(city):
    street, city_path = (Region.objects.get(code=c).path for c in (STREET, CITY))
    assert "region_id__in" in str(in_region_subtree(street))
    assert "region_id__isnull" in str(in_region_subtree(city_path))  # all but the province
    assert "region__path__startswith" not in str(in_region_subtree(city_path))


def test_a_region_added_under_a_street_is_in_its_scope_at_once(cast, submit):
    street = Region.objects.get(code=STREET)
    in_scope = [m for m in cast.handler.memberships.all() if m.region_scope_id == street.pk]
    assert in_scope, "the demo handler works in 青山路街道"
    before = set(cases_visible(cast.handler).values_list("pk", flat=True))
    grid = Region.objects.create(
        code="150204001999", name="新网格", level=RegionLevel.GRID, parent=street
    )
    case = submit()
    Case.objects.filter(pk=case.pk).update(region=grid, unit=in_scope[0].unit)
    assert set(cases_visible(cast.handler).values_list("pk", flat=True)) == before | {case.pk}
