from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = _("Pelaksanaan dan pemantauan kinerja")

    def ready(self):
        registry.register(ACTIONS)
        from kinerja.org import inbox

        from . import reminders, signals  # noqa: F401  (the reminder job, planning's receivers)
        from .selectors import home

        inbox.register_inbox_source(home.inbox_items)
