"""The second sign-in factor (kinerja/org/mfa.py): enrolment with a real TOTP
code, the code step after the password, backup codes used once, the roles that
must enrol (pages and session API held back), removal with the password, the
lockout, admin BKD's reset, and the token endpoint."""

import time
from binascii import unhexlify

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.audit.models import AuditEvent
from kinerja.org import mfa
from kinerja.org.models import User
from kinerja.testing import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(key_hex):
    """The code an authenticator app shows now for this secret."""
    return f"{totp(unhexlify(key_hex)):06d}"


def wrong_code_for(key_hex):
    """Six digits that no window around now accepts."""
    now = time.time()
    valid = set()
    for drift in range(-2, 3):
        maker = TOTP(unhexlify(key_hex), drift=drift)
        maker.time = now
        valid.add(maker.token())
    return next(f"{n:06d}" for n in range(1000000) if n not in valid)


def sign_in(client, user, password=PASSWORD):
    """The real login form: the session then owes whatever the person's roles
    and devices ask (force_login in tests passes the second factor)."""
    return client.post(reverse("login"), {"username": user.username, "password": password})


def enrol(user):
    """An enrolled authenticator, through the service, with a real code."""
    key = mfa.new_key()
    device, codes = mfa.mfa_enrol(actor=user, key=key, code=code_for(key))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the code may be used again
    return key, codes


def body(response):
    return response.content.decode()


def allow_next_try():
    """django-otp waits 1, 2, 4... seconds after a wrong code; move the wait back."""
    TOTPDevice.objects.update(throttling_failure_timestamp=None)
    StaticDevice.objects.update(throttling_failure_timestamp=None)


# --- Enrolment ----------------------------------------------------------------


def test_enrol_from_the_profile_with_a_real_code(world, login):
    client = login(world.user("staff"))
    assert "Autentikasi dua faktor" in body(client.get(reverse("org:profile")))
    page = client.get(reverse("org:mfa_enrol"))
    assert page.status_code == 200
    html = body(page)
    assert "<svg" in html and "<img" not in html  # the QR code inline, no image request
    key = client.session[mfa.NEW_KEY_SESSION_KEY]
    assert mfa.manual_key(key) in html
    assert "otpauth://" not in html  # the secret travels only inside the QR code and key
    response = client.post(reverse("org:mfa_enrol"), {"code": code_for(key)})
    assert response.status_code == 200
    shown = response.context["codes"]
    assert len(shown) == 10 and len(set(shown)) == 10
    assert all(code in body(response) for code in shown)
    device = TOTPDevice.objects.get(user=world.user("staff"))
    assert device.confirmed and device.key == key
    stored = StaticToken.objects.filter(device__user=world.user("staff"))
    assert sorted(stored.values_list("token", flat=True)) == sorted(shown)
    event = AuditEvent.objects.get(action="auth.mfa.enrol")
    assert (event.actor, event.subject, event.after) == (
        world.user("staff"),
        world.staff,
        {"backup_codes": 10},
    )
    assert key not in str(event.__dict__)
    # The codes are shown once: the status page only counts them.
    page = body(client.get(reverse("org:mfa")))
    assert "Tersisa 10 kode cadangan." in page
    assert not any(code in page for code in shown)


def test_a_wrong_code_does_not_enrol(world, login):
    client = login(world.user("staff"))
    client.get(reverse("org:mfa_enrol"))
    key = client.session[mfa.NEW_KEY_SESSION_KEY]
    response = client.post(reverse("org:mfa_enrol"), {"code": wrong_code_for(key)})
    assert response.status_code == 200
    assert "Kode tidak cocok." in body(response)
    assert not TOTPDevice.objects.exists()
    event = AuditEvent.objects.get(action="auth.mfa.verify_fail")
    assert (event.subject, event.outcome, event.note) == (world.staff, "denied", "enrol")
    # The same key stays on the page for the next try.
    assert mfa.manual_key(key) in body(client.get(reverse("org:mfa_enrol")))


