"""Queued jobs of notify (wenming.core.tasks)."""

from __future__ import annotations

from wenming.core.tasks import job

from .services import deliveries_send


@job(max_attempts=3, backoff=10)
def deliver(delivery_ids: list[int] | int) -> int:
    """Send a batch of deliveries as soon as they are queued (one id: jobs queued before
    batches). A delivery that fails is retried by the outbox's own backoff (the periodic
    sweep), so the job itself rarely fails."""
    return deliveries_send([delivery_ids] if isinstance(delivery_ids, int) else delivery_ids)
