from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = _("Pelaksanaan dan pemantauan kinerja")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the reminder job)
