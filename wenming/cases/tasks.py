"""Queued jobs of the problem loop (wenming.core.tasks)."""

from __future__ import annotations

from wenming.core.tasks import job
from wenming.triage import hooks as triage

from .services import attachments_process


@job(max_attempts=5, backoff=30)
def case_intake_finish(case_id: int) -> None:
    """After a submission commits (queued in its transaction by case_submit): re-encode its
    photos, then store the triage suggestions. Both steps are idempotent."""
    attachments_process(case_id=case_id)
    triage.case_submitted(case_id=case_id)
