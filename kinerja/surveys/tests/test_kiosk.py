"""A kiosk (a counter's tablet) answers many times from one network address
without its answers being held for review by the per-address limit; only the
kiosk's own hourly limit applies, and a revoked kiosk is an ordinary device
again (issue 13)."""

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.surveys import services
from kinerja.surveys.models import Kiosk, Response
from kinerja.surveys.services import rate_limits

from .factories import answers

pytestmark = pytest.mark.django_db


def public(service):
    return reverse("surveys:public_survey", args=[service.token])


def _issue(client, service, name="Tablet loket 1"):
    response = client.post(reverse("surveys:kiosks", args=[service.pk]), {"name": name})
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index("http://testserver/survei/s/")
    return body[start : body.index('"', start)]


def test_admin_issues_a_kiosk_and_its_link_is_shown_once(world, login, service):
    client = login(world.user("admin"))
    link = _issue(client, service)
    kiosk = Kiosk.objects.get()
    assert kiosk.name == "Tablet loket 1" and kiosk.created_by == world.user("admin")
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert kiosk.key_hash != key and len(kiosk.key_hash) == 64  # only the hash is kept
    page = client.get(reverse("surveys:kiosks", args=[service.pk])).content.decode()
    assert "Tablet loket 1" in page and key not in page
    assert AuditEvent.objects.filter(action="surveys.kiosk.issue").count() == 1


def test_a_kiosk_needs_a_name(world, login, service):
    client = login(world.user("admin"))
    response = client.post(reverse("surveys:kiosks", args=[service.pk]), {"name": "  "})
    assert "Beri nama perangkat" in response.content.decode()
    assert not Kiosk.objects.exists()


def test_kiosk_answers_skip_the_address_limit_but_not_their_own(
    world, login, client, service, period, monkeypatch
):
    monkeypatch.setattr(rate_limits, "ADDRESS_LIMIT", 2)
    monkeypatch.setattr(rate_limits, "DEVICE_LIMIT_PER_DAY", 2)
    monkeypatch.setattr(rate_limits, "KIOSK_LIMIT_PER_HOUR", 4)
    link = _issue(login(world.user("admin")), service)
    tablet = client
    tablet.logout()
    response = tablet.get(link)
    assert response.status_code == 302 and response["Location"] == public(service)
    assert "skm_kiosk" in response.cookies
    for _i in range(5):
        assert tablet.post(public(service), answers(4)).status_code == 302
    rows = list(Response.objects.order_by("pk"))
    assert [r.flag for r in rows] == ["", "", "", "", "pending"]
    assert "perangkat kios yang sama" in rows[-1].flag_reason
    assert {r.kiosk_id for r in rows} == {Kiosk.objects.get().pk}
    assert Kiosk.objects.get().last_used_at is not None


def test_revoked_kiosk_is_an_ordinary_device_again(world, login, client, service, period):
    admin = login(world.user("admin"))
    link = _issue(admin, service)
    kiosk = Kiosk.objects.get()
    admin.post(reverse("surveys:kiosk_revoke", args=[kiosk.pk]))
    kiosk.refresh_from_db()
    assert kiosk.revoked_at is not None and kiosk.revoked_by == world.user("admin")
    assert client.get(link).status_code == 404
    # Revoking twice is refused with the reason and changes nothing.
    response = admin.post(reverse("surveys:kiosk_revoke", args=[kiosk.pk]), follow=True)
    assert "sudah dicabut" in response.content.decode()
    assert AuditEvent.objects.filter(action="surveys.kiosk.revoke").count() == 1


def test_a_key_of_another_service_is_not_a_kiosk(world, service, period):
    from .factories import make_service

    other = make_service(world, name="Layanan lain")
    _kiosk, key = services.kiosk_issue(actor=world.user("admin"), service=other, name="Tablet")
    row = services.response_submit(
        service=service, data=answers(4), device_id="d", address="10.0.0.9", kiosk_key=key
    )
    assert row.kiosk is None


def test_api_issues_lists_and_revokes(world, login, service, period):
    client = login(world.user("admin"))
    made = client.post(
        "/api/survey-kiosks/", {"service": service.pk, "name": "Tablet loket 2"}, "application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["name"] == "Tablet loket 2" and body["active"] is True
    key = body["activation_url"].rstrip("/").rsplit("/", 1)[1]
    listed = client.get("/api/survey-kiosks/").json()
    assert [k["name"] for k in listed["results"]] == ["Tablet loket 2"]
    assert "activation_url" not in listed["results"][0]
    # The public API takes the key as a header.
    anonymous = client.__class__()
    sent = anonymous.post(
        f"/api/survey-public/{service.token}/submit/",
        answers(4),
        "application/json",
        HTTP_X_KIOSK_KEY=key,
    )
    assert sent.status_code == 201
    assert Response.objects.get().kiosk_id == body["id"]
    revoked = client.post(f"/api/survey-kiosks/{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    again = client.post(f"/api/survey-kiosks/{body['id']}/revoke/")
    assert again.status_code == 400


def test_api_refuses_a_service_outside_the_scope(world, login, service):
    staff = login(world.user("staff"))
    response = staff.post(
        "/api/survey-kiosks/", {"service": service.pk, "name": "Tablet"}, "application/json"
    )
    assert response.status_code == 403  # no survey role: no list, no issuing
    assert not Kiosk.objects.exists()
