"""POST /api/token/: NIP and password for an API token, behind the axes lockout."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.testing import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/token/"


def obtain(client, nip, password=PASSWORD):
    return client.post(TOKEN, {"nip": nip, "password": password}, content_type="application/json")


def test_token_flow(world, client):
    response = obtain(client, world.staff.nip)
    assert response.status_code == 200
    token = response.json()["token"]
    assert obtain(client, world.staff.nip).json()["token"] == token  # reused
    assert AuditEvent.objects.filter(action="auth.token.create").count() == 1

    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rows = api.get(reverse("employee-list")).json()["results"]
    assert [r["name"] for r in rows] == ["Dewi Anggraini"]
    assert api.get(reverse("employee-detail", args=[world.peer.pk])).status_code == 404


def test_token_url_is_named(world):
    assert reverse("api-token") == TOKEN


def test_wrong_password_is_a_400(world, client):
    response = obtain(client, world.staff.nip, "salah-sandi-123")
    assert response.status_code == 400
    assert response.json() == {"detail": ["NIP atau kata sandi salah."]}
    assert "token" not in response.json()


def test_missing_fields_are_a_400(world, client):
    response = client.post(TOKEN, {"nip": world.staff.nip}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_repeated_failures_lock_the_nip_out(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(client, world.staff.nip, "salah-sandi-123").status_code == 400
    # The last allowed failure locks, and then even the right password is refused.
    assert obtain(client, world.staff.nip, "salah-sandi-123").status_code == 429
    assert obtain(client, world.staff.nip).status_code == 429
    assert AccessAttempt.objects.get(username=world.staff.nip).failures_since_start >= 5
    # Another NIP from the same address is not locked.
    assert obtain(client, world.peer.nip).status_code == 200


def test_invalid_token_is_refused(world):
    api = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert api.get(reverse("employee-list")).status_code in (401, 403)


def test_deactivated_employee_loses_the_token(world, client):
    token = obtain(client, world.staff.nip).json()["token"]
    services.employee_deactivate(actor=None, employee=world.staff, until=world.staff.active_from)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("employee-list")).status_code in (401, 403)
    assert obtain(client, world.staff.nip).status_code == 400


def test_only_post(world, client):
    assert client.get(TOKEN).status_code == 405
