"""Records every successful write (POST, PUT, PATCH, DELETE) by a signed-in user.

Runs after the view, so API token users (set by DRF on the request) count too. A view that
recorded its own, more precise row (audit_record with the request) is not recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import audit_record

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
OBJECT_KWARGS = ("code", "pk", "id", "object_id", "case_code", "slug")


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._audits(request, response):
            match = request.resolver_match
            kwargs = match.kwargs if match else {}
            object_id = next((kwargs[k] for k in OBJECT_KWARGS if k in kwargs), "")
            audit_record(
                action="write",
                request=request,
                object_type=(match.view_name if match else "")[:60],
                object_id=object_id,
                summary=f"{request.method} {request.path} → {response.status_code}",
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Last in MIDDLEWARE, so this runs before DomainErrorMiddleware turns a refused
        # action into a redirect: a refused write is not a write.
        request.audit_failed = True  # type: ignore[attr-defined]

    @staticmethod
    def _audits(request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        return (
            request.method in WRITE_METHODS
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
            and not getattr(request, "audit_recorded", False)
            and not getattr(request, "audit_failed", False)
        )
