"""wenming triage train [--from-cases | --file X.xlsx|.csv] [--seed N] [--no-activate]
wenming triage evaluate FILE [--folds 5] [--seed 0] [--target category|unit]

`train` stores a new model version (evaluated on a held-out fifth) and activates it.
`evaluate` runs k-fold cross-validation of a labelled file and prints accuracy, macro-F1,
top-3 accuracy per fold and overall, and a confusion table; the same seed gives the same
numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wenming.core.errors import DomainError
from wenming.triage import datasets, learn
from wenming.triage.models import ModelSource
from wenming.triage.services import suggestion_model_train

MATRIX_MAX_LABELS = 12


class Command(BaseCommand):
    help = "Train and evaluate the category/unit suggestion model."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="Train a new model version and activate it.")
        source = train.add_mutually_exclusive_group()
        source.add_argument("--from-cases", action="store_true", help="Closed cases (default).")
        source.add_argument("--file", type=Path, help="A labelled .xlsx or .csv file.")
        train.add_argument("--seed", type=int, default=0)
        train.add_argument("--no-activate", action="store_true")
        evaluate = sub.add_parser("evaluate", help="k-fold cross-validation of a labelled file.")
        evaluate.add_argument("file", type=Path)
        evaluate.add_argument("--folds", type=int, default=5)
        evaluate.add_argument("--seed", type=int, default=0)
        evaluate.add_argument("--target", choices=["category", "unit"], default="category")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "train":
                self._train(options)
            else:
                self._evaluate(options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def _train(self, options: dict[str, Any]) -> None:
        if options["file"]:
            samples = datasets.resolve(datasets.from_file(options["file"]))
            source, detail = ModelSource.FILE, options["file"].name
        else:
            samples, source, detail = datasets.from_cases(), ModelSource.CASES, ""
        self.stdout.write(f"Training on {len(samples)} samples…")
        model = suggestion_model_train(
            samples=samples,
            source=source,
            source_detail=detail,
            seed=options["seed"],
            activate=not options["no_activate"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Model v{model.version} stored in {model.training_seconds:.1f} s"
                f"{' and activated' if model.is_active else ''}."
            )
        )
        for name, scores in model.report.get("targets", {}).items():
            self.stdout.write(
                f"  {name}: held-out accuracy {scores['accuracy']:.3f}, macro-F1 "
                f"{scores['macro_f1']:.3f}, top-3 {scores['top3_accuracy']:.3f} (n={scores['n']})"
            )

    def _evaluate(self, options: dict[str, Any]) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2.")
        samples = datasets.from_file(options["file"])
        labels = [s.category if options["target"] == "category" else s.unit for s in samples]
        report = learn.cross_validate(
            [s.doc for s in samples], labels, folds=options["folds"], seed=options["seed"]
        )
        self.stdout.write(format_report(report, options["folds"]))


def format_report(report: dict[str, Any], folds: int) -> str:
    """The evaluation as text: per fold, overall, and the confusion table."""
    lines = [
        f"{folds}-fold cross-validation, seed {report['seed']}, {report['n']} samples, "
        f"{len(report['labels'])} labels ({report['seconds']} s)"
    ]
    if report["dropped"]:
        lines.append(
            f"Left out (fewer than {learn.MIN_PER_LABEL} samples): {', '.join(report['dropped'])}"
        )
    for i, fold in enumerate(report["folds"], start=1):
        lines.append(
            f"  fold {i}: accuracy {fold['accuracy']:.4f}  macro-F1 {fold['macro_f1']:.4f}"
            f"  top-3 {fold['top3_accuracy']:.4f}  (n={fold['n']})"
        )
    lines.append(
        f"accuracy {report['accuracy']:.4f}  macro-F1 {report['macro_f1']:.4f}"
        f"  top-3 accuracy {report['top3_accuracy']:.4f}"
    )
    return "\n".join(lines + ["", *confusion_table(report["labels"], report["confusion"])])


def confusion_table(labels: list[str], matrix: list[list[int]]) -> list[str]:
    """The full matrix for few labels; otherwise per true label its recall and top confusions."""
    if len(labels) <= MATRIX_MAX_LABELS:
        width = max(len(label) for label in labels) + 1
        head = "true \\ predicted".ljust(width) + "".join(f"{i + 1:>6}" for i in range(len(labels)))
        rows = [
            f"{label:<{width}}" + "".join(f"{n:>6}" for n in row)
            for label, row in zip(labels, matrix, strict=True)
        ]
        key = [f"  {i + 1}: {label}" for i, label in enumerate(labels)]
        return ["Confusion table (rows: true label, columns: predicted):", head, *rows, *key]
    lines = ["Confusion table (true label: support, recall, most frequent wrong predictions):"]
    for i, (label, row) in enumerate(zip(labels, matrix, strict=True)):
        support = sum(row)
        wrong = sorted(((n, labels[j]) for j, n in enumerate(row) if j != i and n), reverse=True)[
            :3
        ]
        confused = ", ".join(f"{name} ×{n}" for n, name in wrong) or "—"
        lines.append(
            f"  {label}: {support}, recall {row[i] / support if support else 0:.3f}; {confused}"
        )
    return lines
