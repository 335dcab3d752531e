"""Human labels for notification kinds (`Notification.kind` is a code such as "case.warning").

An app that sends a new kind registers its label once at import time, e.g. in its
`notifications.py`: `register_kind("need.dispatched", _("Need dispatched"))`. Unknown kinds
are shown by their code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_labels: dict[str, str | Promise] = {}


def register_kind(kind: str, label: str | Promise) -> None:
    _labels[kind] = label


def kind_label(kind: str) -> str:
    return str(_labels.get(kind, kind))


# The kinds the problem loop sends (wenming.cases.notifications).
for _kind, _label in [
    ("case.dispatched", _("Case to sign")),
    ("case.rework", _("Rework")),
    ("case.request", _("Request to decide")),
    ("case.request_decided", _("Request decided")),
    ("case.returned", _("Case returned")),
    ("case.closed", _("Case closed")),
    ("case.supervised", _("Supervision")),
    ("case.warning", _("Deadline warning")),
]:
    register_kind(_kind, _label)
