"""The suggestion model: TF-IDF over words (rjieba) and character n-grams, then one linear
classifier per target (category, unit) with calibrated probabilities. Plain Python objects
only — no database — so the command line, the benchmark and the tests share it.

Classifier: SGDClassifier (hinge loss, averaged, one-vs-rest) — it trains 100,000 cases in
about a minute on two cores, where logistic regression took several. Its scores become
probabilities through a softmax whose temperature is fitted on held-out cases (temperature
scaling: one parameter, minimising the held-out log-loss), so "0.8" means right about 80 % of
the time. Prediction is then one sparse product and a softmax (well under a millisecond);
the coefficients are kept as float32 in a plain `LinearScorer`, which keeps the pickled model
small and independent of scikit-learn's estimator internals.
Labels with fewer than MIN_PER_LABEL samples are left out and listed in `Target.dropped`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import FeatureUnion

from .text import char_text, word_analyzer

MIN_PER_LABEL = 5
REFIT_BELOW = 20_000
TOP_K = 3
Ranked = list[tuple[str, float]]


def vectorizer(max_features: int = 50_000) -> FeatureUnion:
    """Word unigrams/bigrams + region features, and character 2–3-grams, both TF-IDF."""
    words = TfidfVectorizer(
        analyzer=word_analyzer,
        sublinear_tf=True,
        min_df=2,
        max_features=max_features,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        analyzer="char",
        preprocessor=char_text,
        ngram_range=(2, 3),
        sublinear_tf=True,
        min_df=2,
        max_features=max_features,
        dtype=np.float32,
    )
    return FeatureUnion([("words", words), ("chars", chars)])


@dataclass
class LinearScorer:
    """Class scores X·Wᵀ + b of a trained linear classifier, and their calibrated softmax."""

    classes: np.ndarray
    coef: np.ndarray  # (features, classes), float32
    intercept: np.ndarray
    temperature: float = 1.0

    @classmethod
    def fit(cls, matrix: Any, labels: Sequence[str], *, seed: int) -> LinearScorer:
        model = SGDClassifier(
            loss="hinge",
            alpha=1e-5,
            average=True,
            max_iter=5,
            tol=None,
            random_state=seed,
            n_jobs=-1,
        )
        model.fit(matrix, labels)
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # one score d for the second class: use (-d/2, d/2)
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-1, 1]) * intercept / 2
        # Stored feature-major: a prediction gathers the rows of the features a text has.
        rows = np.ascontiguousarray(coef.T, dtype=np.float32)
        return cls(model.classes_, rows, intercept.astype(np.float32))

    def scores(self, matrix: Any) -> np.ndarray:
        return np.asarray(matrix @ self.coef) + self.intercept

    def proba(self, matrix: Any) -> np.ndarray:
        return _softmax(self.scores(matrix) / self.temperature)

    def proba_one(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """The calibrated probabilities of one text given as its non-zero features."""
        z = values @ self.coef[indices] + self.intercept
        return _softmax(z[None, :] / self.temperature)[0]

    def calibrate(self, matrix: Any, labels: Sequence[str]) -> None:
        """Fit the temperature on held-out samples (labels unknown to the model are skipped)."""
        index = {label: i for i, label in enumerate(self.classes)}
        rows = [i for i, label in enumerate(labels) if label in index]
        if not rows:
            return
        scores = self.scores(matrix[rows])
        truth = np.array([index[labels[i]] for i in rows])

        def loss(log_t: float) -> float:
            p = _softmax(scores / np.exp(log_t))[np.arange(len(truth)), truth]
            return float(-np.log(np.clip(p, 1e-12, 1)).mean())

        self.temperature = float(np.exp(minimize_scalar(loss, bounds=(-6, 4), method="bounded").x))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def keep_learnable(labels: Sequence[str]) -> tuple[list[int], list[str]]:
    """Indexes of samples whose label has enough examples, and the labels left out."""
    counts = Counter(labels)
    dropped = sorted(label for label, n in counts.items() if label and n < MIN_PER_LABEL)
    keep = [i for i, label in enumerate(labels) if label and counts[label] >= MIN_PER_LABEL]
    return keep, dropped


@dataclass
class Target:
    """One trained classifier (category or unit) over the shared features."""

    scorer: LinearScorer
    dropped: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.scorer.classes]


class FastFeatures:
    """The fitted vectorizers' transform for one text without scikit-learn's per-call checks
    (which cost milliseconds): the same analyzers, vocabulary, sublinear tf, idf and l2 norm."""

    def __init__(self, features: FeatureUnion) -> None:
        self.parts = []
        offset = 0
        for _, part in features.transformer_list:
            self.parts.append((part.build_analyzer(), part.vocabulary_, part.idf_, offset))
            offset += len(part.vocabulary_)

    def transform_one(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        indices: list[int] = []
        values: list[np.ndarray] = []
        for analyze, vocabulary, idf, offset in self.parts:
            counts = Counter(map(vocabulary.get, analyze(doc)))  # in C, not a generator
            counts.pop(None, None)  # terms outside the vocabulary
            if not counts:
                continue
            local = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            weights = tf * idf[local]
            values.append(weights / np.linalg.norm(weights))
            indices.extend((local + offset).tolist())
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.asarray(indices), np.concatenate(values).astype(np.float32)


@dataclass
class Suggester:
    """The trained pipeline: features and one classifier per target. Pickled into the DB."""

    features: FeatureUnion
    targets: dict[str, Target]
    _fast: FastFeatures | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"features": self.features, "targets": self.targets, "_fast": None}

    def predict_one(self, doc: str, k: int = TOP_K) -> dict[str, Ranked]:
        """The top-k (label, probability) of each target for one document, fast (a request)."""
        if self._fast is None:
            self._fast = FastFeatures(self.features)
        indices, values = self._fast.transform_one(doc)
        result = {}
        for name, target in self.targets.items():
            row = target.scorer.proba_one(indices, values)
            best = np.argsort(row)[::-1][:k]
            classes = target.scorer.classes
            result[name] = [(str(classes[i]), round(float(row[i]), 4)) for i in best]
        return result

    def predict(self, docs: Sequence[str], k: int = TOP_K) -> list[dict[str, Ranked]]:
        """For each document: {target: [(label, probability)] best first, at most k}."""
        matrix = self.features.transform(list(docs))
        results: list[dict[str, Ranked]] = [{} for _ in docs]
        for name, target in self.targets.items():
            probabilities = target.scorer.proba(matrix)
            classes = target.scorer.classes
            for row, result in zip(probabilities, results, strict=True):
                best = np.argsort(row)[::-1][:k]
                result[name] = [(str(classes[i]), round(float(row[i]), 4)) for i in best]
        return results

    def calibrate(self, docs: Sequence[str], labels: Mapping[str, Sequence[str]]) -> None:
        """Fit each target's temperature on held-out documents."""
        matrix = self.features.transform(list(docs)).tocsr()
        for name, target in self.targets.items():
            if name in labels:
                target.scorer.calibrate(matrix, list(labels[name]))

    def temperatures(self) -> dict[str, float]:
        return {name: round(t.scorer.temperature, 4) for name, t in self.targets.items()}


