"""Accountability pages: metrics, ranking, red/black lists, exposure desk, monthly report
(staff), and the published lists and exposures (public portal). Views parse, call one
selector or service, and render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenming.cases.selectors import case_get_for
from wenming.core.errors import InvalidInput, PermissionDenied
from wenming.core.scope import has_role
from wenming.org.models import Region

from . import exports, reports, selectors, services
from .forms import (
    CorrectionForm,
    ExposureEditForm,
    ExposureNewForm,
    ListDraftForm,
    MetricsFilterForm,
    ReasonForm,
)
from .metrics import METRICS, MetricRow
from .models import ListColor, ListStatus, PeriodKind
from .periods import Period, period_parse

PAGE_SIZE = 50
SORTABLE = {"code", "name", *[m.key for m in METRICS]}


@dataclass
class Filters:
    form: MetricsFilterForm
    period: Period
    region: Region | None
    by: str
    query: str
    sort: str


def _filters(request: HttpRequest) -> Filters:
    """The period, region (404 when out of scope), rows and sort the page asks for."""
    user = request.user
    selectors.require_metric_role(user)
    period = period_parse(request.GET.get("period"), request.GET.get("date"))
    code = request.GET.get("region", "")
    region = selectors.region_get(user, code) if code else None
    by = "region" if request.GET.get("by") == "region" else "unit"
    sort = request.GET.get("sort", "code")
    sort = sort if sort.lstrip("-") in SORTABLE else "code"
    query = request.GET.get("q", "").strip()
    # The form shows what was parsed (an unbound form: the period defaults to this month).
    initial = {"period": period.kind, "date": request.GET.get("date") or period.start}
    form = MetricsFilterForm(
        initial={**initial, "region": code, "by": by, "q": query},
        regions=selectors.regions_filter_choices(user),
    )
    return Filters(form, period, region, by, query, sort)


def _sorted(rows: list[MetricRow], sort: str) -> list[MetricRow]:
    key, reverse = sort.lstrip("-"), sort.startswith("-")
    present = [r for r in rows if getattr(r, key, None) is not None]
    missing = [r for r in rows if getattr(r, key, None) is None]
    return sorted(present, key=lambda r: getattr(r, key), reverse=reverse) + missing


def metric_rows(request: HttpRequest, f: Filters) -> list[MetricRow]:
    """The rows of the metrics table (page and export share them)."""
    if f.by == "region":
        rows = selectors.region_metrics(user=request.user, period=f.period, parent=f.region)
    else:
        rows = selectors.unit_metrics(user=request.user, period=f.period, region=f.region)
    if f.query:
        rows = [r for r in rows if f.query in r.name or f.query in r.code]
    return _sorted(rows, f.sort)


def _download(data: bytes, name: str, content_type: str = exports.XLSX) -> HttpResponse:
    return HttpResponse(
        data,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    rows = metric_rows(request, f)
    context = {
        "f": f,
        "form": f.form,
        "sort": f.sort,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "metrics": METRICS,
        "previous": f.period.previous(),
        "next": f.period.next(),
    }
    return render(request, "accountability/metrics.html", context)


@login_required
@require_GET
def metrics_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    data = exports.metrics_workbook(metric_rows(request, f), by=f.by, period=f.period)
    return _download(data, f"metrics-{f.by}-{f.period.label}.xlsx")


@login_required
@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    ranking = selectors.ranking_for(user=request.user, period=f.period, region=f.region)
    context = {
        "f": f,
        "form": f.form,
        "ranking": ranking,
        "metrics": METRICS,
        "draft_form": ListDraftForm(),
        "can_draft": has_role(request.user, *selectors.LIST_ROLES),
        "previous": f.period.previous(),
        "next": f.period.next(),
    }
    return render(request, "accountability/ranking.html", context)


@login_required
@require_GET
def ranking_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    ranking = selectors.ranking_for(user=request.user, period=f.period, region=f.region)
    return _download(exports.ranking_workbook(ranking), f"ranking-{f.period.label}.xlsx")


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The monthly report of the chosen city or district as a PDF."""
    f = _filters(request)
    region = f.region or selectors.region_get(request.user, None)
    period = period_parse(PeriodKind.MONTH, request.GET.get("date"))
    data = reports.monthly_report_pdf(user=request.user, region=region, period=period)
    return _download(data, f"report-{region.code}-{period.label}.pdf", "application/pdf")


# ---------------------------------------------------------------- red and black lists


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def _require_office(request: HttpRequest) -> None:
    if not has_role(request.user, *selectors.LIST_ROLES):
        raise PermissionDenied()


@login_required
@require_GET
def list_index(request: HttpRequest) -> HttpResponse:
    selectors.require_metric_role(request.user)
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    rows = selectors.lists_filter(
        selectors.lists_for_staff(request.user), status=status, query=query
    )
    sort = request.GET.get("sort", "-period")
    order = {
        "period": "period_start",
        "-period": "-period_start",
        "title": "title",
        "-title": "-title",
    }
    rows = rows.order_by(order.get(sort, "-period_start"), "-version", "-pk")
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": ListStatus.choices,
        "status": status,
        "q": query,
        "sort": sort,
    }
    return render(request, "accountability/list_index.html", context)


