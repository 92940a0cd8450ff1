"""The second sign-in factor (issue 13), on django-otp: a TOTP authenticator
app (`otp_totp.TOTPDevice`) and 10 single-use backup codes
(`otp_static.StaticDevice`). No one-time-password code is written here: keys,
codes, the check of a code and its throttle are django-otp's.

Who must use it: admin BKD and tim penilai kinerja of an agency, and platform
superusers (`is_required`). Anyone else may enrol, and is then asked for a code
too.

How a session proceeds: the password login (`user_logged_in`) writes the
session's state under `SESSION_KEY`:
- `NOT_USED`: no authenticator and none required; nothing more to do;
- `ENROL`: required but none enrolled yet: only the enrolment page (and logout);
- `VERIFY`: an authenticator is enrolled: only the code page (and logout) until
  a right code; then `VERIFIED`.
`kinerja.org.middleware.MfaMiddleware` reads the state from the session (no
query) and holds back every other page and every session API call. The state
is decided at login: a role granted later counts from the next login.

A wrong code: an audit event (`auth.mfa.verify_fail`), django-otp's throttle
on the device (the wait before the next try doubles: 1, 2, 4... seconds, across
logins), and a failed login for django-axes (`count_failure`), so the usual
lockout (5 failures, 15 minutes) covers the second step too.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import django_otp
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from kinerja.audit.services import record
from kinerja.authz import is_admin

from .models import Employee, RoleGrant, User

SESSION_KEY = "kinerja_mfa"
NEW_KEY_SESSION_KEY = "kinerja_mfa_new_key"
NOT_USED = "none"
ENROL = "enrol"
VERIFY = "verify"
VERIFIED = "verified"
STATES = (NOT_USED, ENROL, VERIFY, VERIFIED)
PASSED = (NOT_USED, VERIFIED)

REQUIRED_ROLES = (RoleGrant.Role.ADMIN_BKD, RoleGrant.Role.TIM_PENILAI)
BACKUP_CODE_COUNT = 10
TOTP_NAME = "Autentikator"
BACKUP_NAME = "Kode cadangan"


# --- Who, and what the session still owes ---------------------------------------------


def is_required(user: Any) -> bool:
    """Admin BKD and tim penilai kinerja of their agency, and platform superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if user.agency_id is None:
        return False
    return RoleGrant.objects.filter(
        user=user, agency_id=user.agency_id, role__in=REQUIRED_ROLES
    ).exists()


def totp_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def backup_device(user: User) -> StaticDevice | None:
    device: StaticDevice | None = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_at_login(user: User) -> str:
    if is_enrolled(user):
        return VERIFY
    return ENROL if is_required(user) else NOT_USED


def session_state(request: HttpRequest) -> str:
    """What the session owes; a session from before this feature (no state yet)
    is decided once, like a fresh login."""
    state: str | None = request.session.get(SESSION_KEY)
    if state not in STATES:
        state = state_at_login(request.user)  # type: ignore[arg-type]
        request.session[SESSION_KEY] = state
    return state


def mark_verified(request: HttpRequest) -> None:
    """The session passed the second factor (or just enrolled): a new session
    key, like after the password."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFIED
    request.session.pop(NEW_KEY_SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="kinerja.org.mfa.at_login")
def _at_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_at_login(user)
        request.session.pop(NEW_KEY_SESSION_KEY, None)


def count_failure(request: HttpRequest, user: User) -> bool:
    """A wrong second factor is a failed login for django-axes (per NIP and
    address). Returns whether the account is now locked out; AxesMiddleware
    then answers with the lockout page (429)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


# --- Reads for the pages -----------------------------------------------------------------


def status(user: User) -> dict[str, Any]:
    """The person's second factor for their profile: enrolled since when, how
    many backup codes are left, whether their roles require it."""
    device = totp_device(user)
    backup = backup_device(user)
    return {
        "enrolled": device is not None,
        "since": device.created_at if device is not None else None,
        "last_used": device.last_used_at if device is not None else None,
        "backup_left": StaticToken.objects.filter(device=backup).count() if backup else 0,
        "required": is_required(user),
    }


def new_key() -> str:
    """A fresh secret (hex, 20 bytes) for an enrolment not yet confirmed."""
    key: str = default_key()
    return key


def provisioning_uri(user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    uri: str = TOTPDevice(user=user, key=key, name=TOTP_NAME).config_url
    return uri


def manual_key(key: str) -> str:
    """The secret in base32, in groups of four, for typing into an app."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(data: str) -> str:
    """The QR code as inline SVG (no image request, nothing from a CDN)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg


# --- Writes ----------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join((code or "").split()).lower()


def _new_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": BACKUP_NAME, "confirmed": True}
    )
    StaticToken.objects.filter(device=device).delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    device.throttle_reset(commit=False)
    device.save()
    return codes


