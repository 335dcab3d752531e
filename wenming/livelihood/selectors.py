"""Reads of livelihood projects: who may see what, each project's standing (progress, lag,
overdue reports), the public view (approved data only) and the metric providers that the
accountability app asks for (`SCORE_SOURCES` there)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Min, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from wenming.core.scope import has_role, scope_filter
from wenming.org.models import Region, Role

from . import progress
from .models import (
    LivelihoodProject,
    ProgressReport,
    ProjectComment,
    ReportQuantity,
    ReportStatus,
)
from .progress import Standing

R = Role
OFFICE_ROLES = (R.ADMIN,)  # the civilization office: projects, reviews, moderation, imports
WATCH_ROLES = (R.ADMIN, R.LIAISON, R.DISPATCHER, R.REVIEWER)  # read, within their regions
UNIT_ROLES = (R.HANDLER, R.UNIT_LEAD)  # the projects their unit leads or cooperates on


def user_unit_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    memberships = user.memberships.filter(role__in=UNIT_ROLES, unit__isnull=False)  # type: ignore[union-attr]
    return list(memberships.values_list("unit_id", flat=True))


def is_office(user: User | AnonymousUser) -> bool:
    return has_role(user, *OFFICE_ROLES)


def projects_for_staff(user: User | AnonymousUser) -> QuerySet[LivelihoodProject]:
    """Projects in the user's regions (office, liaisons) or of their unit; 404 for others."""
    if not has_role(user, *WATCH_ROLES, *UNIT_ROLES):
        raise Http404
    projects = LivelihoodProject.objects.all()
    in_scope = scope_filter(user, projects, roles=WATCH_ROLES).values("pk")
    units = user_unit_ids(user)
    condition = Q(pk__in=in_scope) | Q(lead_unit__in=units) | Q(cooperating_units__in=units)
    ids = projects.filter(condition).values("pk")
    return projects.filter(pk__in=ids).select_related("lead_unit", "region")


