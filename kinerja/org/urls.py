from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("struktur/", views.org_chart, name="org_chart"),
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
]
