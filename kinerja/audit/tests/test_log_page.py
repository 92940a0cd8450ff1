"""The agency audit log page for admin BKD."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import record
from kinerja.org.models import User

pytestmark = pytest.mark.django_db
URL = "org:audit_log"


def page_of(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def events(world):
    record("org.employee.view", actor=world.user("kabid"), target=world.staff, subject=world.staff)
    record("org.employee.move", actor=world.user("admin"), target=world.peer, subject=world.peer)
    record(
        "org.employee.view",
        actor=world.user("outsider_admin"),
        agency=world.other_agency,
        target=world.outsider,
        subject=world.outsider,
    )
    old = AuditEvent.objects.create(
        agency=world.agency,
        actor=world.user("admin"),
        actor_label=world.admin.nip,
        action="org.role.grant",
        target_label="peran lama",
    )
    # Rows are append-only; backdating a test row goes around the model.
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))


def test_admin_sees_the_agencys_events_with_readable_labels(world, login, events):
    page = page_of(login(world.user("admin")))
    assert "3 catatan" in page
    assert "Melihat data pegawai" in page and "Mencatat mutasi jabatan" in page
    assert "Budi Santoso" in page  # actor's name
    assert "Indra Gunawan" not in page and "Hadi Wijaya" not in page


def test_filter_by_action_actor_and_date(world, login, events):
    client = login(world.user("admin"))
    page = page_of(client, action="org.employee.move")
    assert "1 catatan" in page and "Eko Prasetyo" in page
    page = page_of(client, actor="budi")
    assert "1 catatan" in page and "Dewi Anggraini" in page
    page = page_of(client, actor=world.admin.nip)
    assert "2 catatan" in page
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    page = page_of(client, date_from=since)
    assert "2 catatan" in page and "peran lama" not in page
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    page = page_of(client, date_to=until)
    assert "1 catatan" in page and "peran lama" in page


def test_bad_dates_are_explained_and_ignored(world, login, events):
    client = login(world.user("admin"))
    page = page_of(client, date_from="2026-05-02", date_to="2026-05-01")
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page
    assert "3 catatan" in page


def test_denied_access_is_listed(world, login):
    login(world.user("kasi")).get(reverse("org:employee_detail", args=[world.kabid.pk]))
    page = page_of(login(world.user("admin")), outcome="denied")
    assert "1 catatan" in page and "Ditolak" in page


def test_non_admin_gets_403(world, login):
    assert login(world.user("kabid")).get(reverse(URL)).status_code == 403


def test_platform_user_without_agency_gets_404(world, login):
    root = User.objects.create_superuser("root", password="x" * 20)
    assert login(root).get(reverse(URL)).status_code == 404


def test_other_agency_admin_sees_only_their_agency(world, login, events):
    page = page_of(login(world.user("outsider_admin")))
    assert "1 catatan" in page and "Hadi Wijaya" in page
    assert "Dewi Anggraini" not in page


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
