from django import template
from django.contrib.auth.models import User

register = template.Library()


@register.filter
def person(user: User | None, empty: str = "—") -> str:
    """A user's full name, else their username; `empty` for nobody (the system)."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
