from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

register(
    NavItem(
        _("Organization"),
        _("Regions and grids"),
        "org:region_list",
        (),
        "map",
        _("The region tree in your scope, with grid boundaries on the map."),
        order=800,
    ),
    NavItem(
        _("Organization"),
        _("System administration"),
        "admin:index",
        ("admin",),
        "gear",
        _("Regions, units, memberships, liaison packages and other configuration."),
        order=810,
    ),
)