def project_for_staff(user: User | AnonymousUser, pk: int) -> LivelihoodProject:
    found = projects_for_staff(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def reports_for_review(user: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """Reports the office may review: those of projects in the reviewer's regions."""
    if not is_office(user):
        raise Http404
    projects = scope_filter(user, LivelihoodProject.objects.all(), roles=OFFICE_ROLES)
    return ProgressReport.objects.filter(project__in=projects.values("pk")).select_related(
        "project__lead_unit", "submitted_by"
    )


def report_for_review(user: User | AnonymousUser, pk: int) -> ProgressReport:
    found = reports_for_review(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def can_report(user: User | AnonymousUser, project: LivelihoodProject) -> bool:
    """Only the lead unit's staff report progress (the cooperating units report through it)."""
    return project.lead_unit_id in user_unit_ids(user)


# ---------------------------------------------------------------- standing


def done_by_target(project_ids: Iterable[int], *, on: date | None = None) -> dict[int, Decimal]:
    """Approved quantities per target (approved on or before `on` when given)."""
    rows = ReportQuantity.objects.filter(
        report__project__in=list(project_ids), report__status=ReportStatus.APPROVED
    )
    if on is not None:
        rows = rows.filter(report__reviewed_at__lt=_day_end(on))
    sums = rows.values("target_id").annotate(done=Sum("quantity")).order_by()
    return {r["target_id"]: r["done"] for r in sums}


def _day_end(day: date) -> datetime:
    start = datetime.combine(day, datetime.min.time())
    return timezone.make_aware(start) + timedelta(days=1)


def standings(
    projects: Iterable[LivelihoodProject], *, on: date | None = None
) -> dict[int, Standing]:
    """Progress and expected progress of each project on day `on` (today by default)."""
    projects = list(projects)
    day = on or timezone.localdate()
    done = done_by_target([p.pk for p in projects], on=on)
    result = {}
    for p in projects:
        pairs = [(done.get(t.pk, Decimal(0)), t.quantity) for t in p.targets.all()]
        schedule = [(m.due_date, m.planned_percent) for m in p.milestones.all()]
        result[p.pk] = Standing(
            progress.project_percent(pairs), progress.expected_percent(schedule, day)
        )
    return result


@dataclass(frozen=True)
class TargetProgress:
    name: str
    measure: str
    quantity: Decimal
    done: Decimal

    @property
    def percent(self) -> Decimal:
        return progress.percent(self.done, self.quantity)


def target_progress(project: LivelihoodProject) -> list[TargetProgress]:
    done = done_by_target([project.pk])
    return [
        TargetProgress(t.name, t.measure, t.quantity, done.get(t.pk, Decimal(0)))
        for t in project.targets.all()
    ]


def first_submissions(project_ids: Iterable[int]) -> dict[tuple[int, date], date]:
    """The day each (project, month) report was first submitted (returned ones included)."""
    rows = (
        ProgressReport.objects.filter(project__in=list(project_ids))
        .values("project_id", "month")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    return {(r["project_id"], r["month"]): timezone.localdate(r["first"]) for r in rows}


@dataclass(frozen=True)
class OverdueReport:
    project_id: int
    month: date
    due: date
    submitted: date | None


def overdue_reports(
    projects: Iterable[LivelihoodProject], *, today: date | None = None
) -> list[OverdueReport]:
    """Monthly reports not submitted by their due date, for months of each project's year
    from its first month on, whose due date has passed."""
    projects = list(projects)
    today = today or timezone.localdate()
    first = first_submissions(p.pk for p in projects)
    found = []
    for p in projects:
        for month in progress.months_between(p.start_month, date(p.year, 12, 1)):
            due = progress.report_due(month)
            if due >= today:
                break
            submitted = first.get((p.pk, month))
            if submitted is None or submitted > due:
                found.append(OverdueReport(p.pk, month, due, submitted))
    return found


def with_details(rows: QuerySet[LivelihoodProject]) -> QuerySet[LivelihoodProject]:
    return rows.select_related("lead_unit", "region").prefetch_related(
        "targets", "milestones", "cooperating_units", "sites"
    )


@dataclass
class ProjectRow:
    """A project with its standing, for lists."""

    project: LivelihoodProject
    standing: Standing
    overdue: list[OverdueReport] = field(default_factory=list)


def project_rows(rows: QuerySet[LivelihoodProject], *, on: date | None = None) -> list[ProjectRow]:
    """Projects with their standing on day `on` (today by default) and overdue reports."""
    projects = list(with_details(rows))
    stand = standings(projects, on=on)
    overdue: dict[int, list[OverdueReport]] = defaultdict(list)
    for item in overdue_reports(projects):
        overdue[item.project_id].append(item)
    return [ProjectRow(p, stand[p.pk], overdue[p.pk]) for p in projects]


# ---------------------------------------------------------------- public


def projects_public(year: int | None = None) -> QuerySet[LivelihoodProject]:
    rows = LivelihoodProject.objects.filter(is_public=True)
    return rows.filter(year=year) if year else rows


def public_years() -> list[int]:
    """The years with published projects, newest first: the public page's year links."""
    years = projects_public().order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


def project_public(pk: int) -> LivelihoodProject:
    found = with_details(projects_public()).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def approved_reports(project: LivelihoodProject) -> QuerySet[ProgressReport]:
    """What citizens see of the progress: approved reports only."""
    return project.reports.filter(status=ReportStatus.APPROVED).prefetch_related("photos")


def comments_public(project: LivelihoodProject) -> QuerySet[ProjectComment]:
    from wenming.portal.models import MessageStatus

    return project.comments.filter(status=MessageStatus.APPROVED)


# ---------------------------------------------------------------- metric providers


def _period_projects(start: date, end: date) -> list[LivelihoodProject]:
    rows = LivelihoodProject.objects.filter(start_month__lte=end, year__gte=start.year)
    return list(with_details(rows))


def _by(projects: list[LivelihoodProject], counts: dict[int, int], by: str) -> dict[int, int]:
    """Counts per lead unit, or per region summed up the region tree (every ancestor)."""
    result: dict[int, int] = defaultdict(int)
    if by == "unit":
        for p in projects:
            result[p.lead_unit_id] += counts.get(p.pk, 0)
        return dict(result)
    codes = {code for p in projects for code in p.region.path.strip("/").split("/")}
    regions = {r.code: r.pk for r in Region.objects.filter(code__in=codes)}
    for p in projects:
        for code in p.region.path.strip("/").split("/"):
            result[regions[code]] += counts.get(p.pk, 0)
    return dict(result)


def lagging_project_counts(*, start: date, end: date, by: str) -> dict[int, int]:
    """Projects behind their milestone schedule on the period's last day (or today), by lead
    unit or by region; units and regions with projects get a number, 0 included."""
    projects = _period_projects(start, end)
    on = min(end, timezone.localdate())
    stand = standings(projects, on=on)
    return _by(projects, {pk: int(s.lagging) for pk, s in stand.items()}, by)


def overdue_report_counts(*, start: date, end: date, by: str) -> dict[int, int]:
    """Monthly reports whose due date fell in [start, end] and that were not submitted by it."""
    projects = _period_projects(start, end)
    counts: dict[int, int] = defaultdict(int)
    for item in overdue_reports(projects):
        if start <= item.due <= end:
            counts[item.project_id] += 1
    return _by(projects, counts, by)
