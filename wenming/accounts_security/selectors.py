from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import LoginEvent


def login_history_for_user(*, user: User, limit: int = 100) -> QuerySet[LoginEvent]:
    """The user's own sign-in attempts, newest first (nobody else's: no user argument from
    the request ever reaches here)."""
    return LoginEvent.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
