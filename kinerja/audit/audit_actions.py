"""Audit actions recorded by the audit app itself (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "audit.log.export": _("Mengekspor jejak audit"),
}
