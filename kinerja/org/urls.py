from django.urls import path

from kinerja.audit import views as audit_views

from . import mfa_views, views
from .importing import views as import_views

app_name = "org"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("profil/mfa/", mfa_views.manage, name="mfa"),
    path("profil/mfa/daftar/", mfa_views.enrol, name="mfa_enrol"),
    path("profil/mfa/kode-cadangan/", mfa_views.backup_codes, name="mfa_backup_codes"),
    path("profil/mfa/hapus/", mfa_views.remove, name="mfa_remove"),
    path("struktur/", views.org_chart, name="org_chart"),
    path("pegawai/", views.employee_list, name="employee_list"),
    path("cari/", views.picker, name="picker"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("impor/", import_views.import_home, name="import"),
    path("impor/templat.xlsx", import_views.import_template, name="import_template"),
    path("impor/kode/", import_views.import_codes, name="import_codes"),
    path("impor/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("impor/<int:pk>/terapkan/", import_views.import_apply, name="import_apply"),
    path("impor/<int:pk>/kesalahan.csv", import_views.import_errors_csv, name="import_errors"),
    path("pegawai/<int:pk>/peran/", views.employee_role_grant, name="employee_role_grant"),
    path(
        "pegawai/<int:pk>/peran/<int:grant_pk>/cabut/",
        views.employee_role_revoke,
        name="employee_role_revoke",
    ),
    path("pegawai/<int:pk>/sandi/", views.employee_password, name="employee_password"),
    path("pegawai/<int:pk>/mfa/reset/", views.employee_mfa_reset, name="employee_mfa_reset"),
    path("pegawai/<int:pk>/mutasi/", views.employee_move, name="employee_move"),
    path("pegawai/<int:pk>/nonaktifkan/", views.employee_deactivate, name="employee_deactivate"),
    path("jejak-audit/", audit_views.agency_log, name="audit_log"),
]
