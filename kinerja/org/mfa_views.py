"""Pages of the second sign-in factor (kinerja/org/mfa.py): the code step after
the password, enrolment of an authenticator app (QR code and manual key,
confirmed with a code), backup codes (shown once) and removal; admin BKD's
reset is on the employee's page (views.employee_mfa_reset)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.web import call_service, show_error

from . import mfa
from .forms import MfaCodeForm, MfaRemoveForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the authenticator app or a backup code."""
    if mfa.session_state(request) != mfa.VERIFY:
        return redirect(_next(request))
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.mfa_verify(actor=request.user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except ValidationError as error:
            if mfa.count_failure(request, request.user):  # type: ignore[arg-type]
                logout(request)  # AxesMiddleware answers with the lockout page
                return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
            show_error(request, error, form)
        else:
            mfa.mark_verified(request)
            return redirect(_next(request))
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next(request), "mfa_pending": True},
    )


def _codes_page(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    return render(
        request,
        "org/mfa_backup_codes.html",
        {"codes": codes, "enrolled": enrolled, "next": _next(request)},
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm
    with the code it shows; then the backup codes, shown once."""
    user: Any = request.user
    if mfa.is_enrolled(user):
        messages.info(request, _("Aplikasi autentikator Anda sudah terdaftar."))
        return redirect("org:mfa")
    key = request.session.get(mfa.NEW_KEY_SESSION_KEY)
    if not key:
        key = mfa.new_key()
        request.session[mfa.NEW_KEY_SESSION_KEY] = key
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        ok, result = call_service(request, mfa.mfa_enrol, form=form, key=key, code=code)
        if ok:
            mfa.mark_verified(request)
            return _codes_page(request, result[1], enrolled=True)
    uri = mfa.provisioning_uri(user, key)
    context = {
        "form": form,
        "qr": mfa.qr_svg(uri),
        "manual_key": mfa.manual_key(key),
        "required": mfa.session_state(request) == mfa.ENROL,
        "mfa_pending": mfa.session_state(request) == mfa.ENROL,
        "next": _next(request),
    }
    return render(request, "org/mfa_enrol.html", context)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The person's second factor: status, backup codes, removal."""
    context = {"status": mfa.status(request.user), "remove_form": MfaRemoveForm()}  # type: ignore[arg-type]
    return render(request, "org/mfa.html", context)


@require_POST
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    ok, codes = call_service(request, mfa.mfa_backup_codes_regenerate)
    if not ok:
        return redirect("org:mfa")
    return _codes_page(request, codes, enrolled=False)


@require_POST
@login_required
def remove(request: HttpRequest) -> HttpResponse:
    form = MfaRemoveForm(request.POST)
    if form.is_valid():
        ok, _result = call_service(
            request,
            mfa.mfa_remove,
            password=form.cleaned_data["password"],
            success=_("Autentikasi dua faktor dihapus dari akun Anda."),
        )
        if ok:
            required = mfa.is_required(request.user)
            request.session[mfa.SESSION_KEY] = mfa.ENROL if required else mfa.NOT_USED
            if required:
                messages.info(
                    request,
                    _("Peran Anda mewajibkan autentikasi dua faktor: daftarkan autentikator baru."),
                )
                return redirect("org:mfa_enrol")
            return redirect("org:mfa")
    status = mfa.status(request.user)  # type: ignore[arg-type]
    return render(request, "org/mfa.html", {"status": status, "remove_form": form})
