"""Audit actions recorded by assessment (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "assessment.settings.update": _("Mengubah pengaturan penilaian"),
    "assessment.policy.update": _("Mengubah pola distribusi"),
    "assessment.dayoff.add": _("Menambah hari libur instansi"),
    "assessment.org_performance.set": _("Menetapkan predikat kinerja organisasi"),
    "assessment.org_grade.import": _("Mengimpor predikat kinerja organisasi"),
    "assessment.evaluation.rate": _("Menilai kinerja"),
    "assessment.evaluation.finalise": _("Memfinalkan evaluasi"),
    "assessment.evaluation.move_to_year_end_skp": _(
        "Memindahkan evaluasi tahunan ke SKP yang berlaku di akhir tahun"
    ),
    "assessment.evaluation.sign": _("Menandatangani dokumen evaluasi"),
    "assessment.evaluation.deliver": _("Menyampaikan dokumen evaluasi"),
    "assessment.evaluation.acknowledge": _("Menerima dokumen evaluasi"),
    "assessment.evaluation.report": _("Melaporkan evaluasi ke PyB"),
    "assessment.evaluation.annual_close": _("Menutup penilaian tahunan"),
    "assessment.annual_close.start": _("Menjalankan penutupan tahunan"),
    "assessment.self.submit": _("Mengirim penilaian diri"),
    "assessment.self.open": _("Membuka evaluasi untuk penilaian diri"),
    "assessment.peer.request": _("Meminta masukan rekan kerja"),
    "assessment.peer.submit": _("Mengirim masukan rekan kerja"),
    "assessment.calibration.open": _("Membuka kalibrasi"),
    "assessment.calibration.change": _("Mengubah predikat dalam kalibrasi"),
    "assessment.calibration.close": _("Menutup kalibrasi"),
    "assessment.calibration.reapply_grades": _(
        "Menerapkan ulang predikat kinerja organisasi yang berubah dalam kalibrasi"
    ),
    "assessment.calibration.reapply_grade": _(
        "Memperbarui usulan predikat karena predikat kinerja organisasi berubah"
    ),
    "assessment.appeal.file": _("Mengajukan keberatan"),
    "assessment.appeal.request_explanations": _("Meminta penjelasan atas keberatan"),
    "assessment.appeal.explain": _("Memberi penjelasan atas keberatan"),
    "assessment.appeal.decide": _("Memutuskan keberatan"),
    "assessment.appeal.evidence.add": _("Melampirkan bukti keberatan"),
    "assessment.appeal.evidence.download": _("Mengunduh bukti keberatan"),
    "assessment.appeal.escalate": _("Melaporkan keberatan yang lewat waktu"),
    "assessment.document.issue": _("Menerbitkan dokumen evaluasi"),
}
