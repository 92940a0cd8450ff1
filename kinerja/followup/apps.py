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
        from . import jobs, signals  # noqa: F401 - registers the job and the close receiver
