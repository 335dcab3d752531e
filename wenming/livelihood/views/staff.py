"""Back-office pages of livelihood projects: the year's list, a project, the unit's monthly
report, the office's review queue, comment moderation, Excel import and export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import InvalidInput
from wenming.core.scope import has_role, scope_filter
from wenming.portal.models import MessageStatus
from wenming.portal.services import MODERATOR_ROLES

from .. import exports, selectors, services
from ..forms import ReportForm, ReviewForm, UploadForm
from ..imports import ImportProblems, projects_import
from ..models import LivelihoodProject, ProjectComment, ReportStatus
from .common import sites_geojson, xlsx_response

FILTERS = {"lagging", "overdue", "finished"}


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else timezone.localdate().year


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """The year's projects with progress, lag and overdue reports (filterable)."""
    year, show = _year(request), request.GET.get("show", "")
    rows = selectors.project_rows(selectors.projects_for_staff(request.user).filter(year=year))
    if show == "lagging":
        rows = [r for r in rows if r.standing.lagging]
    elif show == "overdue":
        rows = [r for r in rows if r.overdue]
    elif show == "finished":
        rows = [r for r in rows if r.standing.finished]
    context = {
        "rows": rows,
        "year": year,
        "show": show if show in FILTERS else "",
        "is_office": selectors.is_office(request.user),
        "waiting": selectors.reports_for_review(request.user)
        .filter(status=ReportStatus.SUBMITTED)
        .count()
        if selectors.is_office(request.user)
        else 0,
    }
    return render(request, "livelihood/staff/project_list.html", context)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_staff(request.user, pk)
    row = selectors.project_rows(LivelihoodProject.objects.filter(pk=project.pk))[0]
    context = {
        "project": row.project,
        "row": row,
        "targets": selectors.target_progress(project),
        "reports": project.reports.select_related("submitted_by").prefetch_related(
            "quantities__target", "photos"
        ),
        "can_report": selectors.can_report(request.user, project),
        "features": sites_geojson([row.project], region=row.project.region),
        "today": timezone.localdate(),
    }
    return render(request, "livelihood/staff/project_detail.html", context)


@login_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead unit's monthly report."""
    project = selectors.project_for_staff(request.user, pk)
    if not selectors.can_report(request.user, project):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                project=project,
                actor=request.user,
                month=form.cleaned_data["month"],
                text=form.cleaned_data["text"],
                quantities=form.quantities(),
                photos=form.photos(),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The report was sent to the civilization office."))
            return redirect("livelihood:project_detail", pk=project.pk)
    return render(request, "livelihood/staff/report_form.html", {"project": project, "form": form})


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.reports_for_review(request.user)
    status = request.GET.get("status", ReportStatus.SUBMITTED)
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    context = {
        "page": Paginator(rows.order_by("created_at", "pk"), 30).get_page(request.GET.get("page")),
        "status": status,
        "statuses": ReportStatus.choices,
    }
    return render(request, "livelihood/staff/review_list.html", context)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_review(request.user, pk)
    context = {
        "report": report,
        "quantities": report.quantities.select_related("target"),
        "targets": selectors.target_progress(report.project),
        "form": ReviewForm(),
    }
    return render(request, "livelihood/staff/review_detail.html", context)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_review(request.user, pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    actor: Any = request.user
    if request.POST.get("decision") == "approve":
        services.report_approve(report_id=report.pk, actor=actor, note=note)
        messages.success(request, _("The report is approved and counts in the progress."))
    else:
        services.report_return(report_id=report.pk, actor=actor, note=note)
        messages.success(request, _("The report was returned to the unit."))
    return redirect("livelihood:review_list")


@login_required
def comment_queue(request: HttpRequest) -> HttpResponse:
    """Citizens' comments waiting for moderation (held ones first)."""
    if not has_role(request.user, *MODERATOR_ROLES):
        raise Http404
    projects = scope_filter(request.user, LivelihoodProject.objects.all(), roles=MODERATOR_ROLES)
    rows = ProjectComment.objects.filter(
        project__in=projects.values("pk"), status__in=[MessageStatus.HELD, MessageStatus.PENDING]
    ).select_related("project")
    page = Paginator(rows.order_by("status", "created_at"), 30).get_page(request.GET.get("page"))
    return render(request, "livelihood/staff/comment_queue.html", {"page": page})


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_role(request.user, *MODERATOR_ROLES):
        raise Http404
    projects = scope_filter(request.user, LivelihoodProject.objects.all(), roles=MODERATOR_ROLES)
    if not ProjectComment.objects.filter(pk=pk, project__in=projects.values("pk")).exists():
        raise Http404
    approve, actor = request.POST.get("decision") == "approve", cast(Any, request.user)
    services.comment_moderate(
        comment_id=pk, actor=actor, approve=approve, note=request.POST.get("note", "")
    )
    messages.success(request, _("Published.") if approve else _("Not published."))
    return redirect("livelihood:comment_queue")


@login_required
def project_import(request: HttpRequest) -> HttpResponse:
    """Import projects, targets, milestones and sites: all or nothing, problems by row."""
    if not selectors.is_office(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = projects_import(data=form.cleaned_data["file"].read())
        except ImportProblems as exc:
            problems = [str(p) for p in exc.problems]
        else:
            messages.success(request, _("Imported %(n)s projects.") % {"n": count})
            return redirect("livelihood:project_list")
    context = {"form": form, "problems": problems, "kind": "projects"}
    return render(request, "livelihood/staff/import.html", context)


@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.projects_for_staff(request.user).filter(year=_year(request))
    return xlsx_response(exports.projects_workbook(rows), f"livelihood-{_year(request)}.xlsx")
