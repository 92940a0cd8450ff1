from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import mfa


class IndonesianByDefaultMiddleware:
    """The UI is Indonesian unless the user switched language (the language
    cookie set by /i18n/setlang/). The browser's Accept-Language is ignored,
    so a phone or browser set to English still shows the official Indonesian
    terms until the user chooses English. Goes right before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class MfaMiddleware:
    """Holds back a signed-in session that still owes its second factor
    (kinerja/org/mfa.py): pages redirect to the code page, or to the enrolment
    page when the person's roles require an authenticator they have not
    enrolled; session calls to the API get 403 with the reason. Logout, the
    language switch and the code and enrolment pages stay open. Reads only the
    session: no query on a request that passed. Token-authenticated API calls
    carry no session and are not concerned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            state = mfa.session_state(request)
            if state not in mfa.PASSED and not self._open(request, state):
                return self._hold(request, state)
        return self.get_response(request)

    @staticmethod
    def _open(request, state):
        path = request.path_info
        always = [reverse("logout"), reverse("login"), reverse("set_language"), reverse("healthz")]
        if path in always or path.startswith(settings.STATIC_URL):
            return True
        if path == reverse("api-token"):
            return True  # no session there: it checks the password and the code itself
        page = reverse("mfa_verify") if state == mfa.VERIFY else reverse("org:mfa_enrol")
        return path == page

    @staticmethod
    def _hold(request, state):
        if request.path_info.startswith("/api/"):
            if state == mfa.ENROL:
                message = _(
                    "Peran Anda mewajibkan autentikasi dua faktor. Daftarkan aplikasi "
                    "autentikator di halaman profil lebih dulu."
                )
            else:
                message = _(
                    "Sesi ini belum melewati autentikasi dua faktor. Masukkan kode dari "
                    "aplikasi autentikator di halaman masuk lebih dulu."
                )
            return JsonResponse({"detail": message}, status=403)
        target = reverse("mfa_verify") if state == mfa.VERIFY else reverse("org:mfa_enrol")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)  # htmx follows a redirect inside the fragment
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
