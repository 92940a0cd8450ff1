"""Audit actions recorded by the demo (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "demo.history.year": _("Membuat riwayat demo satu tahun penilaian"),
}