def _fit_target(matrix: Any, labels: Sequence[str], seed: int) -> Target:
    keep, dropped = keep_learnable(labels)
    kept = [labels[i] for i in keep]
    if len(set(kept)) < 2:
        raise ValueError(
            f"At least two labels with {MIN_PER_LABEL} or more examples are needed to train."
        )
    return Target(LinearScorer.fit(matrix[keep], kept, seed=seed), dropped)


def train(docs: Sequence[str], labels: Mapping[str, Sequence[str]], *, seed: int = 0) -> Suggester:
    """Fit the features on all documents and one classifier per target (an empty label
    leaves a sample out of that target). Probabilities are uncalibrated until `calibrate`."""
    features = vectorizer()
    matrix = features.fit_transform(list(docs)).tocsr()
    targets = {}
    for name, values in labels.items():
        if any(values):
            targets[name] = _fit_target(matrix, list(values), seed)
    return Suggester(features, targets)


def _subset(
    docs: Sequence[str], labels: Mapping[str, Sequence[str]], rows: Sequence[int]
) -> tuple[list[str], dict[str, list[str]]]:
    return [docs[i] for i in rows], {k: [v[i] for i in rows] for k, v in labels.items()}


def train_calibrated(
    docs: Sequence[str],
    labels: Mapping[str, Sequence[str]],
    *,
    seed: int = 0,
    holdout: float = 0.2,
) -> tuple[Suggester, dict[str, Any]]:
    """What `triage train` does: fit on (1 - holdout), score and fit the temperatures on the
    held-out part, then refit on everything and keep those temperatures — unless there are
    REFIT_BELOW samples or more: then the 80 % already teach all there is and the refit would
    double the training time, so the evaluated model itself is kept. Returns the model and its
    evaluation report (held-out accuracy, macro-F1, top-3 accuracy per target)."""
    started = time.perf_counter()
    train_i, test_i = _split(labels, len(docs), holdout, seed)
    probe = train(*_subset(docs, labels, train_i), seed=seed)
    test_docs, test_labels = _subset(docs, labels, test_i)
    probe.calibrate(test_docs, test_labels)
    ranked = probe.predict(test_docs)
    report: dict[str, Any] = {"holdout": holdout, "seed": seed, "targets": {}}
    for name in probe.targets:
        scores = _scores(test_labels[name], [r[name] for r in ranked])
        scores.pop("pairs")
        scores["dropped"] = probe.targets[name].dropped
        report["targets"][name] = scores
    report["refit"] = len(docs) < REFIT_BELOW
    if not report["refit"]:
        report["temperatures"] = probe.temperatures()
        report["seconds"] = round(time.perf_counter() - started, 2)
        return probe, report
    model = train(docs, labels, seed=seed)
    for name, target in model.targets.items():
        if name in probe.targets:
            target.scorer.temperature = probe.targets[name].scorer.temperature
    report["temperatures"] = model.temperatures()
    report["seconds"] = round(time.perf_counter() - started, 2)
    return model, report


