from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

register(
    NavItem(
        _("Security"),
        _("Personal data requests"),
        "privacy:staff_list",
        ("admin",),
        "shield-lock",
        _("Citizens' requests to delete their personal data: review and decide."),
        order=870,
    ),
)
register_portal(
    PortalLink(
        _("My personal data"),
        "privacy:start",
        "shield-lock",
        _("See what you reported, download a copy or ask for deletion."),
        order=90,
    ),
)
