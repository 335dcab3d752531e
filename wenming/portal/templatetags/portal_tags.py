from django import template
from django.forms import BoundField
from django.http import HttpRequest

from wenming.core.nav import portal_links

register = template.Library()
MAX_TABS = 4  # plus Home: five tabs fit a 360 px screen


@register.inclusion_tag("portal/_tab_bar.html")
def portal_tab_bar(request: HttpRequest) -> dict[str, object]:
    """The bottom tab bar: Home plus the first links registered with in_tab_bar."""
    tabs = [link for link in portal_links() if link.in_tab_bar][:MAX_TABS]
    path = request.path
    return {
        "tabs": [(link, path.startswith(link.url)) for link in tabs],
        "home_active": path == "/",
    }


@register.filter
def wm_input(field: BoundField, css: str = "form-control") -> str:
    """Render a form field's widget with Bootstrap classes (and is-invalid on errors)."""
    classes = f"{css} is-invalid" if field.errors else css
    return field.as_widget(attrs={"class": classes})
