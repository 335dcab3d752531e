"""The model itself: training, prediction, calibration, k-fold evaluation (no database)."""

from __future__ import annotations

import pickle

import pytest

from wenming.triage import learn, synthetic
from wenming.triage.text import document

from .conftest import KEYS


def docs(samples):
    return [document(s.title, s.description, s.region_codes) for s in samples]


@pytest.fixture(scope="module")
def model():
    samples = synthetic.generate(40 * len(KEYS), seed=1, keys=KEYS)
    labels = {"category": [s.category for s in samples], "unit": [s.unit for s in samples]}
    suggester, report = learn.train_calibrated(docs(samples), labels, seed=0)
    return suggester, report


def test_it_finds_the_category_in_the_top3_for_heldout_phrasings(model):
    suggester, _ = model
    heldout = synthetic.generate(300, seed=9, phrasing="heldout", keys=KEYS)
    ranked = suggester.predict(docs(heldout))
    top3 = sum(
        s.category in [k for k, _ in r["category"]] for s, r in zip(heldout, ranked, strict=True)
    )
    top1 = sum(s.category == r["category"][0][0] for s, r in zip(heldout, ranked, strict=True))
    assert top3 / len(heldout) >= 0.95
    assert top1 / len(heldout) >= 0.85


def test_it_suggests_three_ranked_probabilities(model):
    suggester, _ = model
    result = suggester.predict_one(
        document("幸福社区暖气不热", "家里暖气一点都不热，室温只有十二度", ["150204003000"])
    )
    probabilities = [p for _, p in result["category"]]
    assert len(result["category"]) == 3 and len(result["unit"]) == 3
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 <= sum(probabilities) <= 1.0001
    assert result["category"][0][0] == "event:1201"
    assert result["unit"][0][0] == "BT-RQ"


def test_the_fast_path_matches_the_batch_prediction_and_survives_pickling(model):
    suggester, _ = model
    heldout = docs(synthetic.generate(20, seed=5, phrasing="heldout", keys=KEYS))
    batch = suggester.predict(heldout)
    restored = pickle.loads(pickle.dumps(suggester))  # noqa: S301 — our own object
    for doc, expected in zip(heldout, batch, strict=True):
        got = restored.predict_one(doc)
        assert [k for k, _ in got["category"]] == [k for k, _ in expected["category"]]
        assert got["category"][0][1] == pytest.approx(expected["category"][0][1], abs=1e-3)


def test_the_report_has_held_out_scores_and_a_fitted_temperature(model):
    _, report = model
    category = report["targets"]["category"]
    assert category["n"] == round(40 * len(KEYS) * 0.2)
    assert 0.8 <= category["accuracy"] <= 1 and 0 < category["macro_f1"] <= 1
    assert report["temperatures"]["category"] > 0


def test_cross_validation_is_reproducible_with_a_seed():
    samples = synthetic.generate(300, seed=2, keys=KEYS[:6])
    labels = [s.category for s in samples]
    first = learn.cross_validate(docs(samples), labels, folds=3, seed=7)
    again = learn.cross_validate(docs(samples), labels, folds=3, seed=7)
    other = learn.cross_validate(docs(samples), labels, folds=3, seed=8)
    keys = ("accuracy", "macro_f1", "top3_accuracy", "folds", "confusion")
    assert {k: first[k] for k in keys} == {k: again[k] for k in keys}
    assert len(first["folds"]) == 3 and sum(f["n"] for f in first["folds"]) == 300
    assert sum(map(sum, first["confusion"])) == 300
    assert [f["n"] for f in other["folds"]] == [f["n"] for f in first["folds"]]


def test_labels_with_too_few_examples_are_left_out():
    samples = synthetic.generate(120, seed=4, keys=KEYS[:3])
    labels = [s.category for s in samples]
    labels[0] = "event:9999"  # a single example
    suggester = learn.train(docs(samples), {"category": labels})
    assert "event:9999" not in suggester.targets["category"].labels
    assert suggester.targets["category"].dropped == ["event:9999"]


def test_training_needs_two_learnable_labels():
    samples = synthetic.generate(30, seed=4, keys=KEYS[:1])
    with pytest.raises(ValueError):
        learn.train(docs(samples), {"category": [s.category for s in samples]})
