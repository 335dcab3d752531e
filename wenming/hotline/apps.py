from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "wenming.hotline"
    label = "hotline"
    verbose_name = _("12345 hotline")
