"""Staff pages of the inspection loop: sites, checklists, rounds, the inspector's mobile
checklist, findings and re-inspection, scores. Thin: parse, call one service/selector, render."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import DomainError, InvalidInput, NotFound
from wenming.core.scope import has_role, scope_filter
from wenming.org.models import Region, Unit

from . import selectors, services
from .access import (
    INSPECT_ROLES,
    MANAGE_ROLES,
    VIEW_ROLES,
    assignment_for_inspector,
    findings_in_scope,
    require_role,
    rounds_in_scope,
    sites_in_scope,
)
from .forms import AssignForm, RecheckForm, RoundForm, UploadForm, answers_from_post, float_or_none
from .imports import SiteImportError, format_for, sites_import
from .models import Checklist, ItemResult, PointSite, SiteInspection, SiteType

PAGE_SIZE = 30


def paged(request: HttpRequest, rows: QuerySet | list, size: int = PAGE_SIZE) -> Page:  # type: ignore[type-arg]
    return Paginator(rows, size).get_page(request.GET.get("page"))


def sorted_by(
    request: HttpRequest,
    rows: QuerySet,
    allowed: dict[str, str],
    default: str,  # type: ignore[type-arg]
) -> tuple[QuerySet, str]:  # type: ignore[type-arg]
    """Order rows by the `sort` parameter when it is one of `allowed` (name → field)."""
    key = request.GET.get("sort", default)
    if key.lstrip("-") not in allowed:
        key = default
    field = allowed[key.lstrip("-")]
    return rows.order_by(f"-{field}" if key.startswith("-") else field, "pk"), key


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# ---------------------------------------------------------------- sites


def _site_rows(request: HttpRequest) -> tuple[QuerySet[PointSite], dict[str, Any]]:
    rows = sites_in_scope(request.user).select_related("site_type", "region", "unit", "liaison")
    filters = {
        "q": request.GET.get("q", "").strip(),
        "type": request.GET.get("type", ""),
        "unit": _int(request.GET.get("unit")),
        "region": request.GET.get("region", ""),
    }
    if filters["q"]:
        rows = rows.filter(
            Q(name__contains=filters["q"])
            | Q(code__icontains=filters["q"])
            | Q(address__contains=filters["q"])
        )
    if filters["type"]:
        rows = rows.filter(site_type__code=filters["type"])
    if filters["unit"]:
        rows = rows.filter(unit_id=filters["unit"])
    if filters["region"]:
        rows = rows.filter(region__path__contains=f"/{filters['region']}/")
    return rows, filters


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    """点位: list or map, filtered by text, type, unit and street."""
    require_role(request.user, *VIEW_ROLES)
    rows, filters = _site_rows(request)
    rows, sort = sorted_by(
        request,
        rows,
        {"code": "code", "name": "name", "type": "site_type__order", "unit": "unit__code"},
        "code",
    )
    view = "map" if request.GET.get("view") == "map" else "list"
    context = {
        "filters": filters,
        "sort": sort,
        "view": view,
        "types": SiteType.objects.filter(is_active=True),
        "units": Unit.objects.filter(point_sites__isnull=False).distinct().order_by("code"),
        "streets": Region.objects.filter(
            level="street", path__startswith="/150000000000/150200000000/"
        ).order_by("code"),
        "can_manage": _can_manage(request),
    }
    if view == "map":
        shown = list(rows[:2000])
        context["features"], context["site_count"] = _site_features(shown), len(shown)
    else:
        context["page"] = paged(request, rows)
    return render(request, "inspections/site_list.html", context)


def _can_manage(request: HttpRequest) -> bool:
    return has_role(request.user, *MANAGE_ROLES)


def _street_outlines(sites: list[PointSite]) -> list[dict[str, object]]:
    """The streets the sites lie in, drawn under them (the map has no tiles offline)."""
    codes = {s.region.path.strip("/").split("/")[3] for s in sites if s.region.path.count("/") > 4}
    streets = Region.objects.filter(code__in=codes, boundary__isnull=False).order_by("code")
    return [
        {"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name}} for r in streets
    ]


def _site_features(sites: list[PointSite]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": _street_outlines(sites)
        + [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {
                    "name": f"{s.name} · {s.site_type.name}",
                    "url": reverse("inspections:site_detail", args=[s.pk]),
                },
            }
            for s in sites
        ],
    }


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *VIEW_ROLES)
    site = (
        sites_in_scope(request.user)
        .select_related("site_type", "region", "unit", "liaison")
        .filter(pk=pk)
        .first()
    )
    if site is None:
        raise NotFound()
    inspections = site.inspections.select_related("round", "inspector").annotate(
        findings=Count("results", filter=Q(results__outcome="fail"))
    )[:50]
    findings = (
        selectors.findings_for(request.user)
        .filter(inspection__site=site)
        .order_by("-inspection__inspected_at")[:50]
    )
    return render(
        request,
        "inspections/site_detail.html",
        {
            "site": site,
            "inspections": inspections,
            "findings": findings,
            "features": _site_features([site]),
        },
    )


@login_required
def site_import(request: HttpRequest) -> HttpResponse:
    """Import point sites from CSV or Excel: all or nothing, problems listed by row and field."""
    require_role(request.user, *MANAGE_ROLES)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = sites_import(data=upload.read(), format=format_for(upload.name))
        except SiteImportError as exc:
            problems = [str(p) for p in exc.problems]
        except InvalidInput as exc:
            problems = [str(exc.message)]
        else:
            messages.success(request, _("Imported %(n)s point sites.") % {"n": count})
            return redirect("inspections:site_list")
    return render(request, "inspections/site_import.html", {"form": form, "problems": problems})


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    """检查标准: each site type's active checklist with its items and deductions."""
    require_role(request.user, *VIEW_ROLES)
    checklists = (
        Checklist.objects.filter(is_active=True)
        .select_related("site_type")
        .prefetch_related("items__category", "items__indicator")
        .annotate(sites=Count("site_type__sites", distinct=True))
    )
    return render(
        request,
        "inspections/checklist_list.html",
        {"checklists": checklists, "can_manage": _can_manage(request)},
    )


