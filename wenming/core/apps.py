from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its staff-home links in nav.py (see wenming.core.nav).
        autodiscover_modules("nav")
        # Each app registers its periodic scans in jobs.py (see wenming.core.periodic).
        autodiscover_modules("jobs")