def _employee(user: User) -> Employee | None:
    return Employee.objects.filter(user=user).select_related("agency").first()


def _record(action: str, user: User, *, actor: Any = None, **extra: Any) -> None:
    employee = _employee(user)
    record(
        action,
        actor=actor if actor is not None else user,
        agency=user.agency,
        target=employee if employee is not None else user,
        subject=employee,
        **extra,
    )


def mfa_enrol(*, actor: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator app: the code it shows must match `key` (the
    secret shown on the enrolment page). Returns the device and the 10 backup
    codes, shown once. A wrong code is recorded (outside the transaction, so the
    record stays)."""
    if is_enrolled(actor):
        raise ValidationError(_already_enrolled())
    try:
        token = int(_normalise(code))
    except ValueError:
        token = -1
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    if token < 0 or not totp.verify(token, tolerance=1):
        _record("auth.mfa.verify_fail", actor, note="enrol", outcome="denied")
        raise ValidationError(
            _(
                "Kode tidak cocok. Periksa jam di ponsel Anda, lalu masukkan kode "
                "6 angka yang sedang tampil di aplikasi autentikator."
            )
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one enrolment at a time
        if is_enrolled(actor):
            raise ValidationError(_already_enrolled())
        device = TOTPDevice.objects.create(
            user=actor, name=TOTP_NAME, key=key, confirmed=True, last_t=totp.t()
        )
        codes = _new_backup_codes(actor)
        _record("auth.mfa.enrol", actor, after={"backup_codes": len(codes)})
    return device, codes


def _already_enrolled() -> str:
    return _("Autentikator sudah terdaftar. Hapus dulu yang lama untuk mendaftarkan yang baru.")


def mfa_verify(*, actor: User, code: str) -> Device:
    """Check a code at sign-in: 6 digits from the authenticator app, or one of
    the backup codes (used up by this). A wrong code is recorded and refused;
    so is any code while django-otp's throttle holds the device."""
    text = _normalise(code)
    is_totp = text.isdigit() and len(text) == 6
    device: Device | None = totp_device(actor) if is_totp else backup_device(actor)
    if device is None and totp_device(actor) is None:
        raise ValidationError(_("Akun Anda belum memakai autentikasi dua faktor."))
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            raise ValidationError(
                _("Terlalu banyak kode yang salah. Coba lagi setelah pukul %(time)s.")
                % {"time": time_format(timezone.localtime(until), "H:i:s") if until else "-"}
            )
        matched = django_otp.verify_token(actor, device.persistent_id, text)
        if matched is not None:
            if isinstance(matched, StaticDevice):
                left = StaticToken.objects.filter(device=matched).count()
                _record("auth.mfa.backup_code_use", actor, after={"backup_left": left})
            return matched
    _record("auth.mfa.verify_fail", actor, note="sign-in", outcome="denied")
    raise ValidationError(
        _(
            "Kode salah atau sudah kedaluwarsa. Masukkan kode 6 angka dari aplikasi "
            "autentikator, atau salah satu kode cadangan."
        )
    )


@transaction.atomic
def mfa_backup_codes_regenerate(*, actor: User) -> list[str]:
    """10 new backup codes (shown once); the old ones stop working."""
    if not is_enrolled(actor):
        raise ValidationError(_("Daftarkan aplikasi autentikator lebih dulu."))
    codes = _new_backup_codes(actor)
    _record("auth.mfa.backup_codes", actor, after={"backup_codes": len(codes)})
    return codes


def _remove_devices(user: User) -> int:
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return removed


@transaction.atomic
def mfa_remove(*, actor: User, password: str) -> None:
    """The person removes their own second factor, with their password."""
    if not actor.check_password(password):
        raise ValidationError(_("Kata sandi salah. Autentikasi dua faktor tidak dihapus."))
    if not is_enrolled(actor):
        raise ValidationError(_("Akun Anda belum memakai autentikasi dua faktor."))
    _remove_devices(actor)
    _record("auth.mfa.remove", actor)


@transaction.atomic
def mfa_reset(*, actor: User, employee: Employee) -> None:
    """Admin BKD removes an employee's second factor (a lost phone); the person
    enrols again at their next login (when their roles require it) or from
    their profile."""
    if not is_admin(actor, employee.agency_id):
        raise PermissionDenied(_("Hanya admin BKD yang dapat melakukan ini."))
    user = employee.user
    if user is None or not is_enrolled(user):
        raise ValidationError(_("Pegawai ini belum memakai autentikasi dua faktor."))
    _remove_devices(user)
    record("auth.mfa.reset", actor=actor, agency=employee.agency, target=employee, subject=employee)


def pass_for_test_client(client: Any) -> None:
    """Benchmarks and tests: a django.test.Client session signed in with
    `force_login` counts as having passed the second factor (force_login skips
    the password too). Never used by the application itself."""
    session = client.session
    session[SESSION_KEY] = VERIFIED
    session.save()
