import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable

from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from .errors import DomainError
from .logs import current_request_id

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class DomainErrorMiddleware:
    """A domain error raised from a page view becomes a message, never a 500.

    On a POST the user goes back to the page they came from, with the message shown; otherwise
    an error page with the right status is rendered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(request)
        if not isinstance(exception, DomainError):
            return None
        if request.method == "POST" and exception.status != 404:
            messages.error(request, str(exception.message))
            back = request.headers.get("Referer") or request.path
            response: HttpResponse = HttpResponseRedirect(back)
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204, headers={"HX-Redirect": back})
            # What the redirect stands for (403 refused, 409 conflict…), for tests and tools
            # that must tell a refusal from a success without reading the flashed message.
            response.domain_error_status = exception.status  # type: ignore[attr-defined]
            return response
        return render(request, "core/error.html", {"error": exception}, status=exception.status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The database cannot be reached (restarting, failing over): a clear 503 saying that
    nothing was saved, instead of a 500. The connection is dropped so the next request
    reconnects."""
    from django.db import connection
    from django.utils.translation import gettext as _

    connection.close_if_unusable_or_obsolete()
    message = _("The service is briefly unavailable and nothing was saved. Please try again.")
    headers = {"Retry-After": "5"}
    if request.path.startswith("/api/") or request.path.startswith("/open311/"):
        body = {"error": {"code": "unavailable", "message": message, "fields": {}}}
        return JsonResponse(body, status=503, headers=headers)
    try:
        response = render(request, "core/error.html", {"error": DomainError(message)}, status=503)
    except (OperationalError, InterfaceError):  # the page's menus need the database too
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = headers["Retry-After"]
    return response


request_counts: Counter[tuple[str, int]] = Counter()
_counting = threading.Lock()  # a worker's threads count at once (`wenming serve --threads`)


class RequestIdMiddleware:
    """Gives every request an id (from X-Request-ID or new), puts it into the logs and the
    response, and counts requests for /metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        with _counting:
            request_counts[(request.method or "", response.status_code)] += 1
        return response
