"""随手拍: the citizen's report page, its nearby-duplicates helper and the done page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenming.cases.models import Case
from wenming.core.coords import to_wgs84
from wenming.core.errors import InvalidInput
from wenming.core.images import MAX_BYTES, photo_gps
from wenming.org.selectors import region_at

from .. import access, selectors, services
from ..forms import NearbyForm, ReportForm, new_token


def _location(form: ReportForm, photos: list[Any]) -> tuple[float | None, float | None]:
    """The WGS-84 point of the report: the pin (converted from the client's system) or, if the
    user agreed and gave no pin, the GPS position stored in the first photo that has one."""
    data = form.cleaned_data
    if data.get("lat") is not None and data.get("lon") is not None:
        return to_wgs84(data["lat"], data["lon"], data["coord_system"])
    if data.get("use_photo_location"):
        for photo in photos:
            point = photo_gps(photo)
            if point:
                return point
    return None, None


def _checked_location(form: ReportForm, photos: list[Any]) -> tuple[float | None, float | None]:
    lat, lon = _location(form, photos)
    if lat is not None and lon is not None and region_at(lat=lat, lon=lon) is None:
        raise InvalidInput(_("The location is outside the city's area. Place the pin again."))
    return lat, lon


def _submit(request: HttpRequest, form: ReportForm) -> HttpResponse | None:
    data = form.cleaned_data
    photos = data.get("photos") or []
    try:
        lat, lon = _checked_location(form, photos)
    except InvalidInput as error:
        form.add_error("address", str(error.message))
        return None
    try:
        case, _created = services.snapshot_submit(
            token=data["token"],
            category=data["category"],
            description=data["description"],
            lat=lat,
            lon=lon,
            address=data.get("address", ""),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            is_anonymous=data.get("is_anonymous", False),
            photos=photos,
        )
    except InvalidInput as error:  # text and location are checked: what is left is a photo
        form.add_error("photos" if photos else None, str(error.message))
        return None
    access.remember(request, "cases", case.code)
    return redirect("portal:report_done", code=case.code)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form. A failed submission re-renders with every text field kept (photos must
    be chosen again: browsers never refill a file input) and the same form token."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _submit(request, form)
        if response is not None:
            return response
    if request.method == "GET":
        form = ReportForm(initial={"token": new_token(), "coord_system": "wgs84"})
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "groups": selectors.public_categories(),
            "boundaries": selectors.city_boundaries(),
            "max_photo_mb": MAX_BYTES // (1024 * 1024),
        },
    )


@require_GET
def report_nearby(request: HttpRequest) -> HttpResponse:
    """htmx: open public cases of the chosen category near the chosen point."""
    form = NearbyForm(request.GET)
    nearby: list[selectors.Nearby] = []
    if form.is_valid():
        category = selectors.public_category(form.cleaned_data["category"])
        try:
            lat, lon = to_wgs84(
                form.cleaned_data["lat"],
                form.cleaned_data["lon"],
                form.cleaned_data["coord_system"],
            )
        except InvalidInput:
            category = None
        if category:
            nearby = selectors.nearby_open_cases(category=category, lat=lat, lon=lon)
    rows = [(n, selectors.public_case_row(n.case)) for n in nearby]
    return render(request, "portal/_nearby.html", {"rows": rows, "asked": form.is_valid()})


@require_POST
def report_photo_location(request: HttpRequest) -> JsonResponse:
    """The GPS position in a photo the user just chose, so the page can OFFER it as the
    location; nothing is stored, and it is used only if the user taps "use it"."""
    photo = request.FILES.get("photo")
    point = photo_gps(photo) if photo and (photo.size or 0) <= MAX_BYTES else None
    return JsonResponse({"lat": point[0], "lon": point[1]} if point else {})


def report_done(request: HttpRequest, code: str) -> HttpResponse:
    """After submitting: the case code and the tracking link."""
    case = get_object_or_404(Case, code=code)
    if not access.is_proven(request, "cases", case.code):
        return redirect("portal:track_case", code=case.code)
    return render(request, "portal/report_done.html", {"case": case})
