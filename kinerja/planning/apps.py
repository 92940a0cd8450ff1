from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class PlanningConfig(AppConfig):
    name = "kinerja.planning"
    label = "planning"
    verbose_name = _("Perencanaan kinerja")

    def ready(self):
        registry.register(ACTIONS)
        from kinerja.org import inbox

        from . import jobs, signals  # noqa: F401  (registers jobs and org-change receivers)
        from .selectors import inbox as sources

        inbox.register_inbox_source(sources.inbox_items)
        inbox.register_home_panel(sources.timeline_panel)
        inbox.register_progress_source(sources.progress)