def _split(
    labels: Mapping[str, Sequence[str]], n: int, holdout: float, seed: int
) -> tuple[list[int], list[int]]:
    primary = list(labels.get("category") or next(iter(labels.values())))
    counts = Counter(primary)
    stratify = primary if counts and min(counts.values()) >= 2 else None
    train_i, test_i = train_test_split(
        list(range(n)), test_size=holdout, random_state=seed, stratify=stratify
    )
    return list(train_i), list(test_i)


# ---------------------------------------------------------------- evaluation


def _scores(truth: Sequence[str], ranked: Sequence[list[tuple[str, float]]]) -> dict[str, Any]:
    predicted = [r[0][0] if r else "" for r in ranked]
    top3 = [t in {label for label, _ in r} for t, r in zip(truth, ranked, strict=True)]
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "top3_accuracy": round(sum(top3) / max(1, len(top3)), 4),
        "pairs": list(zip(truth, predicted, strict=True)),
    }


def cross_validate(
    docs: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """k-fold cross-validation of one target: accuracy and macro-F1 per fold and overall,
    top-3 accuracy and the confusion matrix over all folds. Reproducible for a seed."""
    keep, dropped = keep_learnable(labels)
    docs = [docs[i] for i in keep]
    labels = [labels[i] for i in keep]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    truth: list[str] = []
    ranked: list[list[tuple[str, float]]] = []
    per_fold = []
    started = time.perf_counter()
    for train_i, test_i in splitter.split(docs, labels):
        model = train([docs[i] for i in train_i], {"y": [labels[i] for i in train_i]}, seed=seed)
        fold_ranked = [r["y"] for r in model.predict([docs[i] for i in test_i])]
        fold_truth = [labels[i] for i in test_i]
        scores = _scores(fold_truth, fold_ranked)
        per_fold.append({k: scores[k] for k in ("n", "accuracy", "macro_f1", "top3_accuracy")})
        truth += fold_truth
        ranked += fold_ranked
    overall = _scores(truth, ranked)
    names = sorted(set(labels))
    predicted = [p for _, p in overall.pop("pairs")]
    matrix = confusion_matrix(truth, predicted, labels=names)
    return {
        **overall,
        "folds": per_fold,
        "seed": seed,
        "labels": names,
        "confusion": matrix.tolist(),
        "dropped": dropped,
        "seconds": round(time.perf_counter() - started, 2),
    }
