"""The printed SKP and its verification through the API, as the pages: the PDF for
whoever may see the SKP (recorded as a print), a foreign or invisible SKP a 404, and
the public verification of a printed version by its QR token."""

import uuid

from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.planning.models import SkpVersion

from .factories import skp_of


def test_api_prints_the_approved_skp_for_who_may_see_it(world, year, approved_kasi, login):
    client = login(world.user("kabid"))
    response = client.get(f"/api/skp/{approved_kasi.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    nip = world.kasi.nip
    assert response["Content-Disposition"] == f'attachment; filename="SKP-{nip}-2026-v1.pdf"'
    event = AuditEvent.objects.get(action="planning.skp.print")
    assert (event.actor_id, event.subject_id, event.after) == (
        world.user("kabid").pk,
        world.kasi.pk,
        {"version": 1},
    )
    # Asked for as a PDF, or a version by number, as the page's ?versi=.
    response = client.get(
        f"/api/skp/{approved_kasi.pk}/pdf/?version=1", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/api/skp/{approved_kasi.pk}/pdf/?version=7").status_code == 404
    # The page records its print the same way.
    login(world.user("kasi")).get(reverse("planning:skp_pdf", args=[approved_kasi.pk]))
    assert AuditEvent.objects.filter(action="planning.skp.print").count() == 3


def test_api_print_refuses_who_may_not_see(world, year, approved_kasi, login):
    for name in ("staff", "outsider_admin"):
        response = login(world.user(name)).get(f"/api/skp/{approved_kasi.pk}/pdf/")
        assert response.status_code == 404, name
        response = login(world.user(name)).get(
            f"/api/skp/{approved_kasi.pk}/pdf/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 404, name
    assert not AuditEvent.objects.filter(action="planning.skp.print").exists()
    assert AuditEvent.objects.filter(action="planning.skp.view", outcome="denied").count() >= 2


def test_draft_prints_as_konsep_through_the_api(world, year, login):
    skp = skp_of(world.staff, year)
    response = login(world.user("staff")).get(f"/api/skp/{skp.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.get(action="planning.skp.print").after == {"version": None}


def test_public_verification_by_token(world, year, approved_kasi, client):
    version = SkpVersion.objects.get(skp=approved_kasi)
    response = client.get(f"/api/skp-verifications/{version.token}/")  # no login
    assert response.status_code == 200
    assert response.json() == {
        "skp": approved_kasi.pk,
        "format": version.content["format"],
        "year": 2026,
        "version": 1,
        "content_hash": version.content_hash,
        "employee_name": version.content["employee"]["name"],
        "employee_nip": world.kasi.nip,
        "approved_by_name": version.approved_by_name,
        "approved_at": response.json()["approved_at"],
        "is_latest": True,
    }
    page = client.get(reverse("planning:verify", args=[version.token])).content.decode()
    assert version.content_hash in page
    assert client.get(f"/api/skp-verifications/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/skp-verifications/not-a-token/").status_code == 404
