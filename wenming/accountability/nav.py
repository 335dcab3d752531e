from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

from .selectors import LIST_ROLES, METRIC_ROLES

register(
    NavItem(
        _("Accountability"),
        _("Metrics"),
        "accountability:metrics",
        METRIC_ROLES,
        "speedometer2",
        _("Sign, completion, rework and satisfaction rates per unit and region, any period."),
        order=600,
    ),
    NavItem(
        _("Accountability"),
        _("Ranking"),
        "accountability:ranking",
        METRIC_ROLES,
        "bar-chart-line",
        _("Units ranked by composite score with grades; draft the red and black list."),
        order=610,
    ),
    NavItem(
        _("Accountability"),
        _("Red and black lists"),
        "accountability:list_index",
        METRIC_ROLES,
        "list-ol",
        _("Draft, approve and publish lists; publish corrections as new versions."),
        order=620,
    ),
    NavItem(
        _("Accountability"),
        _("Exposure desk"),
        "accountability:exposure_index",
        LIST_ROLES,
        "megaphone",
        _("Publish selected cases with personal data redacted, with their follow-up."),
        order=630,
    ),
)
register_portal(
    PortalLink(
        _("Red and black lists"),
        "lists:lists",
        "trophy",
        _("Which units did best and worst this month."),
        order=260,
    ),
    PortalLink(
        _("Exposure desk"),
        "exposure:exposures",
        "megaphone",
        _("Problems made public and how they were put right."),
        order=270,
    ),
)
