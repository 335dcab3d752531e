from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsSecurityConfig(AppConfig):
    name = "wenming.accounts_security"
    label = "accounts_security"
    verbose_name = _("Account security")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login success/failure receivers)
