"""Staff pages of the assessment loop: the indicator tree (with import/export), cycles and
their tasks, the unit's tasks with evidence, the review queue and the scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from wenming.core.scope import has_role
from wenming.org.models import Role

from . import imports, selectors, services
from .access import EVIDENCE_ROLES, MANAGE_ROLES, REVIEW_ROLES, tasks_visible
from .forms import EvidenceForm, ReviewForm, UploadForm
from .models import Cycle, RegionScore, Task, TaskStatus, UnitScore

R = Role
# Who opens which page (one table); lists are data-scoped on top of this.
PAGE_ROLES = {
    "indicators": (
        R.ADMIN,
        R.REVIEWER,
        R.LIAISON,
        R.HANDLER,
        R.UNIT_LEAD,
        R.DISPATCHER,
        R.INSPECTOR,
    ),
    "cycles": (R.ADMIN, R.REVIEWER, R.LIAISON, R.HANDLER, R.UNIT_LEAD),
    "my_tasks": EVIDENCE_ROLES,
    "reviews": REVIEW_ROLES,
    "scores": (R.ADMIN, R.REVIEWER, R.LIAISON, R.DISPATCHER),
    "manage": MANAGE_ROLES,
}
PAGE_SIZE = 30


def require_page(request: HttpRequest, page: str) -> None:
    if not has_role(request.user, *PAGE_ROLES[page]):
        raise PermissionDenied()


def paged(request: HttpRequest, rows: QuerySet | list, size: int = PAGE_SIZE) -> Page:  # type: ignore[type-arg]
    return Paginator(rows, size).get_page(request.GET.get("page"))


def sorted_by(
    request: HttpRequest,
    rows: QuerySet,
    allowed: dict[str, str],
    default: str,  # type: ignore[type-arg]
) -> tuple[QuerySet, str]:  # type: ignore[type-arg]
    key = request.GET.get("sort", default)
    if key.lstrip("-") not in allowed:
        key = default
    field = allowed[key.lstrip("-")]
    return rows.order_by(f"-{field}" if key.startswith("-") else field, "pk"), key


TASK_SORTS = {
    "indicator": "indicator__code",
    "unit": "unit__code",
    "status": "status",
    "due": "due_on",
    "score": "score",
}


def _filter_tasks(
    request: HttpRequest, rows: QuerySet[Task]
) -> tuple[QuerySet[Task], dict[str, str]]:
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "unit", "q")}
    if filters["status"] in TaskStatus.values:
        rows = rows.filter(status=filters["status"])
    elif filters["status"] == "overdue":
        rows = rows.filter(selectors.overdue_q(timezone.localdate()))
    if filters["unit"]:
        rows = rows.filter(unit__code=filters["unit"])
    if filters["q"]:
        rows = rows.filter(indicator__name__contains=filters["q"]) | rows.filter(
            indicator__code__startswith=filters["q"]
        )
    return rows, filters


# ---------------------------------------------------------------- indicators


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    """测评体系: projects → indicators → contents, with methods, points and units."""
    require_page(request, "indicators")
    return render(
        request,
        "assessment/indicator_list.html",
        {
            "projects": selectors.indicator_tree(),
            "can_manage": has_role(request.user, *MANAGE_ROLES),
        },
    )


@login_required
def indicator_import(request: HttpRequest) -> HttpResponse:
    require_page(request, "manage")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = imports.indicators_import(
                data=upload.read(), format=imports.format_for(upload.name)
            )
        except imports.IndicatorImportError as exc:
            problems = [str(p) for p in exc.problems]
        except InvalidInput as exc:
            problems = [str(exc.message)]
        else:
            messages.success(request, _("Imported %(n)s indicators.") % {"n": count})
            return redirect("assessment:indicators")
    return render(request, "assessment/indicator_import.html", {"form": form, "problems": problems})


@login_required
def indicator_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require_page(request, "indicators")
    if fmt not in ("yaml", "xlsx"):
        raise NotFound()
    data = imports.indicators_export(format=fmt)  # type: ignore[arg-type]
    content_type = (
        "application/x-yaml"
        if fmt == "yaml"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="indicators.{fmt}"'
    return response


# ---------------------------------------------------------------- cycles


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    require_page(request, "cycles")
    cycles = Cycle.objects.annotate(task_count=Count("tasks")).order_by("-month")
    return render(
        request,
        "assessment/cycle_list.html",
        {"page": paged(request, cycles, 24), "can_manage": has_role(request.user, *MANAGE_ROLES)},
    )


@login_required
@require_POST
def cycle_open(request: HttpRequest) -> HttpResponse:
    """The administrator's button for 月初派单 (the worker does the same each hour)."""
    require_page(request, "manage")
    before = Task.objects.count()
    cycle = services.cycle_open(month=timezone.localdate(), actor=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Cycle %(month)s: %(n)s new tasks.")
        % {"month": cycle, "n": Task.objects.count() - before},
    )
    return redirect("assessment:cycle_detail", pk=cycle.pk)


