from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, PortalLink, register, register_portal

STAFF = ("center_staff", "admin")
SECTION = _("Volunteer service")

register(
    NavItem(
        SECTION,
        _("Practice centers"),
        "volunteers:center_list",
        STAFF,
        "house-heart",
        _("Centers, institutes and stations with their statistics."),
        order=500,
    ),
    NavItem(
        SECTION,
        _("Needs (four orders)"),
        "volunteers:need_list",
        STAFF,
        "inboxes",
        _("Review, dispatch and follow the needs citizens post."),
        order=510,
    ),
    NavItem(
        SECTION,
        _("Activities and shifts"),
        "volunteers:activity_list",
        STAFF,
        "calendar-week",
        _("One-off activities and recurring shift rosters; check-in QR codes."),
        order=520,
    ),
    NavItem(
        SECTION,
        _("Volunteers"),
        "volunteers:volunteer_list",
        STAFF,
        "people",
        _("Review registrations, see hours and issue certificates."),
        order=530,
    ),
    NavItem(
        SECTION,
        _("Teams"),
        "volunteers:team_list",
        STAFF,
        "people-fill",
        _("Volunteer service teams, leaders and members."),
        order=540,
    ),
    NavItem(
        SECTION,
        _("Hours ledger"),
        "volunteers:ledger_list",
        STAFF,
        "journal-check",
        _("Confirmed hours; corrections are appended, never edited."),
        order=550,
    ),
)

register_portal(
    PortalLink(
        _("Volunteer"),
        "volunteer_portal:hub",
        "heart",
        _("Activities near you; sign up and check in."),
        order=200,
        in_tab_bar=True,
    ),
    PortalLink(
        _("Post a need"),
        "volunteer_portal:need_new",
        "megaphone",
        _("Ask volunteers for help (点单)."),
        order=210,
    ),
    PortalLink(
        _("Volunteer leaderboard"),
        "volunteer_portal:leaderboard",
        "trophy",
        _("Hours by region and team."),
        order=220,
    ),
    PortalLink(
        _("Check a certificate"),
        "volunteer_portal:verify",
        "patch-check",
        _("Verify a service certificate by its code."),
        order=230,
    ),
)
