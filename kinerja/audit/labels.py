"""Readable Indonesian labels for the dotted action names of the audit trail.

One place for every feature: add a line when you record a new action. An
unknown name falls back to a generic label by its last part (".export",
".view", ...) and finally to the raw name, so nothing is ever hidden.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "org.agency.create": _("Membuat instansi"),
    "org.unit.create": _("Membuat unit kerja"),
    "org.position.create": _("Membuat jabatan"),
    "org.employee.create": _("Mendaftarkan pegawai"),
    "org.employee.view": _("Melihat data pegawai"),
    "org.employee.move": _("Mencatat mutasi jabatan"),
    "org.employee.acting_assign": _("Menugaskan Plt/Plh"),
    "org.employee.deactivate": _("Menonaktifkan pegawai"),
    "org.employee.export": _("Mengekspor data pegawai"),
    "org.user.password_set": _("Menetapkan kata sandi"),
    "org.role.grant": _("Memberikan peran"),
    "org.role.revoke": _("Mencabut peran"),
    "audit.log.export": _("Mengekspor jejak audit"),
}

# Fallbacks by the last part of the name, for actions not listed above.
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


def action_label(action):
    """The Indonesian label of a dotted action name, or the name itself."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    verb = action.rsplit(".", 1)[-1]
    if verb in VERB_LABELS and "." in action:
        return VERB_LABELS[verb]
    return action


def action_choices():
    """(name, label) pairs for a filter select, sorted by label."""
    return sorted(((name, str(label)) for name, label in ACTION_LABELS.items()), key=lambda x: x[1])
