from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from .pgloaders import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="c_timestamp_loader")

        # Each app declares its staff-home links in nav.py (see wenming.core.nav).
        autodiscover_modules("nav")
        # Each app registers its periodic scans in jobs.py (see wenming.core.periodic).
        autodiscover_modules("jobs")