# ---------------------------------------------------------------- rounds (management)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGE_ROLES)
    rows = selectors.rounds_with_progress(rounds_in_scope(request.user))
    status = request.GET.get("status", "")
    if status in ("open", "closed"):
        rows = rows.filter(status=status)
    rows, sort = sorted_by(
        request,
        rows,
        {"starts_on": "starts_on", "name": "name", "ends_on": "ends_on"},
        "-starts_on",
    )
    return render(
        request,
        "inspections/round_list.html",
        {"page": paged(request, rows), "sort": sort, "status": status},
    )


def _site_ids(codes: str) -> list[int]:
    wanted = [c for c in re.split(r"[\s,，、;；]+", codes) if c]
    found = dict(PointSite.objects.filter(code__in=wanted).values_list("code", "pk"))
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(_("Unknown site codes: %(codes)s") % {"codes": ", ".join(missing)})
    return [found[c] for c in wanted]


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    """A new round: sites sampled by type (N per type, with a seed) or picked by code."""
    require_role(request.user, *MANAGE_ROLES)
    form = RoundForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.round_create(
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                region=data["region"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                types=list(data["types"]),
                per_type=data["per_type"] or None,
                seed=data["seed"],
                site_ids=_site_ids(data["site_codes"]),
                inspector=data["inspector"],
                note=data["note"],
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Round created with %(n)s sites.") % {"n": created.assignments.count()}
            )
            return redirect("inspections:round_detail", pk=created.pk)
    return render(request, "inspections/round_form.html", {"form": form})


def _round(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    require_role(request.user, *MANAGE_ROLES)
    found = (
        rounds_in_scope(request.user).select_related("region", "created_by").filter(pk=pk).first()
    )
    if found is None:
        raise NotFound()
    return found


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round: progress per site and inspector, assignment, and the round's scores."""
    inspection_round = _round(request, pk)
    assignments = selectors.round_assignments(inspection_round=inspection_round)
    state = request.GET.get("state", "")
    if state == "todo":
        assignments = assignments.filter(result__isnull=True)
    elif state == "done":
        assignments = assignments.filter(result__isnull=False)
    progress = selectors.rounds_with_progress(rounds_in_scope(request.user).filter(pk=pk)).get()
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": inspection_round,
            "progress": progress,
            "page": paged(request, assignments, 50),
            "state": state,
            "assign_form": AssignForm(),
            "scores": selectors.round_scores(inspection_round=inspection_round),
            "findings_total": ItemResult.objects.filter(
                inspection__round=inspection_round, outcome="fail"
            ).count(),
        },
    )


