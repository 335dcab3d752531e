from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

register(
    NavItem(
        _("Volunteer service"),
        _("Good people nominations"),
        "honors:review_list",
        ("center_staff", "admin"),
        "award",
        _("Review nominations for the good-people list and set their level."),
        order=560,
    )
)
register_portal(
    PortalLink(
        _("Good people"),
        "honors_portal:list",
        "award",
        _("The good-people list and moral models; nominate someone."),
        order=240,
    )
)
