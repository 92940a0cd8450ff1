from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.skp_detail, name="skp_detail"),
    path("<int:pk>/rhk/tambah/", views.rhk_add, name="rhk_add"),
    path("<int:pk>/perilaku/", views.skp_expectations, name="skp_expectations"),
    path("<int:pk>/lampiran/", views.skp_lampiran, name="skp_lampiran"),
    path("<int:pk>/pendekatan/", views.skp_approach, name="skp_approach"),
    path("<int:pk>/ajukan/", views.skp_submit, name="skp_submit"),
    path("<int:pk>/tinjau/", views.skp_review, name="skp_review"),
    path("<int:pk>/setujui/", views.skp_approve, name="skp_approve"),
    path("<int:pk>/kembalikan/", views.skp_return, name="skp_return"),
    path("<int:pk>/revisi/", views.skp_revise, name="skp_revise"),
    path("<int:pk>/pdf/", views.skp_pdf, name="skp_pdf"),
    path("rhk/<int:pk>/ubah/", views.rhk_edit, name="rhk_edit"),
    path("rhk/<int:pk>/hapus/", views.rhk_delete, name="rhk_delete"),
    path("rhk/<int:pk>/iki/", views.iki_add, name="iki_add"),
    path("iki/<int:pk>/ubah/", views.iki_edit, name="iki_edit"),
    path("iki/<int:pk>/hapus/", views.iki_delete, name="iki_delete"),
    path("iki/<int:pk>/manual/", views.iki_manual, name="iki_manual"),
    path("versi/<int:pk>/", views.version_detail, name="version_detail"),
    path("verifikasi/<uuid:token>/", views.verify, name="verify"),
    path("tim/", views.team, name="team"),
    path("matriks/", views.matrix, name="matrix"),
    path("tahun/", views.year_list, name="year_list"),
    path("tahun/<int:pk>/", views.year_detail, name="year_detail"),
    path("tahun/<int:pk>/buka/", views.year_open, name="year_open"),
    path("kalender/", views.calendar, name="calendar"),
    path("tahun/<int:pk>/kalender/", views.calendar_edit, name="calendar_edit"),
    path("tahun/<int:pk>/kalender/unit/", views.calendar_overrides, name="calendar_overrides"),
    path(
        "kalender/unit/<int:pk>/hapus/",
        views.calendar_override_remove,
        name="calendar_override_remove",
    ),
    path("tahun/<int:pk>/sasaran/", views.goal_list, name="goal_list"),
    path("tahun/<int:pk>/pohon/", views.tree, name="tree"),
    path("tahun/<int:pk>/pdf-unit/", views.unit_pdf, name="unit_pdf"),
    path("unduh/<int:pk>/", views.job_download, name="job_download"),
]
