from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

from .selectors import DASHBOARD_ROLES

register(
    NavItem(
        _("Accountability"),
        _("Command dashboard"),
        "dashboard:dashboard",
        DASHBOARD_ROLES,
        "display",
        _("The city live: cases by state, map with heat and overdue cases, trends, ranking."),
        order=590,
    )
)
