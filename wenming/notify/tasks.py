"""Queued jobs of notify (wenming.core.tasks)."""

from __future__ import annotations

from wenming.core.tasks import job

from .services import delivery_send


@job(max_attempts=3, backoff=10)
def deliver(delivery_id: int) -> int:
    """Send one delivery as soon as it is queued. A delivery that fails is retried by the
    outbox's own backoff (the periodic sweep), so the job itself rarely fails."""
    return delivery_send(delivery_id)
