from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "kinerja.followup"
    label = "followup"
    verbose_name = _("Tindak lanjut hasil evaluasi kinerja")

    def ready(self):
        from . import jobs, signals  # noqa: F401 - registers the job and the close receiver
