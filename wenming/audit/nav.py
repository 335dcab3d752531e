from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

register(
    NavItem(
        _("Security"),
        _("Audit log"),
        "audit:log",
        ("admin",),
        "journal-check",
        _("Every staff write and sensitive read, hash-chained; check that none was changed."),
        order=880,
    ),
)
