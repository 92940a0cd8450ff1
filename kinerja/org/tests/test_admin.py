import pytest
from django.conf import settings

from kinerja.audit.models import AuditEvent
from kinerja.org.models import Agency, User

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
