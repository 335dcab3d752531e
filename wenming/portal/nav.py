from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

register_portal(
    PortalLink(
        _("Snapshot report"),
        "portal:report",
        "camera",
        _("See a problem? Take a photo and report it."),
        order=10,
        in_tab_bar=True,
    ),
    PortalLink(
        _("Track a case"),
        "portal:track",
        "search",
        _("Follow your report by its code and rate the result."),
        order=20,
        in_tab_bar=True,
    ),
    PortalLink(
        _("Message board"),
        "portal:board",
        "chat-left-text",
        _("Ask a question or make a complaint; read official replies."),
        order=30,
        in_tab_bar=True,
    ),
    PortalLink(
        _("Public cases"),
        "portal:case_list",
        "geo-alt",
        _("Recent reports and how they were handled, on a map."),
        order=40,
    ),
)

register(
    NavItem(
        _("Citizen channels"),
        _("Message board moderation"),
        "portal:board_queue",
        ("operator", "dispatcher", "admin"),
        "chat-left-text",
        _("Approve or hold citizens' messages, reply, or turn one into a case."),
        order=150,
    ),
)
