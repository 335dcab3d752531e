"""The client's address, the same way for login history, lockout and rate limits."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind WENMING_NUM_PROXIES trusted reverse proxies the address the
    nearest one appended to X-Forwarded-For (the entries before it are the client's to forge)."""
    proxies = settings.WENMING_NUM_PROXIES
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and forwarded:
        return _valid(forwarded[-min(proxies, len(forwarded))])
    return _valid(request.META.get("REMOTE_ADDR"))


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
