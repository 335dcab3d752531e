"""Kept reference data (core.memo): each caller gets a copy of its own."""

from __future__ import annotations

from wenming.core.memo import kept_copy
from wenming.org.models import Region, Unit
from wenming.org.selectors import region_at


def test_a_kept_copy_has_the_values_and_nothing_shared(city):
    unit = Unit.objects.select_related("region").filter(region__isnull=False).first()
    copied = kept_copy(unit)
    assert type(copied) is Unit and copied == unit
    assert copied.name == unit.name and copied._state.db == unit._state.db
    assert copied.region is unit.region  # the related object cached when it was kept
    copied.name = "改过的名字"
    copied.region = Region.objects.exclude(pk=unit.region_id).first()
    copied._state.adding = True
    assert unit.name != "改过的名字"
    assert unit.region.pk == unit.region_id and unit._state.adding is False


def test_a_region_changed_by_one_request_is_not_seen_by_the_next(city):
    grid = Region.objects.get(code="15020400100105")
    first = region_at(lat=grid.centroid_lat, lon=grid.centroid_lon)
    first.name = "被改动的网格"
    again = region_at(lat=grid.centroid_lat, lon=grid.centroid_lon)
    assert again is not first and again.name == grid.name
