"""Readable labels for the dotted action names of the audit trail.

The labels come from the registry (`kinerja.audit.registry`), where every app
declares its actions. Older rows may carry names that are no longer recorded:
they fall back to a generic label by their last part (".export", ".view", ...)
and finally to the raw name, so nothing is ever hidden.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import registry

# The live registry: every app's actions once Django has started.
ACTION_LABELS = registry._ACTIONS

# Fallbacks by the last part of the name, for names not registered.
VERB_LABELS = {
    "view": _("Melihat data"),
    "export": _("Mengekspor data"),
    "create": _("Membuat data"),
    "update": _("Mengubah data"),
    "delete": _("Menghapus data"),
    "import": _("Mengimpor data"),
    "queued": _("Proses latar diantrekan"),
    "running": _("Proses latar berjalan"),
    "done": _("Proses latar selesai"),
    "failed": _("Proses latar gagal"),
}


def action_label(action: str) -> Promise | str:
    """The label of a dotted action name, or the name itself."""
    known = registry.label(action)
    if known is not None:
        return known
    verb = action.rsplit(".", 1)[-1]
    if verb in VERB_LABELS and "." in action:
        return VERB_LABELS[verb]
    return action


def action_choices() -> list[tuple[str, str]]:
    """(name, label) pairs for a filter select, sorted by label."""
    return sorted(
        ((name, str(label)) for name, label in registry.registered().items()), key=lambda x: x[1]
    )
