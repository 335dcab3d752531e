"""One error format for the whole REST API:

    {"error": {"code": "invalid", "message": "…", "fields": {"title": ["…"]}}}

`code` is stable and machine-readable, `message` is translated for the user, `fields` holds
field-level messages (empty when the error is not about a field). Domain errors keep their
code and HTTP status; Django's Http404/PermissionDenied and DRF's errors are mapped too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from wenming.core.errors import DomainError


class DomainAPIException(exceptions.APIException):
    """A domain error carried through DRF's handler (which then sets the usual headers)."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(detail=str(error.message), code=error.code)
        self.status_code = error.status


class UnprocessableEntity(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(name): _flatten(value) for name, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: everything the API raises leaves in the one error format."""
    if isinstance(exc, DomainError):
        exc = DomainAPIException(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)  # sets WWW-Authenticate, Retry-After
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The input is not valid."), _fields(exc.detail))
    else:
        response.data = error_body(_code(exc), " ".join(_flatten(exc.detail)))
    return response
