"""What production mode refuses to start with (checked by `wenming serve --production`)."""

from __future__ import annotations

import os

from django.conf import settings


def production_problems() -> list[str]:
    """Configuration that is fine for the demo and wrong for a city's live system."""
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on: set DEBUG=false (or WENMING_PRODUCTION=true).")
    if not os.environ.get("SECRET_KEY"):
        problems.append("SECRET_KEY is not set in the environment.")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty: list the host names the site answers to.")
    is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if is_sqlite and os.environ.get("WENMING_ALLOW_SQLITE", "").lower() not in {"1", "true", "yes"}:
        problems.append(
            "The database is SQLite: use PostgreSQL (DATABASE_URL), or set WENMING_ALLOW_SQLITE=true "
            "for a deliberately small installation."
        )
    if settings.WENMING_CACHE == "memory":
        problems.append(
            "WENMING_CACHE is memory: each server process would keep its own rate limits, "
            "sign-in lockouts and privacy codes. Use redis (REDIS_URL) or database."
        )
    if not os.environ.get("WENMING_FIELD_KEY"):
        problems.append(
            "WENMING_FIELD_KEY is not set: personal data would be encrypted with a derived key."
        )
    return problems
