from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class SurveysConfig(AppConfig):
    name = "kinerja.surveys"
    label = "surveys"
    verbose_name = _("Survei kepuasan masyarakat")

    def ready(self):
        registry.register(ACTIONS)
        from kinerja.org import inbox

        from . import jobs, selectors  # noqa: F401 - registers the job kinds

        inbox.register_inbox_source(selectors.inbox_items)
