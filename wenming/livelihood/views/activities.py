"""Back-office pages of campaign activities: the list with statistics over any period,
recording one, Excel import and export."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.scope import scope_filter
from wenming.org.models import Region, RegionLevel

from .. import activities as reads
from .. import exports, services
from ..forms import ActivityForm, UploadForm
from ..imports import ImportProblems, activities_import
from ..models import ActivityKind
from .common import xlsx_response


def _period(request: HttpRequest) -> tuple[date, date]:
    """?start=&end= (dates, both included); this month so far by default."""
    today = timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") or today.replace(day=1)
    end = parse_date(request.GET.get("end", "") or "") or today
    return (start, end) if start <= end else (end, start)


def _region(request: HttpRequest) -> Region | None:
    """The region to break the statistics down by (the user's broadest by default)."""
    regions = scope_filter(
        request.user,
        Region.objects.exclude(level__in=[RegionLevel.PROVINCE, RegionLevel.GRID]),
        region_field="",
        roles=reads.READ_ROLES,
    ).order_by("path")
    code = request.GET.get("region")
    return (regions.filter(code=code) if code else regions).first()


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rows = reads.in_period(reads.activities_for_staff(request.user), start, end)
    kind = request.GET.get("kind", "")
    if kind in ActivityKind.values:
        rows = rows.filter(kind=kind)
    region = _region(request)
    context = {
        "start": start,
        "end": end,
        "kind": kind,
        "kinds": ActivityKind.choices,
        "region": region,
        "totals": reads.totals(rows),
        "by_kind": reads.by_kind(rows),
        "by_region": reads.by_region(rows, region) if region else [],
        "by_center": reads.by_center(rows)[:15],
        "page": Paginator(rows.order_by("-held_on", "-pk"), 30).get_page(request.GET.get("page")),
        "may_record": reads.may_record(request.user),
    }
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.activities_workbook(rows), f"activities-{start}-{end}.xlsx")
    return render(request, "livelihood/staff/activity_list.html", context)


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    if not reads.may_record(request.user):
        raise Http404
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("livelihood:activity_list")
    elif request.method == "GET":
        form.initial["held_on"] = timezone.localdate()
    return render(request, "livelihood/staff/activity_form.html", {"form": form})


@login_required
def activity_import(request: HttpRequest) -> HttpResponse:
    """Import activities from Excel (office only): all or nothing, problems by row."""
    from ..selectors import is_office

    if not is_office(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = activities_import(data=form.cleaned_data["file"].read(), actor=request.user)
        except ImportProblems as exc:
            problems = [str(p) for p in exc.problems]
        else:
            messages.success(request, _("Imported %(n)s activities.") % {"n": count})
            return redirect("livelihood:activity_list")
    context = {"form": form, "problems": problems, "kind": "activities"}
    return render(request, "livelihood/staff/import.html", context)
