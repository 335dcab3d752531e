"""Who may read a citizen's private details on the portal: whoever proved the last four
digits of the phone on record for this code (or filed it from this browser). The proof is
kept in the session, never in a URL. Wrong digits are counted per code: after
MAX_FAILURES within LOCK_SECONDS the code answers "try later", so four digits cannot be
guessed by trying them all."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def remember(request: HttpRequest, kind: str, code: str) -> None:
    key = f"wm_{kind}"
    codes = [c for c in request.session.get(key, []) if c != code][-19:]
    request.session[key] = [*codes, code]


def is_proven(request: HttpRequest, kind: str, code: str) -> bool:
    return code in request.session.get(f"wm_{kind}", [])


def _failures_key(kind: str, code: str) -> str:
    return f"wm:digits:{kind}:{code}"


def is_locked(kind: str, code: str) -> bool:
    return int(cache.get(_failures_key(kind, code), 0)) >= MAX_FAILURES


def record_failure(kind: str, code: str) -> None:
    key = _failures_key(kind, code)
    cache.add(key, 0, LOCK_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCK_SECONDS)
