"""Reads for notifications: a user sees only their own inbox."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .models import Notification


def inbox(
    *,
    user: User | AnonymousUser,
    unread_only: bool = False,
    kind: str = "",
    oldest_first: bool = False,
) -> QuerySet[Notification]:
    """The user's messages, newest first unless `oldest_first`, optionally only unread ones
    or only one kind."""
    if not user.is_authenticated:
        return Notification.objects.none()
    messages = Notification.objects.filter(recipient=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    if kind:
        messages = messages.filter(kind=kind)
    order = ["created_at", "id"] if oldest_first else ["-created_at", "-id"]
    return messages.order_by(*order)


def inbox_kinds(*, user: User | AnonymousUser) -> list[str]:
    """The kinds of message the user has received (choices of the inbox filter)."""
    kinds = inbox(user=user).order_by("kind").values_list("kind", flat=True).distinct()
    return list(kinds)


def unread_count(*, user: User | AnonymousUser) -> int:
    """How many of the user's messages are unread (the navbar badge)."""
    return inbox(user=user, unread_only=True).count()
