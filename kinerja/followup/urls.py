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
    path("penghargaan/<int:pk>/koreksi/", views.award_correct, name="award_correct"),
    path("penghargaan/<int:pk>/tarik/", views.award_withdraw, name="award_withdraw"),
    path("sanksi/", views.sanction_list, name="sanctions"),
    path("sanksi/baru/", views.sanction_create, name="sanction_create"),
    path("sanksi/<int:pk>/status/", views.sanction_status, name="sanction_status"),
    path("sanksi/<int:pk>/dokumen/", views.sanction_document, name="sanction_document"),
    path("sanksi/<int:pk>/koreksi/", views.sanction_correct, name="sanction_correct"),
    path("sanksi/<int:pk>/tarik/", views.sanction_withdraw, name="sanction_withdraw"),
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
    path("rencana/arsip/<int:pk>/tarik/", views.plan_withdraw, name="plan_withdraw"),
    path("mentor/", views.mentors, name="mentors"),
    path("mentor/<int:pk>/koreksi/", views.pairing_correct, name="pairing_correct"),
    path("mentor/<int:pk>/tarik/", views.pairing_withdraw, name="pairing_withdraw"),
    path("angka-kredit/", views.credit_points, name="credit_points"),
    path("angka-kredit/<int:pk>/koreksi/", views.credit_points_correct, name="credit_correct"),
    path("angka-kredit/<int:pk>/tarik/", views.credit_points_withdraw, name="credit_withdraw"),
    path("laporan/", views.report, name="report"),
]
