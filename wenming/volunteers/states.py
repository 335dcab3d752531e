"""The four orders (四单) as a state machine: the one table of allowed moves of a need.

A citizen or community posts a need (点单) → center staff accept it and dispatch it to a team
(派单) or publish it as an activity → a volunteer of the team takes it (接单) → the service is
done → the requester rates it (评单). Only services change `Need.state`, each through
`next_state`, and each move writes a NeedEvent in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import IllegalTransition


class NeedState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched to a team")
    PUBLISHED = "published", _("Published as an activity")
    TAKEN = "taken", _("Taken")
    SERVED = "served", _("Served")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed without rating")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class NeedAction(models.TextChoices):
    SUBMIT = "submit", _("Posted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")
    DISPATCH = "dispatch", _("Dispatched")
    PUBLISH = "publish", _("Published as an activity")
    DECLINE = "decline", _("Declined by the team")
    TAKE = "take", _("Taken")
    COMPLETE = "complete", _("Service completed")
    RATE = "rate", _("Rated")
    CLOSE = "close", _("Closed")
    CANCEL = "cancel", _("Cancelled")
    NOTE = "note", _("Note")


S, A = NeedState, NeedAction
MOVES: dict[str, dict[str, str]] = {
    S.SUBMITTED: {A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.CANCEL: S.CANCELLED},
    S.ACCEPTED: {A.DISPATCH: S.DISPATCHED, A.PUBLISH: S.PUBLISHED, A.CANCEL: S.CANCELLED},
    S.DISPATCHED: {A.TAKE: S.TAKEN, A.DECLINE: S.ACCEPTED, A.CANCEL: S.CANCELLED},
    S.PUBLISHED: {A.COMPLETE: S.SERVED, A.CANCEL: S.CANCELLED},
    S.TAKEN: {A.COMPLETE: S.SERVED},
    S.SERVED: {A.RATE: S.RATED, A.CLOSE: S.CLOSED},
    S.RATED: {},
    S.CLOSED: {},
    S.REJECTED: {},
    S.CANCELLED: {},
}
STAYING: dict[str, set[str]] = {A.NOTE: set(S.values)}

OPEN_STATES = (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.PUBLISHED, S.TAKEN, S.SERVED)
TERMINAL_STATES = (S.RATED, S.CLOSED, S.REJECTED, S.CANCELLED)


def next_state(state: str, action: str) -> str:
    """The state after `action`, or IllegalTransition when the table does not allow it."""
    if action in MOVES.get(state, {}):
        return MOVES[state][action]
    if state in STAYING.get(action, set()):
        return state
    raise IllegalTransition(
        _("“%(action)s” is not possible while the need is “%(state)s”.")
        % {"action": NeedAction(action).label, "state": NeedState(state).label}
    )


def allowed_actions(state: str) -> set[str]:
    return set(MOVES.get(state, {})) | {a for a, states in STAYING.items() if state in states}
