"""Audit actions recorded by the surveys (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "surveys.service.create": _("Membuat layanan survei"),
    "surveys.service.update": _("Mengubah layanan survei"),
    "surveys.period.create": _("Membuka periode survei"),
    "surveys.period.close": _("Menutup periode survei"),
    "surveys.period.reopen": _("Membuka kembali periode survei"),
    "surveys.codes.generate": _("Membuat kode sekali pakai"),
    "surveys.codes.export": _("Mengekspor kode sekali pakai"),
    "surveys.kiosk.issue": _("Menerbitkan perangkat kios survei"),
    "surveys.kiosk.revoke": _("Mencabut perangkat kios survei"),
    "surveys.report.export": _("Mengekspor laporan IKM"),
    "surveys.responses.export": _("Mengekspor jawaban survei"),
    "surveys.response.accept": _("Menerima jawaban bertanda"),
    "surveys.response.reject": _("Menolak jawaban bertanda"),
    "surveys.response.hide": _("Menyembunyikan komentar"),
    "surveys.response.show": _("Menampilkan kembali komentar"),
    "surveys.complaint.mark": _("Menandai pengaduan"),
    "surveys.complaint.unmark": _("Membatalkan tanda pengaduan"),
    "surveys.complaint.update": _("Menindaklanjuti pengaduan"),
    "surveys.iki_source.link": _("Mengaitkan IKI dengan IKM"),
    "surveys.iki_source.unlink": _("Melepas kaitan IKI dengan IKM"),
    "surveys.iki_source.sync": _("Menyalin IKM ke realisasi"),
}
