from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class DemoConfig(AppConfig):
    name = "kinerja.demo"
    label = "demo"
    verbose_name = _("Demo dengan riwayat")

    def ready(self):
        registry.register(ACTIONS)
