from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    # Public, no login: the QR code on the counter points here.
    path("s/<str:token>/", views.public_survey, name="public_survey"),
    path("s/<str:token>/terima-kasih/", views.public_thanks, name="public_thanks"),
    path("s/<str:token>/kios/<str:key>/", views.kiosk_activate, name="kiosk_activate"),
    path("layanan/baru/", views.service_new, name="service_new"),
    path("layanan/<int:pk>/", views.service_detail, name="service_detail"),
    path("layanan/<int:pk>/ubah/", views.service_edit, name="service_edit"),
    path("layanan/<int:pk>/kode/", views.codes, name="codes"),
    path("layanan/<int:pk>/kode/unduh/", views.codes_download, name="codes_download"),
    path("layanan/<int:pk>/kios/", views.kiosks, name="kiosks"),
    path("kios/<int:pk>/cabut/", views.kiosk_revoke, name="kiosk_revoke"),
    path("layanan/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("layanan/<int:pk>/laporan.pdf", views.report, name="report"),
    path("layanan/<int:pk>/jawaban.xlsx", views.export, name="export"),
    path("layanan/<int:pk>/iki/", views.service_iki, name="service_iki"),
    path("layanan/<int:pk>/sinkron/", views.service_sync, name="service_sync"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("periode/", views.period_list, name="period_list"),
    path("periode/<int:pk>/status/", views.period_toggle, name="period_toggle"),
    path("saran/", views.comment_list, name="comment_list"),
    path("ditandai/", views.flagged_list, name="flagged_list"),
    path("jawaban/<int:pk>/tindakan/", views.response_action, name="response_action"),
]
