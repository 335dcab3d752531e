"""Following a case (进度查询) by its code, rating it, and the public list and map of cases."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wenming.cases.models import Case, CaseRating, Category
from wenming.cases.selectors import timeline
from wenming.cases.services import case_rate
from wenming.cases.states import State
from wenming.core.errors import DomainError

from .. import access, selectors
from ..forms import RatingForm, TrackForm

KIND = "cases"


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Find a case by code; the phone's last four digits unlock the reporter's own view."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code, digits = form.cleaned_data["code"], form.cleaned_data["digits"]
        case = selectors.case_for_tracking(code)
        if case is None:
            form.add_error("code", _("No case has this code. Check it and try again."))
        elif digits and access.is_locked(KIND, case.code):
            form.add_error("digits", _("Too many wrong tries. Try again in 15 minutes."))
        elif digits and not selectors.phone_digits_match(case.reporter_phone_tail, digits):
            access.record_failure(KIND, case.code)
            form.add_error("digits", _("These digits do not match the phone of this case."))
        else:
            if digits:
                access.remember(request, KIND, case.code)
            return redirect("portal:track_case", code=case.code)
    return render(request, "portal/track.html", {"form": form})


def _case_or_404(code: str) -> Case:
    case = selectors.case_for_tracking(code)
    if case is None:
        raise Http404
    return case


def _citizen_rating(case: Case) -> CaseRating | None:
    return case.ratings.filter(via_callback=False).first()


def track_case(request: HttpRequest, code: str) -> HttpResponse:
    """The case's public face: state, public timeline, before/after photos; with the proof of
    the phone digits also the reporter's details and, once closed, the rating form."""
    case = _case_or_404(code)
    proven = access.is_proven(request, KIND, case.code)
    shows_text = case.is_public or proven
    rating = _citizen_rating(case) if proven else None
    context = {
        "case": case,
        "proven": proven,
        "shows_text": shows_text,
        "row": selectors.public_case_row(case),
        "events": timeline(case, audience="public"),
        "photos": selectors.case_photos(case) if shows_text else {},
        "reporter": {
            "name": "" if case.is_anonymous else case.reporter_name,
            "phone": case.reporter_phone_masked,
        }
        if proven
        else None,
        "rating": rating,
        "rating_form": RatingForm()
        if proven and case.state == State.CLOSED and not rating
        else None,
        "track_form": TrackForm(initial={"code": case.code}) if not proven else None,
    }
    return render(request, "portal/track_case.html", context)


@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    """评价: only the proven reporter of a closed case, once (the service refuses a second)."""
    case = _case_or_404(code)
    if not access.is_proven(request, KIND, case.code):
        messages.error(request, _("Enter the last four digits of your phone first."))
        return redirect("portal:track_case", code=case.code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied you are and whether it was solved."))
        return redirect("portal:track_case", code=case.code)
    try:
        case_rate(case_id=case.pk, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("portal:track_case", code=case.code)


PAGE_SIZE = 20


def case_list(request: HttpRequest) -> HttpResponse:
    """Recent public cases, paged, filterable by class and open/closed, on a list and a map.
    No personal data: descriptions are redacted, points rounded to about 100 m."""
    major = request.GET.get("category", "")
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "new")
    cases = selectors.public_cases(
        category=int(major) if major.isdigit() else None,
        closed={"open": False, "closed": True}.get(status),
        sort=sort,
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.public_case_row(c) for c in page]
    return render(
        request,
        "portal/case_list.html",
        {
            "page": page,
            "rows": rows,
            "majors": Category.objects.filter(parent__isnull=True, is_active=True),
            "category": major,
            "status": status,
            "sort": sort,
            "points": _points(rows),
            "boundaries": selectors.city_boundaries(),
        },
    )


def _points(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": {
                    "name": f"{r['code']} {r['category']}",
                    "url": reverse("portal:track_case", args=[r["code"]]),
                },
            }
            for r in rows
            if r["lat"] is not None
        ],
    }
