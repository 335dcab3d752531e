"""Reply checks: flag a handler's feedback that is too short, stock boilerplate ("已处理"),
does not address the complaint's topic, or lacks a photo the category needs.

Flags never block the feedback: `case_feedback` stores them in its FEEDBACK event's
`data["reply_flags"]` (codes and numbers only, so the page shows them in the reader's
language) and the verifier sees them on the case page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wenming.cases.models import Case

from .models import TriageSettings
from .text import key_words, meaningful_length

TOO_SHORT, BOILERPLATE, OFF_TOPIC, NO_PHOTO = "too_short", "boilerplate", "off_topic", "no_photo"
MESSAGES: dict[str, Promise] = {
    TOO_SHORT: _("The reply is very short."),
    BOILERPLATE: _("The reply is a stock phrase and says nothing about what was done."),
    OFF_TOPIC: _("The reply does not mention what the complaint is about."),
    NO_PHOTO: _("No photo of the result, though the category needs one."),
}
_PUNCTUATION = re.compile(r"[\s\W_]+")
# Stock phrases, alone: "(该问题)已(经)处理(完毕)(了)" and friends.
_STOCK = re.compile(
    r"^(该问题|此问题|问题|此件|该件|您反映的问题)?(已经|已)?"
    r"(处理|解决|整改|办结|完成|清理|落实|反馈|答复|核实|收到|知悉|阅)"
    r"(完毕|完成|好|到位|处理)?了?(谢谢|感谢)?$"
)
_SHORT_STOCK = frozenset({"好的", "收到", "已阅", "同意", "ok", "完成", "办结"})
TOPIC_WORDS = 12  # the complaint's first key words that count for the overlap


@dataclass(frozen=True)
class Flag:
    code: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> Promise:
        return MESSAGES[self.code]

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, **self.detail}


def is_boilerplate(text: str) -> bool:
    bare = _PUNCTUATION.sub("", text).lower()
    return bare in _SHORT_STOCK or bool(_STOCK.match(bare))


def topic_overlap(complaint: str, reply: str, extra: str = "") -> float:
    """Share of the complaint's key words (and the category's words) the reply mentions;
    a word counts when one contains the other (segmentation differs between texts)."""
    topic = sorted(key_words(complaint), key=complaint.find)[:TOPIC_WORDS]
    topic += [w for w in key_words(extra) if w not in topic]
    if not topic:
        return 1.0
    said = key_words(reply)
    hits = sum(1 for w in topic if w in reply or any(w in s or s in w for s in said))
    return hits / min(len(topic), TOPIC_WORDS)


def reply_flags(*, case: Case, text: str, photo_count: int) -> list[Flag]:
    """The checks of one reply to one case (empty when it looks fine)."""
    knobs = TriageSettings.current()
    flags = []
    length = meaningful_length(text)
    if is_boilerplate(text):
        flags.append(Flag(BOILERPLATE))
    elif length < knobs.reply_min_length:
        flags.append(Flag(TOO_SHORT, {"length": length, "minimum": knobs.reply_min_length}))
    category_words = f"{case.category.name} {case.category.keywords}" if case.category else ""
    overlap = topic_overlap(f"{case.title} {case.description}", text, category_words)
    if not flags and overlap < knobs.reply_min_overlap:
        flags.append(Flag(OFF_TOPIC, {"overlap": round(overlap, 2)}))
    if photo_count == 0 and (case.category is None or case.category.photo_required):
        flags.append(Flag(NO_PHOTO))
    return flags


def flags_from_data(data: list[dict[str, Any]]) -> list[Flag]:
    """Flags stored in an event's data, for display (unknown codes are skipped)."""
    return [
        Flag(d["code"], {k: v for k, v in d.items() if k != "code"})
        for d in data
        if d.get("code") in MESSAGES
    ]
