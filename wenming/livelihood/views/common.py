"""Helpers the livelihood pages share: the map's GeoJSON and Excel downloads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.urls import reverse

from ..exports import XLSX
from ..models import LivelihoodProject


def sites_geojson(projects: Iterable[LivelihoodProject], *, public: bool = False) -> dict[str, Any]:
    """The projects' sites as points; each links to its project's page."""
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
    return {"type": "FeatureCollection", "features": features}


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