@login_required
@require_POST
def list_new(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    f = _filters(request)
    form = ListDraftForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Put 0 to 20 units on each list."))
    region = f.region or selectors.region_get(request.user, None)
    lst = services.list_draft(
        actor=_user(request), region=region, period=f.period, **form.cleaned_data
    )
    messages.success(request, _("Draft list created. Write the reasons, then approve it."))
    return redirect("accountability:list_detail", pk=lst.pk)


@login_required
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_metric_role(request.user)
    lst = selectors.list_get_for_staff(request.user, pk)
    entries = list(lst.entries.select_related("unit"))
    can_edit = has_role(request.user, *selectors.LIST_ROLES)
    context = {
        "lst": lst,
        "red": [e for e in entries if e.color == ListColor.RED],
        "black": [e for e in entries if e.color == ListColor.BLACK],
        "can_edit": can_edit,
        "editable": can_edit and lst.status == ListStatus.DRAFT,
        "correction_form": CorrectionForm(),
        "superseded_by": selectors.list_superseded_by(lst),
    }
    return render(request, "accountability/list_detail.html", context)


@login_required
@require_GET
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_metric_role(request.user)
    lst = selectors.list_get_for_staff(request.user, pk)
    return _download(exports.list_workbook(lst), f"list-{lst.pk}-v{lst.version}.xlsx")


@login_required
@require_POST
def list_entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    selectors.list_get_for_staff(request.user, pk)
    if request.POST.get("remove"):
        services.list_entry_remove(actor=_user(request), entry_id=entry_pk)
    else:
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.list_entry_update(actor=_user(request), entry_id=entry_pk, reason=reason)
    messages.success(request, _("Saved."))
    return redirect("accountability:list_detail", pk=pk)


LIST_MOVES = {
    "approve": (services.list_approve, _("The list is approved.")),
    "reopen": (services.list_reopen, _("The list is back in draft.")),
    "publish": (services.list_publish, _("The list is published on the portal.")),
}


@login_required
@require_POST
def list_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    selectors.list_get_for_staff(request.user, pk)
    if move == "correct":
        form = CorrectionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        new = services.list_correct(actor=_user(request), list_id=pk, note=note)
        messages.success(
            request, _("A correction draft (version %(v)s) was created.") % {"v": new.version}
        )
        return redirect("accountability:list_detail", pk=new.pk)
    if move not in LIST_MOVES:
        raise InvalidInput()
    service, message = LIST_MOVES[move]
    service(actor=_user(request), list_id=pk)
    messages.success(request, str(message))
    return redirect("accountability:list_detail", pk=pk)


# ---------------------------------------------------------------- exposure desk (staff)


@login_required
@require_GET
def exposure_index(request: HttpRequest) -> HttpResponse:
    selectors.require_metric_role(request.user)
    rows = selectors.exposures_for_staff(request.user)
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in ListStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(title__icontains=query)
    sort = request.GET.get("sort", "-reported")
    order = {
        "reported": "reported_at",
        "-reported": "-reported_at",
        "title": "title",
        "-title": "-title",
    }
    rows = rows.order_by(order.get(sort, "-reported_at"), "-pk")
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": [(s, label) for s, label in ListStatus.choices if s != ListStatus.APPROVED],
        "status": status,
        "q": query,
        "sort": sort,
        "new_form": ExposureNewForm(),
        "can_edit": has_role(request.user, *selectors.LIST_ROLES),
    }
    return render(request, "accountability/exposure_index.html", context)


@login_required
@require_POST
def exposure_new(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = ExposureNewForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Give the case code."))
    case = case_get_for(request.user, form.cleaned_data["code"].strip())
    exposure = services.exposure_draft(
        actor=_user(request), case=case, comment=form.cleaned_data["comment"]
    )
    messages.success(request, _("Draft exposure created. Check the text, then publish it."))
    return redirect("accountability:exposure_detail", pk=exposure.pk)


@login_required
def exposure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_metric_role(request.user)
    exposure = get_object_or_404(selectors.exposures_for_staff(request.user), pk=pk)
    initial = {"title": exposure.title, "summary": exposure.summary, "comment": exposure.comment}
    form = ExposureEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _require_office(request)
        if request.POST.get("publish"):
            services.exposure_publish(actor=_user(request), exposure_id=pk)
            messages.success(request, _("The exposure is published on the portal."))
            return redirect("accountability:exposure_detail", pk=pk)
        if form.is_valid():
            services.exposure_update(actor=_user(request), exposure_id=pk, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("accountability:exposure_detail", pk=pk)
    context = {
        "exposure": exposure,
        "form": form,
        "follow_up": selectors.exposure_follow_up(exposure),
        "can_edit": has_role(request.user, *selectors.LIST_ROLES),
    }
    return render(request, "accountability/exposure_detail.html", context)


# ---------------------------------------------------------------- public portal


@require_GET
def public_lists(request: HttpRequest) -> HttpResponse:
    """The published red and black lists, newest period first, filterable by year."""
    rows = selectors.lists_published().order_by("-period_start", "-version", "-pk")
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(period_start__year=int(year))
    page = Paginator(rows, 10).get_page(request.GET.get("page"))
    return render(request, "accountability/portal/lists.html", {"page": page, "year": year})


@require_GET
def public_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lst = get_object_or_404(selectors.lists_published(), pk=pk)
    entries = list(lst.entries.all())
    context = {
        "lst": lst,
        "red": [e for e in entries if e.color == ListColor.RED],
        "black": [e for e in entries if e.color == ListColor.BLACK],
        "superseded_by": selectors.list_superseded_by(lst),
    }
    return render(request, "accountability/portal/list_detail.html", context)


@require_GET
def public_exposures(request: HttpRequest) -> HttpResponse:
    rows = selectors.exposures_published()
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(title__icontains=query)
    page = Paginator(rows, 10).get_page(request.GET.get("page"))
    return render(request, "accountability/portal/exposures.html", {"page": page, "q": query})


@require_GET
def public_exposure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exposure = get_object_or_404(selectors.exposures_published(), pk=pk)
    context = {"exposure": exposure, "follow_up": selectors.exposure_follow_up(exposure)}
    return render(request, "accountability/portal/exposure_detail.html", context)
