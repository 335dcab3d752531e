from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

SECTION = _("Cases")

register(
    NavItem(
        SECTION,
        _("Dispatch workspace"),
        "cases:workspace",
        ("dispatcher", "operator"),
        "inboxes",
        _("Cases to register, to dispatch, returned, requests and overdue."),
        order=100,
    ),
    NavItem(
        SECTION,
        _("Unit worklist"),
        "cases:worklist",
        ("handler", "unit_lead"),
        "list-check",
        _("Cases to sign, in progress, due soon and sent back for rework."),
        order=110,
    ),
    NavItem(
        SECTION,
        _("Verification queue"),
        "cases:verification",
        ("inspector", "dispatcher"),
        "patch-check",
        _("Handled cases waiting for an on-site check."),
        order=120,
    ),
    NavItem(
        SECTION,
        _("Case search"),
        "cases:search",
        ("dispatcher", "operator", "liaison", "admin", "reviewer"),
        "search",
        _("Find cases by code, phone, text, category, state, region or date; export to Excel."),
        order=130,
    ),
)
