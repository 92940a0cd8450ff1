from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("iki/<int:pk>/realisasi/", views.realisasi_edit, name="realisasi_edit"),
    path("realisasi/<int:pk>/", views.realisasi_detail, name="realisasi_detail"),
    path("bukti/<int:pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/periksa/", views.evidence_review, name="evidence_review"),
    path("catatan/", views.log_list, name="log_list"),
    path("catatan/<int:pk>/", views.log_detail, name="log_detail"),
    path("catatan/<int:pk>/ubah/", views.log_edit, name="log_edit"),
    path("catatan/<int:pk>/hapus/", views.log_delete, name="log_delete"),
    path("umpan-balik/", views.feedback_list, name="feedback_list"),
    path("umpan-balik/pegawai/<int:pk>/", views.feedback_new, name="feedback_new"),
    path("umpan-balik/<int:pk>/balas/", views.feedback_reply, name="feedback_reply"),
    path("umpan-balik/minta/", views.feedback_ask, name="feedback_ask"),
    path("rhk/<int:pk>/", views.rhk_detail, name="rhk_detail"),
    path("langkah/<int:pk>/selesai/", views.step_done, name="step_done"),
    path("tim/", views.team, name="team"),
    path("unit/", views.unit, name="unit"),
    path("dialog/", views.dialogue_list, name="dialogue_list"),
    path("dialog/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("aksi/<int:pk>/selesai/", views.action_done, name="action_done"),
    path("pembinaan/", views.coaching_list, name="coaching_list"),
    path("pembinaan/<int:pk>/", views.coaching_detail, name="coaching_detail"),
    path("notifikasi/", views.notification_list, name="notifications"),
]
