from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class AssessmentConfig(AppConfig):
    name = "kinerja.assessment"
    label = "assessment"
    verbose_name = _("Penilaian kinerja")

    def ready(self):
        registry.register(ACTIONS)
        from kinerja.org import inbox

        from . import jobs, signals  # noqa: F401 - the background jobs, planning's receivers
        from .selectors import home

        inbox.register_inbox_source(home.inbox_items)
        inbox.register_progress_source(home.progress)
