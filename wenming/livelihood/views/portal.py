"""Public pages: the year's livelihood projects with progress bars and a map, and each
project with its approved progress, before/after photos and moderated comments."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import InvalidInput
from wenming.core.masking import mask_name, redact_text
from wenming.org.models import Region

from .. import selectors, services
from ..forms import CommentForm
from ..models import PhotoStage, ReportPhoto
from .common import sites_geojson


def project_list(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("year", "")
    years = selectors.public_years()
    year = int(value) if value.isdigit() else _year_shown(years)
    rows = selectors.project_rows(selectors.projects_public(year))
    context = {
        "rows": rows,
        "year": year,
        "years": years,
        "finished": sum(1 for r in rows if r.standing.finished),
        "features": sites_geojson(
            [r.project for r in rows],
            public=True,
            region=Region.objects.filter(level="city").first(),
        ),
    }
    return render(request, "livelihood/portal/list.html", context)


def _year_shown(years: list[int]) -> int:
    """This year; in its first weeks, before its projects are published, the latest year that
    has some, so the page is not empty on New Year's Day."""
    this_year = timezone.localdate().year
    return next((year for year in years if year <= this_year), this_year)


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_public(pk)
    standing = selectors.standings([project])[project.pk]
    form = CommentForm(
        request.POST or None,
        finished=standing.finished,
        initial={"token": secrets.token_urlsafe(24)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_submit(
                project=project,
                token=data["token"],
                body=data["body"],
                author_name=data["author_name"],
                rating=data.get("rating"),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you! Your comment will appear once reviewed."))
            return redirect("livelihood_portal:detail", pk=pk)
    reports = selectors.approved_reports(project)
    photos = ReportPhoto.objects.filter(report__in=reports)
    context = {
        "project": project,
        "standing": standing,
        "targets": selectors.target_progress(project),
        "reports": reports,
        "before": photos.filter(stage=PhotoStage.BEFORE)[:6],
        "after": photos.filter(stage=PhotoStage.AFTER)[:6],
        "comments": [
            {"author": mask_name(c.author_name), "body": redact_text(c.body), "rating": c.rating}
            for c in selectors.comments_public(project)[:50]
        ],
        "form": form,
        "features": sites_geojson([project], public=True, region=project.region),
    }
    return render(request, "livelihood/portal/detail.html", context)