@login_required
@require_POST
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    inspection_round = _round(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Choose an inspector."))
    site_ids = [int(v) for v in request.POST.getlist("site") if v.isdigit()]
    if not site_ids:
        raise InvalidInput(_("Tick the sites to assign."))
    count = services.round_assign(
        round_id=inspection_round.pk,
        actor=request.user,  # type: ignore[arg-type]
        site_ids=site_ids,
        inspector=form.cleaned_data["inspector"],
    )
    messages.success(request, _("%(n)s sites assigned.") % {"n": count})
    return redirect("inspections:round_detail", pk=pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    services.round_close(round_id=_round(request, pk).pk, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The round is closed."))
    return redirect("inspections:round_detail", pk=pk)


# ---------------------------------------------------------------- the inspector


@login_required
def my_rounds(request: HttpRequest) -> HttpResponse:
    """The inspector's open rounds with their sites to do."""
    require_role(request.user, *INSPECT_ROLES)
    rows = selectors.my_assignments(request.user)
    rounds: dict[int, dict[str, object]] = {}
    for a in rows:
        entry = rounds.setdefault(a.round_id, {"round": a.round, "todo": 0, "done": 0})
        entry["done" if hasattr(a, "result") else "todo"] += 1  # type: ignore[operator]
    rechecks = selectors.findings_to_recheck(request.user).count()
    return render(
        request,
        "inspections/my_rounds.html",
        {"rounds": list(rounds.values()), "rechecks": rechecks},
    )


@login_required
def my_round(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector's round page: their sites in this round, to do first."""
    require_role(request.user, *INSPECT_ROLES)
    rows = list(selectors.my_assignments(request.user).filter(round_id=pk))
    if not rows:
        raise NotFound()
    return render(
        request, "inspections/my_round.html", {"round": rows[0].round, "assignments": rows}
    )


def _inspect_context(request: HttpRequest, assignment) -> dict[str, object]:  # type: ignore[no-untyped-def]
    posted = request.POST
    done = SiteInspection.objects.filter(assignment=assignment).first()
    return {
        "assignment": assignment,
        "site": assignment.site,
        "rows": [
            (item, posted.get(f"item-{item.pk}", ""), posted.get(f"item-{item.pk}-note", ""))
            for item in services.checklist_items(assignment.site)
        ],
        "submission_id": posted.get("submission_id") or uuid.uuid4().hex,
        "done": done,
        "findings": done.results.filter(outcome="fail").select_related("item", "case")
        if done
        else [],
    }


@login_required
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector's mobile checklist. The page keeps its state in localStorage and posts
    when online (inspection_form.js); the POST is idempotent by its submission id, so a form
    sent twice (or again after a lost answer) files nothing new. JSON answers for the script."""
    assignment = assignment_for_inspector(request.user, pk)
    if request.method != "POST":
        return render(request, "inspections/inspect.html", _inspect_context(request, assignment))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    items = services.checklist_items(assignment.site)
    try:
        inspection = services.inspection_submit(
            assignment_id=assignment.pk,
            actor=request.user,  # type: ignore[arg-type]
            submission_id=request.POST.get("submission_id", ""),
            answers=answers_from_post(items, request.POST, request.FILES),
            lat=float_or_none(request.POST.get("lat")),
            lon=float_or_none(request.POST.get("lon")),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": str(exc.message)}, status=exc.status)
        messages.error(request, str(exc.message))
        return render(
            request,
            "inspections/inspect.html",
            _inspect_context(request, assignment),
            status=exc.status,
        )
    url = reverse("inspections:my_round", args=[assignment.round_id])
    text = _("Submitted: %(site)s scores %(score)s.") % {
        "site": assignment.site.name,
        "score": inspection.score,
    }
    messages.success(request, text)  # shown on the round page (the script opens it next)
    if wants_json:
        return JsonResponse(
            {"ok": True, "redirect": url, "message": text, "score": float(inspection.score)}
        )
    return redirect(url)


# ---------------------------------------------------------------- findings and re-inspection


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    """Findings (failed items) with their cases: filter by round, state and site type."""
    require_role(request.user, *VIEW_ROLES)
    rows = selectors.findings_for(request.user)
    state, round_id = request.GET.get("state", ""), _int(request.GET.get("round"))
    if state == "open":
        rows = rows.filter(selectors.open_findings_q())
    elif state == "recheck":
        rows = rows.filter(case__state="handled")
    elif state == "closed":
        rows = rows.filter(case__state="closed")
    if round_id:
        rows = rows.filter(inspection__round_id=round_id)
    if request.GET.get("type"):
        rows = rows.filter(inspection__site__site_type__code=request.GET["type"])
    rows, sort = sorted_by(
        request,
        rows,
        {
            "time": "inspection__inspected_at",
            "site": "inspection__site__code",
            "deduction": "deduction",
        },
        "-time",
    )
    return render(
        request,
        "inspections/finding_list.html",
        {
            "page": paged(request, rows),
            "sort": sort,
            "state": state,
            "round_id": round_id,
            "rounds": rounds_in_scope(request.user).order_by("-starts_on")[:50]
            if _can_manage(request)
            else [],
            "types": SiteType.objects.filter(is_active=True),
            "is_inspector": _is_inspector(request),
        },
    )


def _is_inspector(request: HttpRequest) -> bool:
    return has_role(request.user, *INSPECT_ROLES)


@login_required
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """复查 of one finding whose case the unit reported handled (mobile-friendly)."""
    require_role(request.user, *INSPECT_ROLES)
    finding = (
        findings_in_scope(request.user, roles=INSPECT_ROLES)
        .select_related("item", "case", "inspection__site")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if finding is None or finding.case is None:
        raise NotFound()
    form = RecheckForm(request.POST or None, initial={"submission_id": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.recheck_submit(
                result_id=finding.pk,
                actor=request.user,  # type: ignore[arg-type]
                submission_id=form.cleaned_data["submission_id"],
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Re-inspection recorded: rectified.")
                if done.passed
                else _("Re-inspection recorded: sent back for rework."),
            )
            return redirect(reverse("inspections:finding_list") + "?state=recheck")
    return render(request, "inspections/recheck.html", {"finding": finding, "form": form})


# ---------------------------------------------------------------- scores


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    default_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        start = (
            date.fromisoformat(request.GET.get("start", ""))
            if request.GET.get("start")
            else default_start
        )
        end = date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
    except ValueError as exc:
        raise InvalidInput(_("Dates are written YYYY-MM-DD.")) from exc
    return start, end


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    """Inspection scores per unit and per district/street over a period."""
    require_role(request.user, *VIEW_ROLES)
    start, end = _period(request)
    by_unit = selectors.inspection_scores(start=start, end=end, by="unit")
    by_region = selectors.inspection_scores(start=start, end=end, by="region")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=by_unit)}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=by_region)}
    visible = set(
        scope_filter(
            request.user, Region.objects.filter(pk__in=by_region), region_field=""
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "inspections/scores.html",
        {
            "start": start,
            "end": end,
            "can_manage": _can_manage(request),
            "units": sorted(((units[k], v) for k, v in by_unit.items()), key=lambda t: -t[1]),
            "regions": sorted(
                ((regions[k], v) for k, v in by_region.items() if k in visible),
                key=lambda t: (t[0].level != "district", -t[1]),
            ),
        },
    )
