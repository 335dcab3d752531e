"""Writes of the hotline: taking a call (file the case and end it in one transaction, once per
form token), the knowledge base and known places."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenming.cases import services as cases
from wenming.cases.models import Case, Category, Channel, Urgency
from wenming.cases.states import State
from wenming.core.errors import InvalidInput, NotFound, PermissionDenied
from wenming.core.scope import has_role
from wenming.org.models import Role, Unit
from wenming.org.selectors import region_at

from .models import Ending, HotlineCall, KnowledgeItem, Place

CALL_ROLES = (Role.OPERATOR, Role.DISPATCHER)
KNOWLEDGE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.ADMIN)
TITLE_TEXT = 40


@dataclass(frozen=True)
class Call:
    """What the operator typed: the caller, the five elements (人 时 地 因 果), the location
    picked for 地, and the classification."""

    phone: str
    course: str
    caller_name: str = ""
    who: str = ""
    when: str = ""
    where: str = ""
    cause: str = ""
    lat: float | None = None
    lon: float | None = None
    category: Category | None = None
    nature: str | None = None
    urgency: str = Urgency.NORMAL
    is_public: bool = True

    def elements(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("who", "when", "where", "cause", "course")}


def call_description(call: Call) -> str:
    """The case description: one labelled line per element the operator filled in."""
    labels = {
        "who": pgettext("five elements", "Who"),
        "when": pgettext("five elements", "When"),
        "where": pgettext("five elements", "Where"),
        "cause": pgettext("five elements", "Cause"),
        "course": pgettext("five elements", "What happened"),
    }
    lines = [f"{labels[k]}：{v.strip()}" for k, v in call.elements().items() if v.strip()]
    return "\n".join(lines)


def call_title(call: Call) -> str:
    text = " ".join(call.course.split())[:TITLE_TEXT]
    return f"{call.category.name}：{text}" if call.category else text


def _file(call: Call, actor: User) -> Case:
    return cases.case_submit(
        channel=Channel.HOTLINE,
        title=call_title(call),
        description=call_description(call),
        reporter_name=call.caller_name,
        reporter_phone=call.phone,
        category=call.category,
        nature=call.nature,
        urgency=call.urgency,
        lat=call.lat,
        lon=call.lon,
        address=call.where,
        is_public=call.is_public,
        actor=actor,
    )


def _end(case: Case, *, ending: str, actor: User, answer: str, unit: Unit | None) -> Case:
    if ending == Ending.ANSWER:
        return cases.case_answer(case_id=case.pk, actor=actor, answer=answer)
    if case.category is None:
        raise InvalidInput(_("Choose a category before registering the case."))
    if ending == Ending.DISPATCH and unit is None:
        raise InvalidInput(_("Choose the unit to dispatch to."))
    case = cases.case_register(case_id=case.pk, actor=actor)
    if ending == Ending.DISPATCH and case.state == State.REGISTERED:
        case = cases.case_dispatch(case_id=case.pk, actor=actor, unit=unit)
    return case  # an auto-dispatch category may already have gone to its unit


def call_take(
    *,
    token: str,
    actor: User,
    call: Call,
    ending: str,
    answer: str = "",
    knowledge_item: KnowledgeItem | None = None,
    unit: Unit | None = None,
) -> tuple[Case, bool]:
    """受理: file the call as a hotline case and end it — answer directly (closed), register,
    or register and dispatch to `unit` — all or nothing. Once per form token: a resubmitted
    form returns (the first case, False) and changes nothing."""
    if not has_role(actor, *CALL_ROLES):
        raise PermissionDenied()
    if ending not in Ending.values:
        raise InvalidInput(_("Choose how the call ends."))
    existing = HotlineCall.objects.filter(token=token).select_related("case").first()
    if existing:
        return existing.case, False
    try:
        with transaction.atomic():
            case = _end(_file(call, actor), ending=ending, actor=actor, answer=answer, unit=unit)
            HotlineCall.objects.create(
                token=token,
                case=case,
                ending=ending,
                taken_by=actor,
                knowledge_item=knowledge_item,
                elements=call.elements(),
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request's case won, ours rolled back.
        first = HotlineCall.objects.filter(token=token).select_related("case").first()
        if first is None:
            raise
        return first.case, False
    except NotFound as exc:
        raise InvalidInput(
            _("This location is outside your area of responsibility; the call was not filed.")
        ) from exc
    return case, True


# ---------------------------------------------------------------- knowledge base


@dataclass(frozen=True)
class Knowledge:
    question: str
    answer: str
    category: Category | None = None
    keywords: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool = True


def knowledge_item_save(
    *, actor: User, data: Knowledge, item: KnowledgeItem | None = None
) -> KnowledgeItem:
    """Create a knowledge item (item None) or change one; the editor is recorded."""
    if not has_role(actor, *KNOWLEDGE_ROLES):
        raise PermissionDenied()
    question, answer = data.question.strip(), data.answer.strip()
    if not question or not answer:
        raise InvalidInput(_("A knowledge item needs a question and an answer."))
    if data.valid_from and data.valid_until and data.valid_from > data.valid_until:
        raise InvalidInput(_("The item must become valid before it expires."))
    item = item or KnowledgeItem()
    for f in fields(data):
        setattr(item, f.name, getattr(data, f.name))
    item.question, item.answer, item.keywords = question, answer, data.keywords.strip()
    item.updated_by = actor
    item.save()
    return item


# ---------------------------------------------------------------- known places


def place_locate(*, place: Place) -> Place:
    """Check that the place lies in the city and file it under its grid (before saving)."""
    region = region_at(lat=place.lat, lon=place.lon)
    if region is None:
        raise InvalidInput(_("The location is outside the city's area."))
    place.region = place.region or region
    return place
