import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_sees_employee_detail(world, login):
    client = login(world.user("admin"))
    response = client.get(reverse("org:employee_detail", args=[world.staff.pk]))
    assert response.status_code == 200
    assert "Dewi Anggraini" in response.content.decode()
    assert "Citra Lestari" in response.content.decode()  # her pejabat penilai


def test_outsider_gets_404_and_is_recorded(world, login):
    client = login(world.user("outsider_admin"))
    response = client.get(reverse("org:employee_detail", args=[world.staff.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome="denied")
    assert event.target_id == str(world.staff.pk)
    assert event.actor == world.user("outsider_admin")


def test_employee_sees_who_viewed_their_record(world, login):
    login(world.user("admin")).get(reverse("org:employee_detail", args=[world.staff.pk]))
    client = login(world.user("staff"))
    body = client.get(reverse("org:profile")).content.decode()
    assert world.admin.nip in body
    assert "Gita Permata" in body  # the actor's name, not only the account
    assert "Melihat data pegawai" in body  # readable label, not "org.employee.view"
    assert "org.employee.view" not in body
    assert "Berhasil" in body
