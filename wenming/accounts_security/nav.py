from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

register(
    NavItem(
        _("Account"),
        _("Account security"),
        "accounts_security:overview",
        (),
        "shield-lock",
        _("Two-step verification and your login history."),
        order=905,
    ),
)
