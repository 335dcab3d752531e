"""Fixtures for triage: a small trained model (synthetic messages of a few real categories of
the demo catalogue), cases placed at known points, and the submit helper of the cases tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import grid_point, jpeg  # noqa: F401 — shared helpers
from wenming.cases import services
from wenming.cases.models import Case, Category, Channel
from wenming.triage import synthetic
from wenming.triage.datasets import Labelled
from wenming.triage.models import ModelSource, SuggestionModel, TriageSettings
from wenming.triage.services import suggestion_model_train
from wenming.triage.text import document

# Real minor classes of the demo catalogue, distinct topics.
KEYS = [
    "event:0101", "event:0504", "event:0501", "event:1003", "event:1201", "event:1001",
    "event:0107", "component:0108", "event:0902", "event:0201", "component:0205", "event:1301",
]  # fmt: skip


def labelled(samples: list[synthetic.Sample]) -> list[Labelled]:
    return [
        Labelled(document(s.title, s.description, s.region_codes), s.category, s.unit)
        for s in samples
    ]


@pytest.fixture
def trained(city) -> SuggestionModel:
    """An active model trained on 40 synthetic messages of each of KEYS."""
    samples = synthetic.generate(40 * len(KEYS), seed=3, keys=KEYS)
    return suggestion_model_train(samples=labelled(samples), source=ModelSource.FILE, seed=0)


@pytest.fixture
def knobs(city) -> TriageSettings:
    return TriageSettings.current()


def category(key: str) -> Category:
    kind, code = key.split(":")
    return Category.objects.get(kind=kind, code=code)


def place(
    case: Case, *, lat: float | None = None, lon: float | None = None, days_ago: float = 0
) -> Case:
    """Move a case (test set-up only) to a point and a time."""
    Case.objects.filter(pk=case.pk).update(
        lat=lat if lat is not None else case.lat,
        lon=lon if lon is not None else case.lon,
        reported_at=timezone.now() - timedelta(days=days_ago),
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def report(city):
    """report(title, description, key=…, offset_m=(north, east), **kw) → a submitted case near
    a grid of 青山路街道."""

    def make(
        title: str, description: str, key: str | None = "event:0101", offset_m=(0.0, 0.0), **kw
    ) -> Case:
        lat, lon = grid_point()
        lat += offset_m[0] / 111_320
        lon += offset_m[1] / (111_320 * 0.7615)  # cos(40.6°)
        return services.case_submit(
            channel=kw.pop("channel", Channel.SNAPSHOT),
            title=title,
            description=description,
            category=category(key) if key else None,
            lat=lat,
            lon=lon,
            **kw,
        )

    return make
