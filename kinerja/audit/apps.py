from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import registry
from .audit_actions import ACTIONS


class AuditConfig(AppConfig):
    name = "kinerja.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        registry.register(ACTIONS)
