"""Security basics: argon2, password policy, lockout, idle timeout, NIP login,
POST logout, and production settings that pass `check --deploy`."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kinerja import settings as project_settings
from kinerja.audit.models import AuditEvent
from kinerja.testing import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the root conftest for the browser tests; a real deployment has no such thing.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env():
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kinerja.example.go.id",
        "DEBUG": "0",
    }


# --- Passwords -----------------------------------------------------------------


def test_argon2_is_the_first_hasher():
    # The test settings swap in MD5 for speed; the project's settings module is the truth.
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert (
        Argon2PasswordHasher()
        .encode("kata-sandi-contoh", "garamgaramgaram")
        .startswith("argon2$argon2id$")
    )


def test_minimum_length_comes_from_settings():
    assert project_settings.PASSWORD_MIN_LENGTH == 12
    validators = {v["NAME"]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS}
    min_length = validators["django.contrib.auth.password_validation.MinimumLengthValidator"]
    assert min_length == {"min_length": settings.PASSWORD_MIN_LENGTH}


def test_minimum_length_is_configurable_by_environment():
    code = (
        "from django.contrib.auth.password_validation import get_default_password_validators as g;"
        "print([v.min_length for v in g() if hasattr(v, 'min_length')][0])"
    )
    result = run_manage("shell", "-c", code, PASSWORD_MIN_LENGTH="16")
    assert result.stdout.strip().splitlines()[-1] == "16", result.stderr


def test_short_password_is_refused_in_indonesian(world, client):
    client.force_login(world.user("staff"))
    short = "Abcdefgh-10"  # 11 characters
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": short, "new_password2": short},
    )
    assert response.status_code == 200
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter." in (
        response.content.decode()
    )
    world.user("staff").refresh_from_db()
    assert world.user("staff").check_password(PASSWORD)


def test_twelve_characters_are_accepted(world, client):
    client.force_login(world.user("staff"))
    good = "Kopi-Toraja7"  # 12 characters
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": good, "new_password2": good},
    )
    assert response.status_code == 302
    world.user("staff").refresh_from_db()
    assert world.user("staff").check_password(good)
    event = AuditEvent.objects.get(action="org.user.password_change")
    assert (event.actor, event.subject, event.after) == (world.user("staff"), world.staff, None)
    assert good not in str(event.__dict__)


# --- Login, lockout, logout ------------------------------------------------------


def login_post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_by_nip_through_the_real_form(world, client):
    response = login_post(client, world.staff.nip, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "Dewi Anggraini" in page


def test_wrong_password_is_explained_in_indonesian(world, client):
    response = login_post(client, world.staff.nip, "salah-sama-sekali")
    assert response.status_code == 200
    assert "NIP atau kata sandi salah." in response.content.decode()


def test_lockout_after_repeated_failures(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert login_post(client, world.staff.nip, "salah-sama-sekali").status_code == 200
    response = login_post(client, world.staff.nip, "salah-sama-sekali")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Akun dikunci sementara" in page
    assert "Terlalu banyak percobaan masuk yang gagal." in page
    # Even the right password is refused while locked out.
    response = login_post(client, world.staff.nip, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another NIP from the same address is not locked.
    assert login_post(client, world.peer.nip, PASSWORD).status_code == 302


def test_admin_setting_a_password_lifts_the_lockout(world, client, login):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_post(client, world.staff.nip, "salah-sama-sekali")
    assert login_post(client, world.staff.nip, PASSWORD).status_code == 429
    admin = login(world.user("admin"))
    new = "Padi-Menguning-di-Sawah-7"
    admin.post(
        reverse("org:employee_password", args=[world.staff.pk]),
        {"pw-new_password1": new, "pw-new_password2": new},
    )
    admin.post(reverse("logout"))
    assert login_post(client, world.staff.nip, new).status_code == 302


def test_logout_is_post_only(world, client):
    login_post(client, world.staff.nip, PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


# --- Idle timeout -----------------------------------------------------------------


def _session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_timeout_is_thirty_minutes_and_slides(world, client):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    login_post(client, world.staff.nip, PASSWORD)
    expected = timezone.now() + dt.timedelta(seconds=1800)
    assert abs(_session_row(client).expire_date - expected) < dt.timedelta(seconds=10)
    # Activity moves the expiry forward again.
    Session.objects.filter(pk=_session_row(client).pk).update(
        expire_date=timezone.now() + dt.timedelta(seconds=60)
    )
    assert client.get(reverse("home")).status_code == 200
    expected = timezone.now() + dt.timedelta(seconds=1800)
    assert abs(_session_row(client).expire_date - expected) < dt.timedelta(seconds=10)


def test_idle_session_is_signed_out(world, client):
    login_post(client, world.staff.nip, PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("org:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Production settings -------------------------------------------------------------


def test_check_deploy_security_has_no_issues():
    """Django's own deployment checks (HTTPS, cookies, HSTS, secret key, ...)."""
    result = run_manage("check", "--deploy", "--tag", "security", **production_env())
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", (
        result.stdout + result.stderr
    )


def test_check_deploy_prints_zero_warnings():
    """The whole `check --deploy`, every app's checks included (the API schema too)."""
    result = run_manage("check", "--deploy", **production_env())
    assert result.stderr == ""
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**production_env(), "SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
