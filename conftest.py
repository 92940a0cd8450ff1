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
