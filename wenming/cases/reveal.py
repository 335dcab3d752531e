"""Revealing personal data of a case to staff: permission-checked and audited, one place."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from wenming.audit.services import audit_record
from wenming.core.errors import PermissionDenied
from wenming.core.scope import has_role

from .access import PHONE_ROLES, may_reveal_phone
from .models import Case


def case_phone_reveal(
    *, user: User | AnonymousUser, case: Case, request: HttpRequest | None = None
) -> str:
    """The reporter's full phone for a user who may call them back; writes an audit row.
    PermissionDenied for anyone else (the case itself is fetched through its scope first)."""
    if not may_reveal_phone(user, case):
        raise PermissionDenied()
    audit_record(
        action="case.reveal_phone",
        actor=user,
        request=request,
        object_type="case",
        object_id=case.code,
        summary="reporter phone revealed",
    )
    return case.reporter_phone


def may_export_phones(user: User | AnonymousUser) -> bool:
    return has_role(user, *PHONE_ROLES)


def case_viewed(*, user: User | AnonymousUser, case: Case, request: HttpRequest) -> None:
    """A staff read of a case's personal data (name, masked phone): audited."""
    if case.reporter_name or case.reporter_phone_masked:
        audit_record(
            action="case.view",
            actor=user,
            request=request,
            object_type="case",
            object_id=case.code,
            summary="case page with reporter details",
        )
