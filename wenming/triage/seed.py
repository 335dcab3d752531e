"""Demo seed for triage: train the first suggestion model from the demo city's closed cases
(the dashboard's demo history, ≈2,000 cases over 90 days) when there are at least
MIN_CLOSED_CASES of them and no model exists yet. Running it again changes nothing."""

from __future__ import annotations

import logging

from wenming.cases.models import Case
from wenming.cases.states import State

from . import datasets
from .models import ModelSource, SuggestionModel, TriageSettings
from .services import suggestion_model_train

logger = logging.getLogger(__name__)
MIN_CLOSED_CASES = 200


def seed_demo() -> None:
    TriageSettings.current()
    if SuggestionModel.objects.exists():
        return
    closed = Case.objects.filter(state=State.CLOSED, category__isnull=False).count()
    if closed < MIN_CLOSED_CASES:
        logger.info(
            "triage: %s closed cases, fewer than %s: no model trained", closed, MIN_CLOSED_CASES
        )
        return
    model = suggestion_model_train(
        samples=datasets.from_cases(), source=ModelSource.CASES, source_detail="demo seed"
    )
    logger.info("triage: model v%s trained on %s closed cases", model.version, model.sample_count)
