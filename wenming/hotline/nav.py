from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

SECTION = _("12345 hotline")

register(
    NavItem(
        SECTION,
        _("Hotline console"),
        "hotline:console",
        ("operator", "dispatcher"),
        "headset",
        _("Take a call: the caller's earlier cases, the five elements, answer or dispatch."),
        order=90,
    ),
    NavItem(
        SECTION,
        _("Knowledge base"),
        "hotline:knowledge_list",
        ("operator", "dispatcher", "admin"),
        "journal-text",
        _("Answers operators give directly, with their validity period."),
        order=95,
    ),
)
