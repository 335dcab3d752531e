"""What the dispatcher's case page (wenming.cases.views.detail) shows of triage: the stored
suggestions with one-click links that pre-fill the register/dispatch forms (`?use_category=`,
`?use_unit=`), live duplicate candidates with a "merge into this" form (it posts to the case
page's own merge move, so wenming.cases.services.case_merge does the merge), and the reply
checks of the latest feedback for the verifier.

The reporter of a merged duplicate is told through the merge's public timeline event (what
the portal's tracking page shows); nothing is sent through `notify`, because citizens have no
account to receive it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.forms import Form
from django.http import HttpRequest

from wenming.cases.models import Case, Category
from wenming.cases.states import Action, State
from wenming.core.scope import has_role
from wenming.org.models import Role, Unit

from .duplicates import duplicate_candidates
from .replies import flags_from_data
from .selectors import case_suggestion

R = Role
SUGGESTION_ROLES = (R.DISPATCHER, R.OPERATOR, R.ADMIN)
FLAG_ROLES = (R.DISPATCHER, R.OPERATOR, R.INSPECTOR, R.ADMIN)
PREFILL: dict[str, tuple[str, str, type[Category] | type[Unit]]] = {"register": ("category", "use_category", Category), "dispatch": ("unit", "use_unit", Unit),
           "redispatch": ("unit", "use_unit", Unit)}  # fmt: skip


def prefill(request: HttpRequest, panels: Sequence[tuple[Any, Form]]) -> None:
    """Put a suggestion the dispatcher clicked into the register/dispatch form (not submitted)."""
    for spec, form in panels:
        target = PREFILL.get(spec.slug)
        value = request.GET.get(target[1], "") if target else ""
        if not (target and value.isdigit()) or form.is_bound:
            continue
        field, _, model = target
        if model._default_manager.filter(pk=int(value), is_active=True).exists():
            form.initial[field] = int(value)


def _flags(case: Case) -> list[Any]:
    event = case.events.filter(action=Action.FEEDBACK).order_by("-created_at", "-id").first()
    return flags_from_data((event.data or {}).get("reply_flags", [])) if event else []


def case_panel(
    user: User | AnonymousUser, case: Case, moves: Sequence[str]
) -> dict[str, Any] | None:
    """The triage card's context, or None when this user sees nothing of it."""
    sees_suggestions = has_role(user, *SUGGESTION_ROLES)
    sees_flags = has_role(user, *FLAG_ROLES)
    if not (sees_suggestions or sees_flags):
        return None
    panel: dict[str, Any] = {"flags": _flags(case) if sees_flags else []}
    if sees_suggestions:
        suggestion = case_suggestion(case)
        panel["suggestion"] = suggestion
        panel["can_register"] = Action.REGISTER in moves
        panel["can_dispatch"] = Action.DISPATCH in moves or Action.REDISPATCH in moves
        panel["can_merge"] = Action.MERGE in moves
        major = None
        if case.category_id is None and suggestion and suggestion.categories:
            major = (
                Category.objects.filter(pk=suggestion.categories[0]["id"])
                .values_list("parent_id", flat=True)
                .first()
            )
        panel["duplicates"] = (
            duplicate_candidates(case=case, major_id=major) if case.state == State.SUBMITTED else []
        )
    if not any(panel.get(k) for k in ("flags", "suggestion", "duplicates")):
        return None
    return panel
