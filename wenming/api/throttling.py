"""Rate limits for anonymous use. The rate is read from settings at each request (not at
import, as DRF's own classes do), so a deployment or a test can change it."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Every anonymous request, by client address (REST_FRAMEWORK rate `anonymous`)."""

    scope = "anonymous"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousSubmitThrottle(AnonymousThrottle):
    """Anonymous submissions of new cases, a stricter rate (`anonymous_submit`)."""

    scope = "anonymous_submit"

    def allow_request(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        if request.method != "POST":
            return True
        return super().allow_request(request, view)
