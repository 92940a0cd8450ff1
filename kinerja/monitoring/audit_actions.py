"""Audit actions recorded by monitoring (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "monitoring.realisasi.save": _("Mengisi realisasi"),
    "monitoring.evidence.add": _("Menambah bukti dukung"),
    "monitoring.evidence.review": _("Menilai kecukupan bukti dukung"),
    "monitoring.evidence.download": _("Mengunduh bukti dukung"),
    "monitoring.log.create": _("Mencatat kegiatan harian"),
    "monitoring.log.update": _("Mengoreksi kegiatan harian"),
    "monitoring.log.delete": _("Menghapus kegiatan harian"),
    "monitoring.feedback.ask": _("Meminta umpan balik"),
    "monitoring.feedback.give": _("Memberi umpan balik"),
    "monitoring.feedback.reply": _("Membalas umpan balik"),
    "monitoring.step.add": _("Menambah langkah rencana aksi"),
    "monitoring.step.done": _("Menyelesaikan langkah rencana aksi"),
    "monitoring.coaching.create": _("Mencatat coaching/mentoring/konseling"),
    "monitoring.coaching.employee_feedback": _("Mengisi umpan balik atas sesi"),
    "monitoring.coaching.competency": _("Mencatat tindak lanjut kompetensi"),
    "monitoring.rhk.takeover": _("Mengambil alih RHK"),
    "monitoring.dialogue.create": _("Menjadwalkan dialog kinerja"),
    "monitoring.dialogue.record": _("Mencatat hasil dialog kinerja"),
    "monitoring.action.add": _("Menambah tindakan yang disepakati"),
    "monitoring.action.done": _("Menyelesaikan tindakan yang disepakati"),
    "monitoring.report.save": _("Menyimpan laporan proyek"),
}
