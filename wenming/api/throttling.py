"""Rate limits for anonymous use of the REST API and Open311, per client address.

Requests count in fixed windows (wenming.core.ratelimit): one statement or one Redis round trip
per throttle and request, where DRF's own throttles read and wrote a pickled list of request
times whole. The rate is read from settings at each request (not at import, as DRF's own
classes do), so a deployment or a test can change it. The client's address is DRF's
`get_ident` (REST_FRAMEWORK's NUM_PROXIES: the address the trusted proxy saw).
"""

from __future__ import annotations

import time
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from wenming.core.ratelimit import rate_window_hit, rate_window_wait


class AnonymousThrottle(SimpleRateThrottle):
    """Every anonymous request, by client address (REST_FRAMEWORK rate `anonymous`)."""

    scope = "anonymous"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        self.now = time.time()
        # "api-": the portal's scope of the same name has its own count and rate.
        count = rate_window_hit(
            scope=f"api-{self.scope}",
            ident=self.get_ident(request) or "unknown",
            period=self.duration,
            now=self.now,
        )
        return count <= self.num_requests

    def wait(self) -> int:
        """Seconds to the end of the window that refused the request (Retry-After)."""
        return rate_window_wait(period=self.duration, now=self.now)


class AnonymousSubmitThrottle(AnonymousThrottle):
    """Anonymous submissions of new cases, a stricter rate (`anonymous_submit`)."""

    scope = "anonymous_submit"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)