def test_enrolling_twice_is_refused(world):
    enrol(world.user("staff"))
    key = mfa.new_key()
    with pytest.raises(Exception, match="sudah terdaftar"):
        mfa.mfa_enrol(actor=world.user("staff"), key=key, code=code_for(key))
    assert TOTPDevice.objects.count() == 1


# --- The code step after the password ---------------------------------------------------


def test_an_enrolled_employee_is_asked_for_the_code(world, client):
    key, _codes = enrol(world.user("staff"))
    response = sign_in(client, world.user("staff"))
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.url == reverse("mfa_verify") + "?next=%2F"
    assert client.get(reverse("org:profile")).status_code == 302
    response = client.get(response.url)
    assert "Kode autentikasi" in body(response)
    assert 'href="/org/pegawai/"' not in body(response)  # no menu until the code
    response = client.post(reverse("mfa_verify"), {"code": wrong_code_for(key), "next": "/"})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa." in body(response)
    event = AuditEvent.objects.get(action="auth.mfa.verify_fail")
    assert (event.actor, event.subject, event.note) == (world.user("staff"), world.staff, "sign-in")
    allow_next_try()
    response = client.post(
        reverse("mfa_verify"), {"code": code_for(key), "next": reverse("org:profile")}
    )
    assert response.status_code == 302 and response.url == reverse("org:profile")
    assert client.get(reverse("home")).status_code == 200


def test_a_code_right_after_a_wrong_one_waits_with_a_clear_message(world, client):
    key, _codes = enrol(world.user("staff"))
    sign_in(client, world.user("staff"))
    client.post(reverse("mfa_verify"), {"code": wrong_code_for(key)})
    response = client.post(reverse("mfa_verify"), {"code": code_for(key)})
    assert "Terlalu banyak kode yang salah. Coba lagi setelah pukul" in body(response)
    assert client.get(reverse("home")).status_code == 302


def test_repeated_wrong_codes_lock_the_account_out(world, client):
    key, _codes = enrol(world.user("staff"))
    sign_in(client, world.user("staff"))
    wrong = wrong_code_for(key)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        allow_next_try()
        assert client.post(reverse("mfa_verify"), {"code": wrong}).status_code == 200
    allow_next_try()
    response = client.post(reverse("mfa_verify"), {"code": wrong})
    assert response.status_code == 429
    assert "Akun dikunci sementara" in body(response)
    assert "_auth_user_id" not in client.session  # signed out
    # Even the right password is refused now.
    assert sign_in(client, world.user("staff")).status_code == 429
    assert AuditEvent.objects.filter(action="auth.mfa.verify_fail").count() == 5


def test_a_backup_code_works_once(world, client):
    _key, codes = enrol(world.user("staff"))
    sign_in(client, world.user("staff"))
    response = client.post(reverse("mfa_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=world.user("staff")).count() == 9
    event = AuditEvent.objects.get(action="auth.mfa.backup_code_use")
    assert (event.subject, event.after) == (world.staff, {"backup_left": 9})
    client.post(reverse("logout"))
    sign_in(client, world.user("staff"))
    response = client.post(reverse("mfa_verify"), {"code": codes[0]})
    assert "Kode salah atau sudah kedaluwarsa." in body(response)
    assert client.get(reverse("home")).status_code == 302
    allow_next_try()
    assert client.post(reverse("mfa_verify"), {"code": codes[1]}).status_code == 302


def test_an_employee_without_an_authenticator_signs_in_with_the_password(world, client):
    assert sign_in(client, world.user("staff")).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("employee-list")).status_code == 200


# --- Roles that must use it ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "forum", "superuser"])
def test_required_roles_can_do_nothing_before_enrolling(world, client, who):
    user = _required_user(world, who)
    response = sign_in(client, user)
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.url == reverse("org:mfa_enrol") + "?next=%2F"
    for url in (reverse("org:employee_list"), f"/{settings.ADMIN_URL}", reverse("mfa_verify")):
        assert client.get(url).url.startswith(reverse("org:mfa_enrol")), url
    response = client.get(reverse("employee-list"))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Peran Anda mewajibkan autentikasi dua faktor. Daftarkan aplikasi "
        "autentikator di halaman profil lebih dulu."
    }
    page = client.get(reverse("org:mfa_enrol"))
    assert "Peran Anda mewajibkan autentikasi dua faktor." in body(page)
    key = client.session[mfa.NEW_KEY_SESSION_KEY]
    response = client.post(reverse("org:mfa_enrol"), {"code": code_for(key), "next": "/"})
    assert len(response.context["codes"]) == 10
    assert client.get(reverse("home")).status_code == 200
    if who != "superuser":
        assert client.get(reverse("employee-list")).status_code == 200


