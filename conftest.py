import os

# Sync Playwright runs an event loop; Django would otherwise refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_and_inline(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JOBS_BACKEND = "eager"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "id"
    settings.AUDIT_STRICT = True


@pytest.fixture
def world(db):
    from kinerja.testing import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`Client.force_login` skips the password, and here the second factor too:
    its session is marked as having passed the code step (kinerja/org/mfa.py),
    so tests of pages as admin BKD or tim penilai need no authenticator. Tests
    of the code step sign in through the real login form (`client.post` to
    /masuk/), which leaves the session owing its code."""
    from django.test import Client

    from kinerja.org import mfa

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mfa.pass_for_test_client(self)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def login(client):
    """login(user) logs the test client in (force_login: axes needs a real
    request), with the second factor passed (see above)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests (Playwright for Python driving Debian's chromium) ---------
# Never `playwright install`: it downloads a browser from a network these
# machines cannot reach. Mark browser tests with @pytest.mark.browser and use
# the `page` fixture with `live_server` (they need `transactional_db`).

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import shutil

    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "headless": True,
        "args": BROWSER_ARGS,
    }


def _second_factor(username):
    """The current code of the person's authenticator, after enrolling one for
    them when their roles require it (None when they sign in without one)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kinerja.org import mfa
    from kinerja.org.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    device = mfa.totp_device(user)
    if device is None and not mfa.is_required(user):
        return None
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Uji", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a second login in one step
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def browser_login(live_server, page):
    """browser_login(username) signs in through the real login form."""
    from kinerja.testing import PASSWORD

    def _login(username, password=PASSWORD):
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("NIP atau nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        code = _second_factor(username)
        page.get_by_role("button", name="Masuk").click()
        if code is not None:
            # Roles that require it: the code page, with a code computed now.
            page.wait_for_url(f"{live_server.url}/masuk/kode/**")
            page.get_by_label("Kode", exact=True).fill(code)
            page.get_by_role("button", name="Lanjutkan").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
