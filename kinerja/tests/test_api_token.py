"""API tokens: POST /api/token/ behind the axes lockout; tokens that end (idle,
age, revocation by the owner, a password change or reset, a deactivation, a
change of roles); the owner's list; creation, use and revocation audited."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.org.models import ApiToken, RoleGrant
from kinerja.testing import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/token/"


def obtain(client, nip, password=PASSWORD, **extra):
    body = {"nip": nip, "password": password, **extra}
    return client.post(TOKEN, body, content_type="application/json")


def works(token):
    """Whether the API accepts the token (a refused token is a 403: session
    authentication comes first and sends no WWW-Authenticate challenge)."""
    status = Client(HTTP_AUTHORIZATION=f"Token {token}").get(reverse("employee-list")).status_code
    assert status in (200, 403), status
    return status == 200


def test_token_flow(world, client):
    response = obtain(client, world.staff.nip, name="Aplikasi absensi")
    assert response.status_code == 200
    token = response.json()["token"]
    second = obtain(client, world.staff.nip).json()["token"]
    assert second != token  # a new key each time, shown once
    stored = ApiToken.objects.get(prefix=token[:8])
    assert stored.key_hash != token and len(stored.key_hash) == 64  # only the hash is kept
    assert stored.name == "Aplikasi absensi"
    assert AuditEvent.objects.filter(action="auth.token.create").count() == 2

    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rows = api.get(reverse("employee-list")).json()["results"]
    assert [r["name"] for r in rows] == ["Dewi Anggraini"]
    assert api.get(reverse("employee-detail", args=[world.peer.pk])).status_code == 404
    # Use is recorded once an hour, not on every request.
    assert AuditEvent.objects.filter(action="auth.token.use").count() == 1


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
    assert not works("0123456789abcdef0123456789abcdef01234567")


def test_deactivated_employee_loses_the_token(world, client):
    token = obtain(client, world.staff.nip).json()["token"]
    services.employee_deactivate(actor=None, employee=world.staff, until=world.staff.active_from)
    assert not works(token)
    assert ApiToken.objects.get(prefix=token[:8]).revoked_reason == "deactivated"
    assert obtain(client, world.staff.nip).status_code == 400


def test_only_post(world, client):
    assert client.get(TOKEN).status_code == 405


@pytest.mark.parametrize(
    ("idle_days", "age_days", "works_now"),
    [(29, 29, True), (31, 31, False), (1, 366, False), (1, 364, True)],
)
def test_idle_and_age_limits(world, client, idle_days, age_days, works_now):
    token = obtain(client, world.staff.nip).json()["token"]
    now = timezone.now()
    ApiToken.objects.update(
        created_at=now - dt.timedelta(days=age_days),
        last_used_at=now - dt.timedelta(days=idle_days),
    )
    assert works(token) is works_now


def test_password_change_revokes_every_token(world, client):
    tokens = [obtain(client, world.staff.nip).json()["token"] for _ in range(2)]
    browser = Client()
    browser.force_login(world.user("staff"))
    new = "sandi-baru-yang-panjang-7"
    response = browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert [works(t) for t in tokens] == [False, False]
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"password_changed"}


def test_admin_reset_revokes(world, client):
    token = obtain(client, world.staff.nip).json()["token"]
    services.user_password_set(
        actor=world.user("admin"), employee=world.staff, password="sandi-baru-yang-panjang-7"
    )
    assert not works(token)
    event = AuditEvent.objects.filter(action="auth.token.revoke").get()
    assert event.after == {"tokens": 1, "reason": "password_reset"}


def test_role_change_revokes(world, client):
    token = obtain(client, world.staff.nip).json()["token"]
    services.role_grant(
        actor=world.user("admin"), user=world.user("staff"), role=RoleGrant.Role.TIM_PENILAI
    )
    assert not works(token)


def test_owner_lists_and_revokes_on_the_profile_and_in_the_api(world, client):
    first = obtain(client, world.staff.nip, name="Satu").json()["token"]
    second = obtain(client, world.staff.nip, name="Dua").json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {second}")
    listed = api.get("/api/tokens/").json()
    assert [t["name"] for t in listed] == ["Dua", "Satu"]
    assert "key_hash" not in listed[0]
    browser = Client()
    browser.force_login(world.user("staff"))
    page = browser.get(reverse("org:profile")).content.decode()
    assert f"{first[:8]}…" in page and f"{second[:8]}…" in page
    one = ApiToken.objects.get(prefix=first[:8])
    assert browser.post(reverse("org:token_revoke", args=[one.pk])).status_code == 302
    assert not works(first) and works(second)
    # Another person's token is a 404, on the page and in the API.
    peer = Client()
    peer.force_login(world.user("peer"))
    two = ApiToken.objects.get(prefix=second[:8])
    assert peer.post(reverse("org:token_revoke", args=[two.pk])).status_code == 404
    assert peer.post(f"/api/tokens/{two.pk}/revoke/").status_code == 404
    assert api.post(f"/api/tokens/{two.pk}/revoke/").status_code == 200
    assert not works(second)
