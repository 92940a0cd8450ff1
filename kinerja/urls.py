from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from kinerja.org import mfa_views, tokens_api
from kinerja.org import views as org_views

from . import health

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("masuk/kode/", mfa_views.verify, name="mfa_verify"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "sandi/",
        org_views.AuditedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("org/", include("kinerja.org.urls")),
    path("proses/", include("kinerja.jobs.urls")),
    path("skp/", include("kinerja.planning.urls")),
    path("survei/", include("kinerja.surveys.urls")),
    path("pantau/", include("kinerja.monitoring.urls")),
    path("penilaian/", include("kinerja.assessment.urls")),
    path("tindak-lanjut/", include("kinerja.followup.urls")),
    path("api/token/", tokens_api.obtain_token, name="api-token"),
    path("api/", include("kinerja.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]
