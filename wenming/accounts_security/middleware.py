"""Web hardening that applies to every request: body size, idle sign-out, rate limits and
the Permissions-Policy header. (CSP comes from django-csp, built once here; the other headers
from Django's SecurityMiddleware; see settings.)"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import LoginOutcome
from .net import client_ip
from .ratelimit import LIMITED_VIEWS, LOGIN, rate_limit_hit

LAST_SEEN = "_wm_last_seen"
TOUCH_EVERY = 60  # seconds: refresh the idle clock at most once a minute (one session write)

GetResponse = Callable[[HttpRequest], HttpResponse]


def mark_active(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = int(time.time())


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "accounts_security/refused.html", {"message": message}, status=status)


class RequestSizeLimitMiddleware:
    """Refuse bodies over WENMING_MAX_REQUEST_MB before anything reads them (413); each
    upload is checked again by its form (photo size, count)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit_mb = settings.WENMING_MAX_REQUEST_MB
        if length > limit_mb * 1024 * 1024:
            message = _("The upload is too large: at most %(mb)s MB at a time.") % {"mb": limit_mb}
            return _refusal(request, 413, message)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign a user out after WENMING_SESSION_IDLE_MINUTES without activity (等保 session
    timeout), with a message on the next page. Background refreshes (PASSIVE_VIEWS: the
    notification badge, the dashboard's data) are not activity, or an open tab would never
    time out."""

    PASSIVE_VIEWS = frozenset({"notify:badge", "dashboard:data"})

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._idle_too_long(request):
            self._sign_out(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        match = request.resolver_match
        if not request.user.is_authenticated or (match and match.view_name in self.PASSIVE_VIEWS):
            return
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is None or time.time() - last_seen >= TOUCH_EVERY:
            mark_active(request)

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        last_seen = request.session.get(LAST_SEEN)
        limit = settings.WENMING_SESSION_IDLE_MINUTES * 60
        return last_seen is not None and time.time() - last_seen > limit

    @staticmethod
    def _sign_out(request: HttpRequest) -> None:
        from .services import login_event_record

        user = request.user
        logout(request)
        login_event_record(
            request=request,
            username=user.get_username(),
            outcome=LoginOutcome.TIMEOUT,
            user=user,  # type: ignore[arg-type]
        )
        messages.info(
            request,
            _("You were signed out after %(minutes)s minutes without activity.")
            % {"minutes": settings.WENMING_SESSION_IDLE_MINUTES},
        )


class RateLimitMiddleware:
    """429 once a client (by address) exceeds its scope's rate on a limited view: sign-in
    always, the portal forms only for visitors who are not signed in."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        match = request.resolver_match
        rule = LIMITED_VIEWS.get(match.view_name) if match else None
        if rule is None or request.method not in rule[1]:
            return None
        scope = rule[0]
        rate = settings.WENMING_RATE_LIMITS.get(scope)
        if not rate or (scope != LOGIN and request.user.is_authenticated):
            return None
        wait = rate_limit_hit(scope=scope, ident=client_ip(request) or "unknown", rate=rate)
        if not wait:
            return None
        message = _(
            "Too many requests from your network. Please wait %(seconds)s seconds and try again."
        ) % {"seconds": wait}
        response = _refusal(request, 429, message)
        response["Retry-After"] = str(wait)
        return response


class PermissionsPolicyMiddleware:
    """Browser features the site does not use stay off; location is for our own pages."""

    POLICY = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class SettingsCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the settings' policy built once: the library builds the
    header from the settings for every response (2 % of a citizen's API submission,
    bench/intake_profile.py). A response whose view changes the policy (csp_update,
    csp_exempt…), a page that used a nonce, and DEBUG's error pages go the library's way."""

    VIEW_CHANGES = tuple(
        f"_csp_{what}{ro}"
        for what in ("exempt", "config", "update", "replace")
        for ro in ("", "_ro")
    )

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.VIEW_CHANGES)
        ):
            return super().process_response(request, response)
        for header, policy, excluded in _settings_policies():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        # As the library does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


@functools.cache
def _settings_policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for the enforced and report-only settings."""
    policies = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            excluded = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            policies.append((header, policy, tuple(excluded)))
    return tuple(policies)


@receiver(setting_changed)
def _policy_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()
