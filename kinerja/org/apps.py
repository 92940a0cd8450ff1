from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kinerja.audit import registry
from kinerja.lib import viewer

from .audit_actions import ACTIONS


class OrgConfig(AppConfig):
    name = "kinerja.org"
    label = "org"
    verbose_name = _("Organisasi dan pegawai")

    def ready(self):
        from . import (
            access,
            inbox,
            mfa,  # noqa: F401 - its user_logged_in receiver decides what a session owes
            selectors,
        )
        from .importing import apply  # noqa: F401 - registers the import's jobs

        registry.register(ACTIONS)
        viewer.set_resolver(access.get_access)
        inbox.register_inbox_source(selectors.inbox_items)
