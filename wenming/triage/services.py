"""Writes of triage: training and activating suggestion models, storing a case's suggestions
at intake (with the optional auto-accept), and recording which suggestion was taken."""

from __future__ import annotations

import hashlib
import logging
import pickle
import time
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.cases.models import Case, CaseEvent, Category, Visibility
from wenming.cases.routing import unit_for
from wenming.cases.states import Action, State
from wenming.core.errors import InvalidInput, NotFound, PermissionDenied
from wenming.core.scope import has_role
from wenming.org.models import Role, Unit

from . import learn
from .datasets import Labelled, case_document, category_key
from .duplicates import duplicate_candidates
from .models import ModelSource, Suggestion, SuggestionModel, TriageSettings
from .selectors import active_suggester

logger = logging.getLogger(__name__)
SYSTEM_LABEL = "system"
MIN_SAMPLES = 20


def suggestion_model_train(
    *,
    samples: Sequence[Labelled],
    source: str,
    source_detail: str = "",
    seed: int = 0,
    activate: bool = True,
) -> SuggestionModel:
    """Train a new model version on labelled samples, evaluate it on a held-out part, store it
    (the pickled pipeline and its checksum) and make it the active one unless told not to."""
    if source not in ModelSource.values:
        raise InvalidInput(_("Unknown training source."))
    samples = [s for s in samples if s.category]
    if len(samples) < MIN_SAMPLES:
        raise InvalidInput(_("At least %(n)s labelled samples are needed.") % {"n": MIN_SAMPLES})
    started = time.perf_counter()
    docs = [s.doc for s in samples]
    labels = {"category": [s.category for s in samples], "unit": [s.unit for s in samples]}
    try:
        suggester, report = learn.train_calibrated(docs, labels, seed=seed)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    blob = pickle.dumps(suggester, protocol=pickle.HIGHEST_PROTOCOL)
    with transaction.atomic():
        # The max is read under the write lock SQLite/PG take for the insert's unique index.
        version = (SuggestionModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        model = SuggestionModel.objects.create(
            version=version,
            trained_at=timezone.now(),
            source=source,
            source_detail=source_detail[:200],
            sample_count=len(samples),
            category_count=len(suggester.targets["category"].labels),
            unit_count=len(suggester.targets["unit"].labels) if "unit" in suggester.targets else 0,
            training_seconds=round(time.perf_counter() - started, 2),
            report=report,
            pipeline=blob,
            sha256=hashlib.sha256(blob).hexdigest(),
        )
        if activate:
            _activate(model)
    return model


def _activate(model: SuggestionModel) -> None:
    SuggestionModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    SuggestionModel.objects.filter(pk=model.pk).update(is_active=True)
    model.is_active = True


def suggestion_model_activate(*, model_id: int, actor: User) -> SuggestionModel:
    """Make a stored version the active one (e.g. roll back to the previous version)."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied()
    with transaction.atomic():
        try:
            model = SuggestionModel.objects.select_for_update().defer("pipeline").get(pk=model_id)
        except SuggestionModel.DoesNotExist as exc:
            raise NotFound() from exc
        _activate(model)
    return model


# ---------------------------------------------------------------- intake


def _ranked(pairs: list[tuple[str, float]], lookup: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, p in pairs:
        obj = lookup.get(key)
        if obj is not None:
            rows.append({"key": key, "id": obj.pk, "label": str(obj), "p": p})
    return rows


def _predict(case: Case) -> tuple[SuggestionModel | None, dict[str, list[dict[str, Any]]]]:
    active = active_suggester()
    if active is None:
        return None, {"category": [], "unit": []}
    meta, suggester = active
    ranked = suggester.predict_one(case_document(case))
    categories = {
        category_key(c): c
        for c in Category.objects.filter(
            parent__isnull=False,
            is_active=True,
            code__in=[k.split(":")[1] for k, _ in ranked["category"]],
        )
    }
    units = Unit.objects.filter(is_active=True, code__in=[k for k, _ in ranked.get("unit", [])])
    return meta, {
        "category": _ranked(ranked["category"], categories),
        "unit": _ranked(ranked.get("unit", []), {u.code: u for u in units}),
    }


def suggestions_store(*, case_id: int) -> Suggestion:
    """After intake: predict the category and unit, find duplicate candidates, store them on
    the case's Suggestion row, and auto-accept the top category when the admin turned it on."""
    case = Case.objects.select_related("category", "region").get(pk=case_id)
    meta, ranked = _predict(case)
    top = ranked["category"][0] if ranked["category"] else None
    major = None
    if case.category_id is None and top:
        major = Category.objects.filter(pk=top["id"]).values_list("parent_id", flat=True).first()
    duplicates = duplicate_candidates(case=case, major_id=major)
    suggestion, _ = Suggestion.objects.update_or_create(
        case=case,
        defaults={
            "model": meta,
            "model_version": meta.version if meta else None,
            "categories": ranked["category"],
            "units": ranked["unit"],
            "duplicates": [
                {"code": d.case.code, "score": d.score, "distance_m": d.distance_m}
                for d in duplicates
            ],
        },
    )
    threshold = TriageSettings.current().auto_accept_threshold
    if threshold is not None and top and top["p"] >= threshold:
        _auto_accept(
            case_id=case.pk, suggestion=suggestion, top=top, version=meta.version if meta else 0
        )
    return suggestion


def _auto_accept(
    *, case_id: int, suggestion: Suggestion, top: dict[str, Any], version: int
) -> None:
    """Give a submitted case without a category the suggested one (the dispatcher still
    registers it; a category marked auto-dispatch is then dispatched by rule)."""
    with transaction.atomic():
        # Lock: the dispatcher may be registering the case right now.
        case = Case.objects.select_for_update(of=("self",)).select_related("region").get(pk=case_id)
        if case.state != State.SUBMITTED or case.category_id is not None:
            return
        category = Category.objects.get(pk=top["id"])
        case.category = category
        case.proposed_unit = unit_for(category=category, region=case.region)
        case.version += 1
        case.save(update_fields=["category", "proposed_unit", "version", "updated_at"])
        CaseEvent.objects.create(
            case=case,
            action=Action.COMMENT,
            from_state=case.state,
            to_state=case.state,
            actor_label=SYSTEM_LABEL,
            visibility=Visibility.STAFF,
            note=_("Category %(category)s suggested and accepted automatically (p = %(p).2f).")
            % {"category": category, "p": top["p"]},
            data={"triage": "auto_accept", "model_version": version, "p": top["p"]},
            created_at=timezone.now(),
        )
        Suggestion.objects.filter(pk=suggestion.pk).update(auto_accepted=True)


# ---------------------------------------------------------------- production accuracy


def _rank(rows: list[dict[str, Any]], chosen_id: int | None) -> int:
    """1–3: the chosen one's rank among the suggestions; 0: it was none of them."""
    for rank, row in enumerate(rows, start=1):
        if row["id"] == chosen_id:
            return rank
    return 0


def suggestion_record_category(*, case: Case) -> None:
    """At registration: which suggested category the dispatcher took (rank, or 0)."""
    suggestion = Suggestion.objects.filter(case_id=case.pk).first()
    if suggestion is None or not suggestion.categories:
        return
    Suggestion.objects.filter(pk=suggestion.pk).update(
        accepted_rank=_rank(suggestion.categories, case.category_id), accepted_at=timezone.now()
    )


def suggestion_record_unit(*, case: Case) -> None:
    """At dispatch: which suggested unit the case went to (rank, or 0); the last dispatch counts."""
    suggestion = Suggestion.objects.filter(case_id=case.pk).first()
    if suggestion is None or not suggestion.units:
        return
    Suggestion.objects.filter(pk=suggestion.pk).update(
        accepted_unit_rank=_rank(suggestion.units, case.unit_id), unit_accepted_at=timezone.now()
    )