def _required_user(world, who):
    if who == "superuser":
        return User.objects.create_superuser("platform", password=PASSWORD)
    if who == "forum":
        from kinerja.org.models import RoleGrant

        RoleGrant.objects.create(
            agency=world.agency, user=world.user("kabid"), role=RoleGrant.Role.TIM_PENILAI
        )
        return world.user("kabid")
    return world.user("admin")


def test_an_enrolled_admin_owes_the_code_to_pages_and_the_session_api(world, client):
    key, _codes = enrol(world.user("admin"))
    sign_in(client, world.user("admin"))
    assert client.get(reverse("org:employee_list")).url.startswith(reverse("mfa_verify"))
    assert client.get(reverse("org:mfa_enrol")).url.startswith(reverse("mfa_verify"))
    response = client.get(reverse("employee-list"))
    assert response.status_code == 403
    assert "belum melewati autentikasi dua faktor" in response.json()["detail"]
    client.post(reverse("mfa_verify"), {"code": code_for(key)})
    assert client.get(reverse("employee-list")).status_code == 200
    assert client.get(reverse("org:employee_list")).status_code == 200


def test_logout_stays_open_before_the_code(world, client):
    enrol(world.user("admin"))
    sign_in(client, world.user("admin"))
    assert client.post(reverse("logout")).url == reverse("login")
    assert "_auth_user_id" not in client.session


# --- Backup codes and removal ---------------------------------------------------------------


