"""Helpers the livelihood pages share: the map's GeoJSON and Excel downloads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.urls import reverse

from wenming.org.models import Region, RegionLevel

from ..exports import XLSX
from ..models import LivelihoodProject


def _areas(region: Region | None) -> list[dict[str, Any]]:
    """Outlines of the region's child areas: the map's base layer when there are no tiles."""
    if region is None:
        return []
    children = Region.objects.filter(parent=region).exclude(level=RegionLevel.GRID)
    return [
        {"type": "Feature", "geometry": a.boundary, "properties": {"name": a.name}}
        for a in (children if children.exists() else [region])
        if a.boundary
    ]


def sites_geojson(
    projects: Iterable[LivelihoodProject], *, public: bool = False, region: Region | None = None
) -> dict[str, Any]:
    """The projects' sites as points, each linking to its project's page, over the outlines
    of `region`'s areas."""
    name = "livelihood_portal:detail" if public else "livelihood:project_detail"
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
            "properties": {"name": f"{p.title} · {site.name}", "url": reverse(name, args=[p.pk])},
        }
        for p in projects
        for site in p.sites.all()
    ]
    return {"type": "FeatureCollection", "features": [*_areas(region), *features]}


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
