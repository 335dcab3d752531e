from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

SECTION = _("Cases")

register(
    NavItem(
        SECTION,
        _("Hotspots"),
        "triage:hotspots",
        ("dispatcher", "operator", "admin", "liaison", "inspector", "unit_lead"),
        "fire",
        _("Clusters of cases by place and topic, ranked by count, growth and support."),
        order=140,
    ),
    NavItem(
        SECTION,
        _("Suggestion models"),
        "triage:overview",
        ("admin", "dispatcher"),
        "lightbulb",
        _("Category and unit suggestion: model versions and accuracy in production."),
        order=150,
    ),
)
