"""The audit log's staff page (admin only): browse and filter, and check the chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wenming.cases.views.common import require_role
from wenming.org.models import Role

from .forms import AuditFilterForm
from .selectors import audit_entries
from .services import audit_verify

PAGE_SIZE = 50
AUDIT_ROLES = (Role.ADMIN,)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *AUDIT_ROLES)
    form = AuditFilterForm(request.GET)
    page = Paginator(audit_entries(form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    verdict = audit_verify() if request.GET.get("verify") else None
    context = {"form": form, "page": page, "verdict": verdict}
    return render(request, "audit/log.html", context)
