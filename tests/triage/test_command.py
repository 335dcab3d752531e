"""`wenming triage train|evaluate`: files, closed cases, versions, reproducible evaluation."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wenming.cases.models import Case, Channel
from wenming.cases.states import State
from wenming.org.models import Region, Unit
from wenming.triage import synthetic
from wenming.triage.models import SuggestionModel

from .conftest import KEYS, category


def write_csv(path, samples, *, names=False):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "description", "category", "unit", "region"])
        for s in samples:
            label = category(s.category).name if names else s.category
            writer.writerow([s.title, s.description, label, s.unit, s.region_codes[0]])
    return path


def run(*args):
    out = io.StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue()


def test_evaluate_prints_kfold_scores_and_a_confusion_table_reproducibly(tmp_path):
    path = write_csv(tmp_path / "set.csv", synthetic.generate(240, seed=1, keys=KEYS[:5]))
    first = run("evaluate", str(path), "--folds", "3", "--seed", "4")
    assert "3-fold cross-validation, seed 4, 240 samples, 5 labels" in first
    assert "fold 3: accuracy" in first and "macro-F1" in first
    assert "Confusion table" in first and "event:0101" in first
    strip = lambda text: [line for line in text.splitlines() if " s)" not in line]  # noqa: E731
    assert strip(run("evaluate", str(path), "--folds", "3", "--seed", "4")) == strip(first)


def test_evaluate_refuses_one_fold(tmp_path):
    path = write_csv(tmp_path / "set.csv", synthetic.generate(40, seed=1, keys=KEYS[:2]))
    with pytest.raises(CommandError):
        run("evaluate", str(path), "--folds", "1")


@pytest.mark.django_db
def test_train_from_a_file_stores_versions_and_activates_the_newest(city, tmp_path):
    path = write_csv(
        tmp_path / "set.csv", synthetic.generate(200, seed=1, keys=KEYS[:5]), names=True
    )
    assert "stored in" in run("train", "--file", str(path))
    run("train", "--file", str(path), "--seed", "1")
    v1, v2 = SuggestionModel.objects.filter(source="file").order_by("version")
    assert v2.version == v1.version + 1
    assert (v1.is_active, v2.is_active) == (False, True)
    assert v2.source == "file" and v2.sample_count == 200 and v2.category_count == 5
    assert v2.report["targets"]["category"]["n"] == 40
    assert len(v2.sha256) == 64


@pytest.mark.django_db
def test_train_refuses_unknown_categories(city, tmp_path):
    samples = synthetic.generate(40, seed=1, keys=KEYS[:2])
    path = write_csv(tmp_path / "set.csv", samples)
    text = path.read_text(encoding="utf-8").replace("event:0101", "event:9999")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown categories: event:9999"):
        run("train", "--file", str(path))


@pytest.mark.django_db
def test_train_from_closed_cases_uses_the_final_category_and_unit(city):
    region = Region.objects.get(code="15020400100105")
    now = timezone.now()
    for i, s in enumerate(synthetic.generate(120, seed=2, keys=KEYS[:4])):
        Case.objects.create(
            code=f"T{i:06d}", channel=Channel.HOTLINE, state=State.CLOSED, title=s.title,
            description=s.description, category=category(s.category), region=region,
            unit=Unit.objects.get(code=s.unit), reported_at=now, closed_at=now,
        )  # fmt: skip
    Case.objects.create(
        code="OPEN1", channel="hotline", title="x", description="y", reported_at=now
    )
    out = run("train", "--from-cases")
    model = SuggestionModel.objects.get(is_active=True)
    assert f"Training on {Case.objects.filter(state='closed').count()} samples" in out
    assert model.source == "cases" and model.category_count >= 4
