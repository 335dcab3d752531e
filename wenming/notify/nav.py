from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

register(
    NavItem(
        _("Account"),
        _("Notifications"),
        "notify:inbox",
        (),
        "bell",
        _("Messages about your work: new assignments, deadlines, results."),
        order=890,
    ),
)
