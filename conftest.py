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


@pytest.fixture
def login(client):
    """login(user) logs the test client in (force_login: axes needs a real request)."""

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


@pytest.fixture
def browser_login(live_server, page):
    """browser_login(username) signs in through the real login form."""
    from kinerja.testing import PASSWORD

    def _login(username, password=PASSWORD):
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("NIP atau nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
