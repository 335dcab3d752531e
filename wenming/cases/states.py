"""The case state machine: the one table of allowed moves (ARCHITECTURE §3).

Only services in `services.py` change `Case.state`, and each does it through `check_move`,
which refuses a move the table does not allow with a translated domain error.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import IllegalTransition


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    HANDLED = "handled", _("Handled")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    REGISTER = "register", _("Registered")
    REJECT = "reject", _("Not registered")
    ANSWER = "answer", _("Answered directly")
    MERGE = "merge", _("Merged as a duplicate")
    DISPATCH = "dispatch", _("Dispatched")
    REDISPATCH = "redispatch", _("Re-dispatched")
    SIGN = "sign", _("Signed for")
    RETURN_REQUEST = "return_request", _("Return requested")
    RETURN_APPROVE_LEAD = "return_lead_ok", _("Return approved by the unit lead")
    RETURN = "return", _("Returned")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_APPROVE_LEAD = "extension_lead_ok", _("Extension approved by the unit lead")
    EXTENSION_APPROVE = "extension_approve", _("Extension approved")
    REQUEST_REJECT = "request_reject", _("Request turned down")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    FEEDBACK = "feedback", _("Handling reported")
    VERIFY_PASS = "verify_pass", _("Verified on site")
    VERIFY_FAIL = "verify_fail", _("Sent back for rework")
    CLOSE = "close", _("Closed")
    CALLBACK = "callback", _("Callback")
    RATE = "rate", _("Rated")
    REOPEN = "reopen", _("Reopened")
    SUPERVISE = "supervise", _("Supervised")
    WARN = "warn", _("Deadline warning")
    COMMENT = "comment", _("Note")


# state → {action: next state}. Actions that keep the state (requests, suspension, callback,
# supervision) are allowed in the states listed in STAYING.
MOVES: dict[str, dict[str, str]] = {
    State.SUBMITTED: {
        Action.REGISTER: State.REGISTERED,
        Action.REJECT: State.REJECTED,
        Action.ANSWER: State.CLOSED,
        Action.MERGE: State.MERGED,
    },
    State.REGISTERED: {
        Action.DISPATCH: State.DISPATCHED,
        Action.MERGE: State.MERGED,
    },
    State.DISPATCHED: {
        Action.SIGN: State.IN_PROGRESS,
        Action.RETURN: State.REGISTERED,
        Action.REDISPATCH: State.DISPATCHED,
    },
    State.IN_PROGRESS: {
        Action.FEEDBACK: State.HANDLED,
        Action.RETURN: State.REGISTERED,
        Action.REDISPATCH: State.DISPATCHED,
    },
    State.HANDLED: {
        Action.VERIFY_PASS: State.VERIFIED,
        Action.VERIFY_FAIL: State.IN_PROGRESS,
    },
    State.VERIFIED: {
        Action.CLOSE: State.CLOSED,
    },
    State.CLOSED: {
        Action.REOPEN: State.REGISTERED,
    },
    State.REJECTED: {},
    State.MERGED: {},
}

STAYING: dict[str, set[str]] = {
    Action.RETURN_REQUEST: {State.DISPATCHED, State.IN_PROGRESS},
    Action.RETURN_APPROVE_LEAD: {State.DISPATCHED, State.IN_PROGRESS},
    Action.EXTENSION_REQUEST: {State.IN_PROGRESS},
    Action.EXTENSION_APPROVE_LEAD: {State.IN_PROGRESS},
    Action.EXTENSION_APPROVE: {State.IN_PROGRESS},
    Action.REQUEST_REJECT: {State.DISPATCHED, State.IN_PROGRESS},
    Action.SUSPEND: {State.IN_PROGRESS},
    Action.RESUME: {State.IN_PROGRESS},
    Action.CALLBACK: {State.CLOSED},
    Action.RATE: {State.CLOSED},
    Action.SUPERVISE: {State.REGISTERED, State.DISPATCHED, State.IN_PROGRESS, State.HANDLED},
    Action.WARN: {State.DISPATCHED, State.IN_PROGRESS, State.HANDLED},
    Action.COMMENT: set(State.values),
}

OPEN_STATES = (State.REGISTERED, State.DISPATCHED, State.IN_PROGRESS, State.HANDLED, State.VERIFIED)
TERMINAL_STATES = (State.CLOSED, State.REJECTED, State.MERGED)


def next_state(state: str, action: str) -> str:
    """The state after `action`, or IllegalTransition when the table does not allow it."""
    if action in MOVES.get(state, {}):
        return MOVES[state][action]
    if state in STAYING.get(action, set()):
        return state
    raise IllegalTransition(
        _("“%(action)s” is not possible while the case is “%(state)s”.")
        % {"action": Action(action).label, "state": State(state).label}
    )


def allowed_actions(state: str) -> set[str]:
    return set(MOVES.get(state, {})) | {a for a, states in STAYING.items() if state in states}
