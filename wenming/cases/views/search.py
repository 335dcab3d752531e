"""案件查询: filter, sort and page the cases in the user's scope; export the same list to Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wenming.audit.services import audit_record
from wenming.core.errors import PermissionDenied
from wenming.core.paging import CappedPaginator

from .. import selectors
from ..exports import EXPORT_LIMIT, cases_workbook
from ..forms import SearchForm
from ..reveal import may_export_phones
from .common import SEARCH_ROLES, require_role

SEARCH_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _searched(request: HttpRequest) -> tuple[SearchForm, str, selectors.CaseFilters]:
    require_role(request.user, *SEARCH_ROLES)
    form = SearchForm(request.GET, regions=list(selectors.regions_for_search(request.user)))  # type: ignore[arg-type]
    sort = request.GET.get("sort", "-reported")
    sort = sort if sort in selectors.SORTS else "-reported"
    return form, sort, form.filters()


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form, sort, filters = _searched(request)
    user = request.user
    paginator = CappedPaginator(
        selectors.cases_search(user, filters, sort=sort),  # type: ignore[arg-type]
        SEARCH_PAGE_SIZE,
        **selectors.search_paging(user, filters, sort=sort),  # type: ignore[arg-type]
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "sort": sort,
        "page": page,
        "export_limit": EXPORT_LIMIT,
        "exports_phones": may_export_phones(request.user),
    }
    return render(request, "cases/search.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an .xlsx file (at most EXPORT_LIMIT rows)."""
    _form, sort, filters = _searched(request)
    cases = selectors.cases_search(request.user, filters, sort=sort)  # type: ignore[arg-type]
    # Masked unless asked for (full_phone=1) by a role that calls reporters back; audited.
    full = request.GET.get("full_phone") == "1"
    if full and not may_export_phones(request.user):
        raise PermissionDenied()
    data = cases_workbook(cases, full_phone=full)  # type: ignore[arg-type]
    audit_record(
        action="cases.export_full_phone" if full else "cases.export",
        request=request,
        object_type="case",
        # Counts at most EXPORT_LIMIT rows (the workbook holds no more): not the whole table.
        summary=f"Excel export of {cases.order_by()[:EXPORT_LIMIT].count()} cases"  # type: ignore[attr-defined]
        + (" with full phones" if full else ", phones masked"),
    )
    name = f"cases-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return HttpResponse(
        data, content_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
