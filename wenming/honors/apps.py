from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "wenming.honors"
    label = "honors"
    verbose_name = _("Honors (good people)")
