"""The case page's action forms: one entry per move, saying which form it uses and which
service it calls. `moves_for` decides which entries a user sees; the service decides again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import InvalidInput

from .. import forms, services
from ..models import Case
from ..selectors import case_get_for
from ..states import Action

Perform = Callable[[Case, User, dict[str, Any]], object]


@dataclass(frozen=True)
class ActionSpec:
    slug: str  # the URL segment and the form prefix
    move: str  # the Action whose presence in moves_for shows the form
    title: str | Promise
    form: type[forms.ActionForm]
    perform: Perform
    button: str | Promise
    style: str = "primary"
    shown: Callable[[Case], bool] = lambda case: True

    @property
    def multipart(self) -> bool:
        return any(isinstance(f, forms.MultiplePhotoField) for f in self.form.base_fields.values())


def _v(data: dict[str, Any]) -> int:
    return int(data["expected_version"])


def _merge(case: Case, user: User, d: dict[str, Any]) -> Case:
    try:
        into = case_get_for(user, d["into"].strip())
    except Http404 as exc:
        raise InvalidInput(_t("No case with this code in your scope.")) from exc
    return services.case_merge(
        case_id=case.pk, actor=user, into=into, note=d["note"], expected_version=_v(d)
    )


def _callback(case: Case, user: User, d: dict[str, Any]) -> object:
    return services.case_rate(
        case_id=case.pk,
        actor=user,
        via_callback=True,
        satisfaction=d["satisfaction"],
        resolved=d["resolved"],
        comment=d["comment"],
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "register",
        Action.REGISTER,
        _("Register (立案)"),
        forms.RegisterForm,
        lambda c, u, d: services.case_register(
            case_id=c.pk,
            actor=u,
            category=d["category"],
            urgency=d["urgency"],
            nature=d["nature"],
            note=d["note"],
            expected_version=_v(d),
        ),
        _("Register"),
    ),
    ActionSpec(
        "answer",
        Action.ANSWER,
        _("Answer directly"),
        forms.AnswerForm,
        lambda c, u, d: services.case_answer(
            case_id=c.pk, actor=u, answer=d["answer"], expected_version=_v(d)
        ),
        _("Answer and close"),
        "outline-primary",
    ),
    ActionSpec(
        "merge",
        Action.MERGE,
        _("Merge as a duplicate"),
        forms.MergeForm,
        _merge,
        _("Merge"),
        "outline-secondary",
    ),
    ActionSpec(
        "reject",
        Action.REJECT,
        _("Do not register"),
        forms.ReasonForm,
        lambda c, u, d: services.case_reject(
            case_id=c.pk, actor=u, reason=d["reason"], expected_version=_v(d)
        ),
        _("Reject"),
        "outline-danger",
    ),
    ActionSpec(
        "dispatch",
        Action.DISPATCH,
        _("Dispatch"),
        forms.DispatchForm,
        lambda c, u, d: services.case_dispatch(
            case_id=c.pk, actor=u, unit=d["unit"], note=d["note"], expected_version=_v(d)
        ),
        _("Dispatch"),
    ),
    ActionSpec(
        "sign",
        Action.SIGN,
        _("Sign for the case"),
        forms.ActionForm,
        lambda c, u, d: services.case_sign(case_id=c.pk, actor=u, expected_version=_v(d)),
        _("Sign"),
    ),
    ActionSpec(
        "feedback",
        Action.FEEDBACK,
        _("Report it handled"),
        forms.FeedbackForm,
        lambda c, u, d: services.case_feedback(
            case_id=c.pk, actor=u, text=d["text"], photos=d["photos"], expected_version=_v(d)
        ),
        _("Send feedback"),
        shown=lambda case: not case.is_suspended,
    ),
    ActionSpec(
        "verify",
        Action.VERIFY_PASS,
        _("Verify on site"),
        forms.VerifyForm,
        lambda c, u, d: services.case_verify(
            case_id=c.pk,
            actor=u,
            passed=d["passed"],
            note=d["note"],
            photos=d["photos"],
            expected_version=_v(d),
        ),
        _("Record the result"),
    ),
    ActionSpec(
        "close",
        Action.CLOSE,
        _("Close the case"),
        forms.NoteForm,
        lambda c, u, d: services.case_close(
            case_id=c.pk, actor=u, note=d["note"], expected_version=_v(d)
        ),
        _("Close"),
        "success",
    ),
    ActionSpec(
        "callback",
        Action.CALLBACK,
        _("Callback (回访)"),
        forms.CallbackForm,
        _callback,
        _("Record the callback"),
    ),
    ActionSpec(
        "reopen",
        Action.REOPEN,
        _("Reopen (重办)"),
        forms.ReasonForm,
        lambda c, u, d: services.case_reopen(
            case_id=c.pk, actor=u, reason=d["reason"], expected_version=_v(d)
        ),
        _("Reopen"),
        "outline-danger",
    ),
    ActionSpec(
        "return_request",
        Action.RETURN_REQUEST,
        _("Ask to return the case"),
        forms.ReasonForm,
        lambda c, u, d: services.case_request_return(
            case_id=c.pk, actor=u, reason=d["reason"], expected_version=_v(d)
        ),
        _("Request return"),
        "outline-secondary",
    ),
    ActionSpec(
        "extension_request",
        Action.EXTENSION_REQUEST,
        _("Ask for more time"),
        forms.ExtensionForm,
        lambda c, u, d: services.case_request_extension(
            case_id=c.pk,
            actor=u,
            reason=d["reason"],
            extra_days=d["extra_days"],
            expected_version=_v(d),
        ),
        _("Request extension"),
        "outline-secondary",
    ),
    ActionSpec(
        "redispatch",
        Action.REDISPATCH,
        _("Re-dispatch to another unit"),
        forms.RedispatchForm,
        lambda c, u, d: services.case_redispatch(
            case_id=c.pk, actor=u, unit=d["unit"], note=d["note"], expected_version=_v(d)
        ),
        _("Re-dispatch"),
        "outline-primary",
    ),
    ActionSpec(
        "suspend",
        Action.SUSPEND,
        _("Suspend (the clock stops)"),
        forms.ReasonForm,
        lambda c, u, d: services.case_suspend(
            case_id=c.pk, actor=u, reason=d["reason"], expected_version=_v(d)
        ),
        _("Suspend"),
        "outline-secondary",
        shown=lambda case: not case.is_suspended,
    ),
    ActionSpec(
        "resume",
        Action.RESUME,
        _("Resume"),
        forms.NoteForm,
        lambda c, u, d: services.case_resume(
            case_id=c.pk, actor=u, note=d["note"], expected_version=_v(d)
        ),
        _("Resume"),
        shown=lambda case: case.is_suspended,
    ),
    ActionSpec(
        "supervise",
        Action.SUPERVISE,
        _("Supervise (督办)"),
        forms.RequiredNoteForm,
        lambda c, u, d: services.case_supervise(
            case_id=c.pk, actor=u, note=d["note"], expected_version=_v(d)
        ),
        _("Supervise"),
        "outline-warning",
    ),
    ActionSpec(
        "comment",
        Action.COMMENT,
        _("Add a note"),
        forms.CommentForm,
        lambda c, u, d: services.case_comment(
            case_id=c.pk, actor=u, note=d["note"], visibility=d["visibility"]
        ),
        _("Add note"),
        "outline-secondary",
    ),
)
BY_SLUG = {spec.slug: spec for spec in SPECS}


def initial_for(spec: ActionSpec, case: Case) -> dict[str, object]:
    """What a fresh form shows: the case's version, and its current values where useful."""
    initial: dict[str, object] = {"expected_version": case.version}
    if spec.slug == "register":
        initial |= {"category": case.category_id, "urgency": case.urgency, "nature": case.nature}
    if spec.slug in ("dispatch", "redispatch"):
        initial["unit"] = case.proposed_unit_id
    return initial


def blank_form(spec: ActionSpec, case: Case) -> forms.ActionForm:
    return spec.form(prefix=spec.slug, initial=initial_for(spec, case))


def specs_for(moves: list[str], case: Case) -> list[ActionSpec]:
    """The action forms to show: those whose move the user may make now."""
    return [s for s in SPECS if s.move in moves and s.shown(case)]
