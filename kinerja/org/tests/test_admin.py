import pytest
from django.conf import settings

from kinerja.audit.models import AuditEvent
from kinerja.org.models import Agency, RoleGrant, User

pytestmark = pytest.mark.django_db


def test_platform_superuser_creates_agency_with_audit(client):
    root = User.objects.create_superuser("platform", password="kata-sandi-uji-123")
    client.force_login(root)
    response = client.post(
        f"/{settings.ADMIN_URL}org/agency/add/",
        {"name": "Pemerintah Kota Padangsidempuan", "code": "padangsidempuan", "kind": "kota"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code="padangsidempuan")
    event = AuditEvent.objects.get(action="org.agency.create")
    assert event.agency == agency and event.actor == root


def test_agency_admin_bkd_cannot_use_platform_admin(world, client):
    client.force_login(world.user("admin"))
    response = client.get(f"/{settings.ADMIN_URL}org/agency/")
    assert response.status_code == 302  # to the admin login: not staff
    assert not Agency.objects.filter(code="x").exists()


@pytest.mark.parametrize(
    "name, place, expected",
    [
        ("Pemerintah Kota Tebingtinggi", "", "Tebingtinggi"),
        ("Pemerintah Kabupaten Deli Serdang", "", "Deli Serdang"),
        ("Pemerintah Provinsi Lampung", "", "Lampung"),
        ("Badan Kepegawaian Negara", "", "Badan Kepegawaian Negara"),
        ("Pemerintah Provinsi Lampung", "Bandar Lampung", "Bandar Lampung"),
    ],
)
def test_signature_place_defaults_to_the_region(name, place, expected):
    assert Agency(name=name, place=place).signature_place == expected


def test_platform_superuser_changes_agency_with_audit(world, client):
    root = User.objects.create_superuser("platform", password="kata-sandi-uji-123")
    client.force_login(root)
    response = client.post(
        f"/{settings.ADMIN_URL}org/agency/{world.agency.pk}/change/",
        {
            "name": world.agency.name,
            "code": "tebingtinggi",
            "kind": "kota",
            "place": "Tebing",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.agency.refresh_from_db()
    assert (world.agency.place, world.agency.is_active) == ("Tebing", True)
    event = AuditEvent.objects.get(action="org.agency.update")
    assert event.actor == root
    assert (event.before["place"], event.after["place"]) == ("", "Tebing")


def test_platform_superuser_grants_the_first_admin_bkd_with_audit(world, client):
    root = User.objects.create_superuser("platform", password="kata-sandi-uji-123")
    client.force_login(root)
    response = client.post(
        f"/{settings.ADMIN_URL}org/rolegrant/add/",
        {"agency": world.agency.pk, "user": world.user("kaban").pk, "role": "admin_bkd"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=world.user("kaban"), role="admin_bkd")
    assert grant.agency == world.agency
    event = AuditEvent.objects.get(action="org.role.grant")
    assert event.actor == root and event.target_id == str(grant.pk)


def test_platform_admin_refuses_a_unit_head_grant_without_a_unit(world, client):
    root = User.objects.create_superuser("platform", password="kata-sandi-uji-123")
    client.force_login(root)
    response = client.post(
        f"/{settings.ADMIN_URL}org/rolegrant/add/",
        {"agency": world.agency.pk, "user": world.user("kaban").pk, "role": "pimpinan_unit"},
    )
    assert response.status_code == 200
    assert not RoleGrant.objects.filter(user=world.user("kaban")).exists()
