from django import template
from django.template.context import Context

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagers and sort links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
