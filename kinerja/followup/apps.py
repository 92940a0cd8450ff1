from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from .audit_actions import ACTIONS


class FollowupConfig(AppConfig):
    name = "kinerja.followup"
    label = "followup"
    verbose_name = _("Tindak lanjut hasil evaluasi kinerja")

    def ready(self):
        registry.register(ACTIONS)
        from kinerja.org import inbox

        from . import jobs, selectors, signals  # noqa: F401 - the job and the close receiver

        inbox.register_inbox_source(selectors.inbox_items)
