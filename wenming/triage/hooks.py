"""The only triage functions the problem loop calls (wenming.cases.services). Each is one line
there; none may break or slow a move of the loop: intake work runs in the intake job after
commit (wenming.cases.tasks) and its errors are logged, not raised."""

from __future__ import annotations

import logging
from typing import Any

from wenming.cases.models import Case

logger = logging.getLogger(__name__)


def case_submitted(*, case_id: int) -> None:
    """In the intake job, after the submission committed: store suggestions and duplicates."""
    from .services import suggestions_store

    try:
        suggestions_store(case_id=case_id)
    except Exception:  # triage is advice: intake has succeeded whatever happens here
        logger.exception("triage: storing suggestions for case %s failed", case_id)


def case_registered(*, case: Case) -> None:
    """After case_register: record the rank of the registered category among the suggestions."""
    from .services import suggestion_record_category

    suggestion_record_category(case=case)


def case_dispatched(*, case: Case) -> None:
    """After case_dispatch: record the rank of the unit among the suggestions."""
    from .services import suggestion_record_unit

    suggestion_record_unit(case=case)


def feedback_flags(*, case: Case, text: str, photo_count: int) -> list[dict[str, Any]]:
    """The reply checks of a feedback, as the FEEDBACK event's data stores them."""
    from .replies import reply_flags

    return [f.as_data() for f in reply_flags(case=case, text=text, photo_count=photo_count)]
