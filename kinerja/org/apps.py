from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kinerja.org"
    label = "org"
    verbose_name = _("Organisasi dan pegawai")

    def ready(self):
        from . import import_jobs  # noqa: F401 - registers the import's background jobs
