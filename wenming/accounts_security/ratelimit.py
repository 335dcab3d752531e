"""Rate limits for sign-in and the anonymous portal forms, per client address.

Which views are limited is this one table (view name → scope and counted methods); the rate
of each scope is WENMING_RATE_LIMITS in settings ("<n>/<second|minute|hour|day>", empty or
missing: unlimited). Hits count in fixed windows (wenming.core.ratelimit), as the REST API's
throttles do (wenming.api.throttling) under scopes of their own.
"""

from __future__ import annotations

import time

from wenming.core.ratelimit import rate_window_hit, rate_window_wait

SUBMIT, LOOKUP, LOGIN = "anonymous_submit", "anonymous_lookup", "login"
POST, READ = frozenset({"POST"}), frozenset({"GET", "HEAD", "POST"})

LIMITED_VIEWS: dict[str, tuple[str, frozenset[str]]] = {
    "login": (LOGIN, POST),
    "accounts_security:login_code": (LOGIN, POST),
    # New content from anyone: reports, board messages, ratings, needs, nominations.
    "portal:report": (SUBMIT, POST),
    "portal:board_new": (SUBMIT, POST),
    "portal:track_rate": (SUBMIT, POST),
    "volunteer_portal:need_new": (SUBMIT, POST),
    "volunteer_portal:register": (SUBMIT, POST),
    "volunteer_portal:certificate_request": (SUBMIT, POST),
    "honors_portal:nominate": (SUBMIT, POST),
    # Look-ups by code: limited so codes and phone digits cannot be guessed in bulk.
    "portal:track": (LOOKUP, POST),
    "portal:track_case": (LOOKUP, READ),
    "portal:board_lookup": (LOOKUP, POST),
    "portal:board_message": (LOOKUP, READ),
    "volunteer_portal:need_track": (LOOKUP, POST),
    "volunteer_portal:need": (LOOKUP, READ),
    "volunteer_portal:verify": (LOOKUP, READ),
}

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip()]


def rate_limit_hit(*, scope: str, ident: str, rate: str) -> int:
    """Count one request in the current window; 0 when allowed, else seconds to wait."""
    limit, period = parse_rate(rate)
    now = time.time()
    if rate_window_hit(scope=scope, ident=ident, period=period, now=now) <= limit:
        return 0
    return rate_window_wait(period=period, now=now)