def _cycle(pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise NotFound()
    return cycle


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's tasks the user may see, filterable and sortable, with counts."""
    require_page(request, "cycles")
    cycle = _cycle(pk)
    rows: QuerySet[Task] = selectors.tasks_for(request.user).filter(cycle=cycle)
    rows, filters = _filter_tasks(request, rows.annotate(evidence_count=Count("evidence")))
    rows, sort = sorted_by(request, rows, TASK_SORTS, "indicator")
    counts = selectors.cycle_counts(user=request.user, cycle=cycle)
    return render(
        request,
        "assessment/cycle_detail.html",
        {
            "cycle": cycle,
            "page": paged(request, rows),
            "filters": filters,
            "sort": sort,
            "statuses": TaskStatus.choices,
            "counts": counts,
            "status_counts": [(v, label, counts[v]) for v, label in TaskStatus.choices],
            "can_manage": has_role(request.user, *MANAGE_ROLES),
            "can_review": has_role(request.user, *REVIEW_ROLES),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_page(request, "manage")
    cycle = services.cycle_close(cycle_id=_cycle(pk).pk, actor=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("Cycle %(month)s is closed; scores are computed.") % {"month": cycle}
    )
    return redirect("assessment:scores")


# ---------------------------------------------------------------- tasks


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The unit's tasks in open cycles: add evidence and submit before the due date."""
    require_page(request, "my_tasks")
    rows, filters = _filter_tasks(request, selectors.my_tasks(request.user))
    rows, sort = sorted_by(request, rows, TASK_SORTS, "due")
    return render(
        request,
        "assessment/my_tasks.html",
        {
            "page": paged(request, rows),
            "filters": filters,
            "sort": sort,
            "statuses": TaskStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _back_to_task(request: HttpRequest, pk: int, error: DomainError) -> HttpResponse:
    """A refused write goes back to the task page with the reason (404s stay 404s)."""
    if error.status == 404:
        raise error
    messages.error(request, str(error.message))
    return redirect("assessment:task_detail", pk=pk)


def _task(request: HttpRequest, pk: int) -> Task:
    task = (
        tasks_visible(request.user)
        .select_related("cycle", "indicator__parent__parent", "unit")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise NotFound()
    return task


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    user = request.user
    return render(
        request,
        "assessment/task_detail.html",
        {
            "task": task,
            "evidence": task.evidence.select_related("case", "uploaded_by"),
            "reviews": task.reviews.select_related("reviewer"),
            "evidence_form": EvidenceForm(),
            "review_form": ReviewForm(),
            "can_add": has_role(user, *EVIDENCE_ROLES)
            and task.cycle.is_open
            and task.status != TaskStatus.PASSED,
            "can_review": has_role(user, *REVIEW_ROLES)
            and task.cycle.is_open
            and task.status == TaskStatus.SUBMITTED,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _back_to_task(request, pk, InvalidInput(_("The evidence form is not valid.")))
    try:
        services.evidence_add(
            task_id=task.pk,
            actor=request.user,  # type: ignore[arg-type]
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
            case_code=form.cleaned_data["case_code"],
        )
    except DomainError as exc:
        return _back_to_task(request, pk, exc)
    messages.success(request, _("Evidence added."))
    return redirect("assessment:task_detail", pk=pk)


@login_required
@require_POST
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.task_submit(task_id=_task(request, pk).pk, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        return _back_to_task(request, pk, exc)
    messages.success(request, _("Submitted for review."))
    return redirect("assessment:task_detail", pk=pk)


@login_required
@require_POST
def task_review(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(" ".join(str(e) for errors in form.errors.values() for e in errors))
        services.task_review(
            task_id=task.pk,
            actor=request.user,  # type: ignore[arg-type]
            passed=form.cleaned_data["passed"],
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            rectify_by=form.cleaned_data["rectify_by"],
        )
    except DomainError as exc:
        return _back_to_task(request, pk, exc)
    messages.success(request, _("Review saved."))
    next_task = selectors.review_queue(request.user).first()
    return (
        redirect("assessment:task_detail", pk=next_task.pk)
        if next_task
        else redirect("assessment:review_queue")
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """月末集审: submitted tasks of open cycles, oldest submission first."""
    require_page(request, "reviews")
    rows, filters = _filter_tasks(request, selectors.review_queue(request.user))
    return render(
        request,
        "assessment/review_queue.html",
        {"page": paged(request, rows), "filters": filters, "statuses": [], "sort": ""},
    )


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    """Unit and region task scores of a closed cycle (the latest by default)."""
    require_page(request, "scores")
    closed = Cycle.objects.filter(status="closed").order_by("-month")
    wanted = request.GET.get("cycle", "")
    cycle = closed.filter(pk=int(wanted)).first() if wanted.isdigit() else closed.first()
    units = regions = None
    if cycle is not None:
        units = (
            UnitScore.objects.filter(cycle=cycle)
            .select_related("unit")
            .order_by("-score", "unit__code")
        )
        regions = (
            RegionScore.objects.filter(cycle=cycle)
            .select_related("region")
            .order_by("region__level", "-score")
        )
    return render(
        request,
        "assessment/scores.html",
        {"cycle": cycle, "cycles": closed, "units": units, "regions": regions},
    )
