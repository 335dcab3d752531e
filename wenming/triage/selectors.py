"""Reads of triage: the active model (cached per process), what the case page shows, and
production accuracy. Hotspots live in `hotspots.py` (`hotspots(start=, end=, limit=)`)."""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from wenming.cases.models import Case

from .learn import Suggester
from .models import Suggestion, SuggestionModel

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "value": None}


def active_suggester() -> tuple[SuggestionModel, Suggester] | None:
    """The active model and its unpickled pipeline. One small query per call tells whether the
    active version changed (another process may have trained or activated one); the pipeline
    is unpickled once per process and version. The checksum guards against a corrupted row."""
    head = SuggestionModel.objects.filter(is_active=True).defer("pipeline").first()
    if head is None:
        return None
    key = (head.pk, head.sha256)
    with _lock:
        if _cache["key"] != key:
            blob = bytes(
                SuggestionModel.objects.filter(pk=head.pk).values_list("pipeline", flat=True)[0]
            )
            if hashlib.sha256(blob).hexdigest() != head.sha256:
                raise ValueError(f"Suggestion model v{head.version} fails its checksum.")
            _cache["key"], _cache["value"] = key, pickle.loads(blob)  # noqa: S301 — system-written
        return head, _cache["value"]


def models_list() -> QuerySet[SuggestionModel]:
    """Stored versions, newest first, without their pipelines."""
    return SuggestionModel.objects.defer("pipeline").order_by("-version")


def case_suggestion(case: Case) -> Suggestion | None:
    return Suggestion.objects.filter(case=case).first()


def duplicate_cases(codes: Iterable[str]) -> dict[str, Case]:
    """Candidate cases by code, still eligible to be merged into."""
    rows = Case.objects.filter(code__in=list(codes)).exclude(state__in=["merged", "rejected"])
    return {c.code: c for c in rows.select_related("category", "region")}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def accuracy_by_week(*, weeks: int = 12, today: date | None = None) -> list[dict[str, Any]]:
    """Per week (by decision time): how often the registered category was the first or among
    the three suggestions, and the same for the dispatched unit."""
    since = timezone.now() - timedelta(weeks=weeks)
    rows = []
    for field, rank in (
        ("accepted_at", "accepted_rank"),
        ("unit_accepted_at", "accepted_unit_rank"),
    ):
        stats = (
            Suggestion.objects.filter(**{f"{field}__gte": since, f"{rank}__isnull": False})
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(
                n=Count("id"),
                top1=Count("id", filter=Q(**{rank: 1})),
                top3=Count("id", filter=Q(**{f"{rank}__gte": 1})),
            )
        )
        rows.append({s["week"]: dict(s) for s in stats})
    weeks_seen = sorted(set(rows[0]) | set(rows[1]), reverse=True)
    return [_week_row(week, rows[0].get(week), rows[1].get(week)) for week in weeks_seen]


def _week_row(
    week: datetime, category: dict[str, Any] | None, unit: dict[str, Any] | None
) -> dict[str, Any]:
    c = category or {"n": 0, "top1": 0, "top3": 0}
    u = unit or {"n": 0, "top1": 0, "top3": 0}
    return {
        "week": week,
        "category_n": c["n"],
        "category_top1": _rate(c["top1"], c["n"]),
        "category_top3": _rate(c["top3"], c["n"]),
        "unit_n": u["n"],
        "unit_top1": _rate(u["top1"], u["n"]),
        "unit_top3": _rate(u["top3"], u["n"]),
    }
