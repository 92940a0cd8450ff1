from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry

from . import checks  # noqa: F401 - registers the system checks
from .audit_actions import ACTIONS


class JobsConfig(AppConfig):
    name = "kinerja.jobs"
    label = "jobs"
    verbose_name = _("Pekerjaan latar belakang")

    def ready(self) -> None:
        registry.register(ACTIONS)
