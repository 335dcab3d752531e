"""Badges of the staff console: one colour per state and per deadline warning."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..models import Case, WarningLevel
from ..states import State

register = template.Library()

STATE_CLASSES: dict[str, str] = {
    State.SUBMITTED: "text-bg-secondary",
    State.REGISTERED: "text-bg-info",
    State.DISPATCHED: "text-bg-primary",
    State.IN_PROGRESS: "text-bg-warning",
    State.HANDLED: "text-bg-success bg-opacity-75",
    State.VERIFIED: "text-bg-success",
    State.CLOSED: "text-bg-dark",
    State.REJECTED: "text-bg-light border",
    State.MERGED: "text-bg-light border",
}
WARNING_CLASSES: dict[int, str] = {
    WarningLevel.YELLOW: "text-bg-warning",
    WarningLevel.RED: "text-bg-danger",
}


@register.simple_tag
def state_badge(case: Case) -> SafeString:
    css = STATE_CLASSES.get(case.state, "text-bg-secondary")
    return format_html('<span class="badge {}">{}</span>', css, case.get_state_display())


@register.simple_tag
def warning_badge(case: Case) -> SafeString:
    """Nothing when on time; a yellow or red badge otherwise."""
    css = WARNING_CLASSES.get(case.warning_level)
    if not css:
        return SafeString("")
    return format_html(
        '<span class="badge {}"><i class="bi bi-alarm" aria-hidden="true"></i> {}</span>',
        css,
        case.get_warning_level_display(),
    )
