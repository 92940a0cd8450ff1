"""Audit actions recorded by planning (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "planning.year.create": _("Membuat periode penilaian"),
    "planning.year.open": _("Membuka periode penilaian"),
    "planning.year.close": _("Menutup periode penilaian"),
    "planning.goal.create": _("Menambah sasaran strategis"),
    "planning.calendar.update": _("Mengubah kalender penilaian"),
    "planning.calendar.override.add": _("Menambah jadwal khusus unit"),
    "planning.calendar.override.update": _("Mengubah jadwal khusus unit"),
    "planning.calendar.override.remove": _("Menghapus jadwal khusus unit"),
    "planning.skp.create": _("Membuat SKP"),
    "planning.skp.approach": _("Memilih pendekatan SKP"),
    "planning.skp.submit": _("Mengajukan SKP"),
    "planning.skp.approve": _("Menyetujui SKP"),
    "planning.skp.return": _("Mengembalikan SKP"),
    "planning.skp.revise": _("Merevisi SKP"),
    "planning.skp.close": _("Menutup SKP"),
    "planning.skp.expectations": _("Menetapkan ekspektasi perilaku"),
    "planning.skp.lampiran": _("Mengubah lampiran SKP"),
    "planning.skp.print": _("Mencetak SKP"),
    "planning.rhk.add": _("Menambah RHK"),
    "planning.rhk.update": _("Mengubah RHK"),
    "planning.rhk.delete": _("Menghapus RHK"),
    "planning.rhk.link": _("Mengaitkan RHK dengan RHK atasan"),
    "planning.rhk.matrix_assign": _("Membagi RHK atasan lewat matriks"),
    "planning.iki.add": _("Menambah indikator kinerja"),
    "planning.iki.update": _("Mengubah indikator kinerja"),
    "planning.iki.delete": _("Menghapus indikator kinerja"),
    "planning.iki.manual": _("Mengisi manual indikator kinerja"),
}
