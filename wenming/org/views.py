from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wenming.core.scope import get_in_scope_or_404, scope_filter

from .models import Region, RegionLevel
from .selectors import region_ancestors


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    """Regions in the user's scope, filterable by level and name/code, paged."""
    regions = scope_filter(request.user, Region.objects.all(), region_field="")
    level = request.GET.get("level", "")
    query = request.GET.get("q", "").strip()
    if level in RegionLevel.values:
        regions = regions.filter(level=level)
    if query:
        regions = regions.filter(Q(name__icontains=query) | Q(code__startswith=query))
    regions = (
        regions.select_related("parent").annotate(n_children=Count("children")).order_by("path")
    )
    page = Paginator(regions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/region_list.html",
        {"page": page, "levels": RegionLevel.choices, "level": level, "q": query},
    )


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_in_scope_or_404(request.user, Region.objects.all(), region_field="", code=code)
    children = region.children.order_by("code")
    units = region.units.order_by("code")
    return render(
        request,
        "org/region_detail.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region)[:-1],
            "children": children,
            "units": units,
            "map_features": _features([region, *children]),
        },
    )


def _features(regions: list[Region]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.boundary,
                "properties": {"name": r.name, "code": r.code, "main": i == 0},
            }
            for i, r in enumerate(regions)
            if r.boundary
        ],
    }
