"""Rate limits for anonymous use of the REST API and Open311, per client address.

Requests count in fixed windows (wenming.core.ratelimit): one statement or one Redis round trip
per request, a submission's two limits included, where DRF's own throttles read and wrote a
pickled list of request times whole. The rate is read from settings at each request (not at
import, as DRF's own classes do), so a deployment or a test can change it. The client's address
is DRF's `get_ident` (REST_FRAMEWORK's NUM_PROXIES: the address the trusted proxy saw).
"""

from __future__ import annotations

import time
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from wenming.core.ratelimit import rate_window_wait, rate_windows_hit


class AnonymousThrottle(BaseThrottle):
    """Every anonymous request, by client address (REST_FRAMEWORK rate `anonymous`)."""

    scopes = ("anonymous",)

    def scopes_of(self, request: Request) -> tuple[str, ...]:
        return self.scopes

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        limits = [limit for scope in self.scopes_of(request) if (limit := _limit(scope))]
        if not limits:
            return True
        self.now = time.time()
        # "api-": the portal's scopes of the same names have their own counts and rates.
        counts = rate_windows_hit(
            [(f"api-{scope}", period) for scope, _most, period in limits],
            ident=self.get_ident(request) or "unknown",
            now=self.now,
        )
        self.refused = [
            period
            for (_scope, most, period), count in zip(limits, counts, strict=True)
            if count > most
        ]
        return not self.refused

    def wait(self) -> int:
        """Seconds to the end of the longest window that refused the request (Retry-After)."""
        return max(rate_window_wait(period=period, now=self.now) for period in self.refused)


class AnonymousSubmitThrottle(AnonymousThrottle):
    """Every anonymous request (`anonymous`) and, stricter, its submissions of new cases
    (POST, `anonymous_submit`): a submission counts under both limits in one statement."""

    def scopes_of(self, request: Request) -> tuple[str, ...]:
        return ("anonymous", "anonymous_submit") if request.method == "POST" else self.scopes


def _limit(scope: str) -> tuple[str, int, int] | None:
    """The scope's rate from settings, read at each request: (scope, requests, seconds)."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if rate is None:
        return None
    # DRF's parser, which uses no state of its throttle.
    most, period = SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
    return scope, most, period