def test_new_backup_codes_replace_the_old_ones(world, login):
    _key, old = enrol(world.user("staff"))
    client = login(world.user("staff"))
    response = client.post(reverse("org:mfa_backup_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(new)
    assert AuditEvent.objects.filter(action="auth.mfa.backup_codes", subject=world.staff).exists()


def test_removal_needs_the_password(world, login):
    enrol(world.user("staff"))
    client = login(world.user("staff"))
    response = client.post(reverse("org:mfa_remove"), {"password": "bukan-sandinya-123"})
    assert "Kata sandi salah. Autentikasi dua faktor tidak dihapus." in body(response)
    assert TOTPDevice.objects.count() == 1
    response = client.post(reverse("org:mfa_remove"), {"password": PASSWORD})
    assert response.url == reverse("org:mfa")
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert AuditEvent.objects.filter(action="auth.mfa.remove", subject=world.staff).count() == 1
    assert "belum aktif" in body(client.get(reverse("org:mfa")))
    assert client.get(reverse("home")).status_code == 200


def test_an_admin_who_removes_it_must_enrol_again(world, login):
    enrol(world.user("admin"))
    client = login(world.user("admin"))
    response = client.post(reverse("org:mfa_remove"), {"password": PASSWORD})
    assert response.url == reverse("org:mfa_enrol")
    assert client.get(reverse("org:employee_list")).url.startswith(reverse("org:mfa_enrol"))


# --- Admin BKD's reset ------------------------------------------------------------------


def test_admin_bkd_resets_a_lost_phone(world, login, client):
    key, _codes = enrol(world.user("staff"))
    admin = login(world.user("admin"))
    url = reverse("org:employee_mfa_reset", args=[world.staff.pk])
    assert "Atur ulang autentikasi dua faktor" in body(
        admin.get(reverse("org:employee_detail", args=[world.staff.pk]))
    )
    response = admin.post(url, follow=True)
    assert "Autentikasi dua faktor pegawai dihapus" in body(response)
    assert not TOTPDevice.objects.filter(user=world.user("staff")).exists()
    assert not StaticDevice.objects.filter(user=world.user("staff")).exists()
    event = AuditEvent.objects.get(action="auth.mfa.reset")
    assert (event.actor, event.subject, event.agency) == (
        world.user("admin"),
        world.staff,
        world.agency,
    )
    # Nothing left to reset: the message says so.
    response = admin.post(url, follow=True)
    assert "belum memakai autentikasi dua faktor" in body(response)
    # The employee signs in with the password alone again.
    other = Client()
    sign_in(other, world.user("staff"))
    assert other.get(reverse("home")).status_code == 200


def test_only_admin_bkd_resets_and_only_in_their_agency(world, login):
    enrol(world.user("staff"))
    url = reverse("org:employee_mfa_reset", args=[world.staff.pk])
    response = login(world.user("kabid")).post(url)
    assert response.status_code == 403
    assert "Hanya admin BKD yang dapat melakukan ini." in body(response)
    response = login(world.user("outsider_admin")).post(url)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="org.employee.view", outcome="denied").exists()
    assert TOTPDevice.objects.filter(user=world.user("staff")).exists()
    assert not AuditEvent.objects.filter(action="auth.mfa.reset").exists()


# --- API tokens ------------------------------------------------------------------------


def obtain(client, user, **extra):
    body = {"nip": user.username, "password": PASSWORD, **extra}
    return client.post(reverse("api-token"), body, content_type="application/json")


def test_a_token_needs_the_code_when_the_person_uses_one(world, client):
    key, _codes = enrol(world.user("staff"))
    response = obtain(client, world.user("staff"))
    assert response.status_code == 400
    assert response.json() == {
        "otp": ["Akun ini memakai autentikasi dua faktor: kirim juga kodenya (otp)."]
    }
    response = obtain(client, world.user("staff"), otp=wrong_code_for(key))
    assert response.status_code == 400
    assert "Kode salah" in response.json()["otp"][0]
    allow_next_try()
    response = obtain(client, world.user("staff"), otp=code_for(key))
    assert response.status_code == 200
    token = response.json()["token"]
    # The token itself works without any code.
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("employee-list")).status_code == 200


def test_a_required_role_gets_no_token_before_enrolling(world, client):
    response = obtain(client, world.user("admin"))
    assert response.status_code == 403
    assert "mewajibkan autentikasi dua faktor" in response.json()["detail"]
    key, _codes = enrol(world.user("admin"))
    assert obtain(client, world.user("admin"), otp=code_for(key)).status_code == 200


# --- Query counts --------------------------------------------------------------------


def test_a_verified_session_costs_no_extra_query(world, login):
    """The middleware reads the session only: the same page, with or without an
    authenticator enrolled, runs the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.user("admin"))
    client.get(reverse("org:employee_list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("org:employee_list"))
    enrol(world.user("admin"))
    client = login(world.user("admin"))
    client.get(reverse("org:employee_list"))
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("org:employee_list"))
    assert len(before.captured_queries) == len(after.captured_queries)


def test_the_platform_admin_does_not_list_authenticators():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_admin_bkd_resets_through_the_api_too(world, login):
    enrol(world.user("staff"))
    url = reverse("employee-mfa-reset", args=[world.staff.pk])
    response = login(world.user("kabid")).post(url)
    assert response.status_code == 403
    assert TOTPDevice.objects.exists()
    response = login(world.user("outsider_admin")).post(url)
    assert response.status_code == 404
    response = login(world.user("admin")).post(url)
    assert response.status_code == 200 and response.json()["nip"] == world.staff.nip
    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action="auth.mfa.reset", subject=world.staff).count() == 1
    response = login(world.user("admin")).post(url)
    assert response.status_code == 400
    assert "belum memakai autentikasi dua faktor" in str(response.json())
