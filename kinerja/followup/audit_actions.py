"""Audit actions recorded by follow-up (see kinerja.audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "followup.rules.defaults": _("Memasang aturan tindak lanjut bawaan"),
    "followup.rule.create": _("Membuat aturan tindak lanjut"),
    "followup.rule.update": _("Mengubah aturan tindak lanjut"),
    "followup.allowance.update": _("Mengubah faktor pengurang TPP"),
    "followup.candidates.generate": _("Menyusun daftar kandidat tindak lanjut"),
    "followup.candidate.decide": _("Memutuskan kandidat tindak lanjut"),
    "followup.award.create": _("Mencatat penghargaan"),
    "followup.award.correct": _("Mengoreksi penghargaan"),
    "followup.award.withdraw": _("Menarik penghargaan"),
    "followup.sanction.create": _("Mencatat sanksi"),
    "followup.sanction.update": _("Mengubah status sanksi"),
    "followup.sanction.correct": _("Mengoreksi sanksi"),
    "followup.sanction.withdraw": _("Menarik sanksi"),
    "followup.course.create": _("Menambah pelatihan ke katalog"),
    "followup.course.update": _("Mengubah pelatihan di katalog"),
    "followup.training.create": _("Mencatat pengembangan kompetensi"),
    "followup.devplan.save": _("Menyimpan rencana pengembangan"),
    "followup.devplan.withdraw": _("Menarik rencana pengembangan"),
    "followup.mentor.create": _("Menetapkan mentor"),
    "followup.mentor.correct": _("Mengoreksi pendampingan mentor"),
    "followup.mentor.withdraw": _("Menarik pendampingan mentor"),
    "followup.credit_points.save": _("Mencatat angka kredit"),
    "followup.credit_points.convert": _("Mengonversi predikat ke angka kredit"),
    "followup.credit_points.correct": _("Mengoreksi angka kredit"),
    "followup.credit_points.withdraw": _("Menarik angka kredit"),
    "followup.report.export.pdf": _("Mengekspor laporan tindak lanjut (PDF)"),
    "followup.report.export.xlsx": _("Mengekspor laporan tindak lanjut (Excel)"),
}
