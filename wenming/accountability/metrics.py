"""The metric definitions: which fact counts make each number (docs/metrics.md).

One place for the formulas, so the page, the Excel export, the API, the PDF report and the
dashboard print the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import FactKind, MetricWeights

K = FactKind


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * numerator / denominator, 1) if denominator > 0 else None


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    is_rate: bool = True
    inverted: bool = False  # lower is better: counts in the composite as 100 − rate


METRICS: list[Metric] = [
    Metric("cases_received", _("Cases received"), is_rate=False),
    Metric("signed_on_time_rate", _("Signed on time rate")),
    Metric("on_time_rate", _("On-time completion rate")),
    Metric("completion_rate", _("Completion rate")),
    Metric("rework_rate", _("Rework rate"), inverted=True),
    Metric("return_rate", _("Return rate"), inverted=True),
    Metric("extension_rate", _("Extension rate"), inverted=True),
    Metric("satisfaction_rate", _("Satisfaction rate")),
    Metric("resolution_rate", _("Resolution rate")),
    Metric("overdue_count", _("Overdue"), is_rate=False),
    Metric("inspection_score", _("Inspection score"), is_rate=False),
    Metric("task_score", _("Task score"), is_rate=False),
    Metric("livelihood_lagging", _("Lagging projects"), is_rate=False),
    Metric("livelihood_overdue_reports", _("Late project reports"), is_rate=False),
]
METRIC_KEYS = [m.key for m in METRICS]
WEIGHTED = [
    "signed_on_time_rate",
    "on_time_rate",
    "completion_rate",
    "rework_rate",
    "return_rate",
    "extension_rate",
    "satisfaction_rate",
    "resolution_rate",
    "inspection_score",
    "task_score",
]
INVERTED = {m.key for m in METRICS if m.inverted}
GRADES = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]  # below 60: E


def grade_for(composite: float | None) -> str:
    if composite is None:
        return ""
    return next((letter for floor, letter in GRADES if composite >= floor), "E")


@dataclass
class MetricRow:
    """The counts of one unit or region in one period, and the metrics they give."""

    id: int
    code: str
    name: str
    by: str  # "unit" or "region"
    counts: dict[str, int] = field(default_factory=dict)
    inspection_score: float | None = None
    task_score: float | None = None
    livelihood_lagging: int | None = None  # counts from wenming.livelihood (None: no projects)
    livelihood_overdue_reports: int | None = None

    def n(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def cases_received(self) -> int:
        return self.n(K.DISPATCHED) if self.by == "unit" else self.n(K.SUBMITTED)

    @property
    def signed_on_time_rate(self) -> float | None:
        return rate(self.n(K.SIGNED_ON_TIME), self.n(K.SIGNED))

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.n(K.ON_TIME), self.n(K.DUE) - self.n(K.DUE_SUSPENDED))

    @property
    def completion_rate(self) -> float | None:
        return rate(self.n(K.COMPLETED), self.n(K.DUE))

    @property
    def rework_rate(self) -> float | None:
        return rate(self.n(K.REWORKED), self.n(K.COMPLETED))

    @property
    def return_rate(self) -> float | None:
        return rate(self.n(K.RETURNED), self.n(K.DISPATCHED))

    @property
    def extension_rate(self) -> float | None:
        return rate(self.n(K.EXTENDED), self.n(K.DISPATCHED))

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.n(K.SATISFIED), self.n(K.RATED))

    @property
    def resolution_rate(self) -> float | None:
        return rate(self.n(K.RESOLVED), self.n(K.RATED))

    @property
    def overdue_count(self) -> int:
        return self.n(K.OVERDUE)

    @property
    def closed_count(self) -> int:
        return self.n(K.CLOSED)

    def values(self) -> dict[str, float | int | None]:
        """Every metric by key (what the table, export and API print)."""
        return {key: getattr(self, key) for key in METRIC_KEYS}


def composite_score(row: MetricRow, weights: MetricWeights) -> float | None:
    """Weighted mean of the row's metrics on a 0–100 scale; None when no weighted metric has
    data. Rework, return and extension rates count as 100 − rate."""
    total, weight_sum = Decimal(0), Decimal(0)
    for key in WEIGHTED:
        value, weight = getattr(row, key), Decimal(getattr(weights, key))
        if value is None or weight <= 0:
            continue
        score = Decimal(str(100 - value if key in INVERTED else value))
        total += weight * score
        weight_sum += weight
    if not weight_sum:
        return None
    return float((total / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
