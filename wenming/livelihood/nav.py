from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

SECTION = _("Livelihood projects and activities")
register(
    NavItem(
        SECTION,
        _("Livelihood projects"),
        "livelihood:project_list",
        ("admin", "liaison", "dispatcher", "reviewer", "handler", "unit_lead"),
        "building-check",
        _("The year's livelihood projects: progress, lagging projects, monthly reports."),
        order=600,
    ),
    NavItem(
        SECTION,
        _("Progress report review"),
        "livelihood:review_list",
        ("admin",),
        "clipboard-check",
        _("Review the units' monthly progress reports."),
        order=601,
    ),
    NavItem(
        SECTION,
        _("Project comments"),
        "livelihood:comment_queue",
        ("admin", "operator", "dispatcher"),
        "chat-square-text",
        _("Moderate citizens' comments and ratings on the projects."),
        order=602,
    ),
    NavItem(
        SECTION,
        _("Campaign activities"),
        "livelihood:activity_list",
        ("admin", "center_staff", "liaison", "dispatcher", "reviewer", "handler", "unit_lead"),
        "megaphone",
        _("Lectures, performances, volunteer service, publicity and training: record and count."),
        order=603,
    ),
)
register_portal(
    PortalLink(
        _("Livelihood projects"),
        "livelihood_portal:list",
        "building-check",
        _("This year's livelihood projects and how far they have come."),
        order=250,
    )
)
