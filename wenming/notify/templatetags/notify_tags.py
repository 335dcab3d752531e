from django import template

from wenming.notify.kinds import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The human label of a notification kind code."""
    return _kind_label(kind)
