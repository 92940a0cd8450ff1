from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.home, name="home"),
    path("tim/", views.team, name="team"),
    path("skp/<int:pk>/nilai/", views.start, name="start"),
    path("skp/<int:pk>/penilaian-diri/", views.self_open, name="self_open"),
    path("evaluasi/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluasi/<int:pk>/tandatangan/", views.sign, name="sign"),
    path("evaluasi/<int:pk>/sampaikan/", views.deliver, name="deliver"),
    path("evaluasi/<int:pk>/terima/", views.acknowledge, name="acknowledge"),
    path("evaluasi/<int:pk>/laporkan/", views.report, name="report"),
    path("evaluasi/<int:pk>/penilaian-diri/", views.self_assess, name="self_assess"),
    path("evaluasi/<int:pk>/rekan/", views.peers, name="peers"),
    path("evaluasi/<int:pk>/keberatan/", views.appeal_file, name="appeal_file"),
    path("evaluasi/<int:pk>/formulir.pdf", views.form_pdf, name="form_pdf"),
    path("evaluasi/<int:pk>/dokumen.pdf", views.document_pdf, name="document_pdf"),
    path("rekan/<int:pk>/", views.peer_input, name="peer_input"),
    path("keberatan/<int:pk>/", views.appeal, name="appeal"),
    path("keberatan/<int:pk>/bukti/", views.appeal_evidence_add, name="appeal_evidence_add"),
    path("keberatan/bukti/<int:pk>/", views.appeal_evidence, name="appeal_evidence"),
    path("kalibrasi/", views.calibration_list, name="calibration_list"),
    path("kalibrasi/unit/<int:pk>/buka/", views.calibration_open, name="calibration_open"),
    path("kalibrasi/<int:pk>/", views.calibration, name="calibration"),
    path("kalibrasi/<int:pk>/tutup/", views.calibration_close, name="calibration_close"),
    path(
        "kalibrasi/<int:pk>/terapkan-predikat-organisasi/",
        views.calibration_reapply,
        name="calibration_reapply",
    ),
    path("admin/", views.admin, name="admin"),
    path("admin/organisasi/", views.org_performance, name="org_performance"),
    path("admin/organisasi/impor/", views.org_grade_import, name="org_grade_import"),
    path("admin/organisasi/<int:pk>/anak/", views.org_grade_children, name="org_grade_children"),
    path("admin/organisasi/<int:pk>/tetapkan/", views.org_grade_set, name="org_grade_set"),
    path("admin/tutup-tahunan/", views.annual_close, name="annual_close"),
    path("verifikasi/<uuid:token>/", views.verify, name="verify"),
]
