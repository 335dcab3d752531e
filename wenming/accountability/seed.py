"""Demo seed for accountability: the composite weights of each period type (idempotent)."""

from __future__ import annotations

from .models import MetricWeights, PeriodKind

MIN_SAMPLE = {"day": 1, "week": 3, "month": 5, "quarter": 10, "year": 20}


def seed_demo() -> None:
    """Default weights per period type; a city edits them in the admin."""
    for kind in PeriodKind.values:
        MetricWeights.objects.get_or_create(
            period_kind=kind, defaults={"min_sample": MIN_SAMPLE[kind]}
        )
