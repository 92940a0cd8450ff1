from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.home, name="home"),
    path("pegawai/<int:pk>/", views.employee_page, name="employee"),
    path("aturan/", views.rule_list, name="rules"),
    path("aturan/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("tunjangan/", views.allowance, name="allowance"),
    path("kandidat/", views.candidate_list, name="candidates"),
    path("kandidat/susun/", views.candidates_generate, name="candidates_generate"),
    path("kandidat/<int:pk>/putuskan/", views.candidate_decide, name="candidate_decide"),
    path("penghargaan/", views.award_list, name="awards"),
    path("penghargaan/baru/", views.award_create, name="award_create"),
    path("penghargaan/<int:pk>/dokumen/", views.award_document, name="award_document"),
    path("sanksi/", views.sanction_list, name="sanctions"),
    path("sanksi/baru/", views.sanction_create, name="sanction_create"),
    path("sanksi/<int:pk>/status/", views.sanction_status, name="sanction_status"),
    path("sanksi/<int:pk>/dokumen/", views.sanction_document, name="sanction_document"),
    path("pelatihan/", views.course_list, name="courses"),
    path("pelatihan/<int:pk>/", views.course_edit, name="course_edit"),
    path("pelatihan/catat/", views.record_create, name="record_create"),
    path(
        "pelatihan/riwayat/<int:pk>/sertifikat/",
        views.record_document,
        name="record_document",
    ),
    path("jp/", views.jp_report, name="jp"),
    path("rencana/<int:pk>/", views.development_plan, name="plan"),
    path("mentor/", views.mentors, name="mentors"),
    path("angka-kredit/", views.credit_points, name="credit_points"),
    path("laporan/", views.report, name="report"),
]
