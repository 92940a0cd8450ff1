"""Admin BKD actions on the employee page: roles, password, move, deactivate."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.org.access import compute_access
from kinerja.org.models import Employee, PositionAssignment, RoleGrant, User
from kinerja.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Padi-Menguning-di-Sawah-7"


def url(name, world, who="staff", **extra):
    return reverse(f"org:{name}", kwargs={"pk": world.people[who].pk, **extra})


def body(response):
    return response.content.decode()


# --- Roles -------------------------------------------------------------------


def test_admin_grants_unit_head_role(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_role_grant", world, "peer"),
        {"role-role": "pimpinan_unit", "role-unit": world.units["seksi"].pk},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=world.user("peer"))
    assert (grant.role, grant.unit) == ("pimpinan_unit", world.units["seksi"])
    event = AuditEvent.objects.get(action="org.role.grant")
    assert event.actor == world.user("admin")
    assert event.after == {
        "user": world.peer.nip,
        "role": "pimpinan_unit",
        "unit": world.units["seksi"].pk,
    }
    assert compute_access(world.user("peer")).head_unit_paths == (world.units["seksi"].path,)
    page = body(client.get(url("employee_detail", world, "peer")))
    assert "Peran sudah diberikan." in page
    assert "Pimpinan unit: Seksi Layanan Primer" in page


def test_unit_head_role_needs_a_unit(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_role_grant", world, "peer"), {"role-role": "pimpinan_unit"}
    )
    assert response.status_code == 200
    assert "Pilih unit untuk peran pimpinan unit." in body(response)
    assert not RoleGrant.objects.filter(user=world.user("peer")).exists()
    assert not AuditEvent.objects.filter(action="org.role.grant").exists()


def test_unit_of_another_agency_is_refused(world, login):
    client = login(world.user("admin"))
    other_unit = world.positions["other_head"].unit
    response = client.post(
        url("employee_role_grant", world, "peer"),
        {"role-role": "pimpinan_unit", "role-unit": other_unit.pk},
    )
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid." in body(response)
    assert not RoleGrant.objects.filter(user=world.user("peer")).exists()


def test_granting_a_role_twice_is_a_clear_error(world, login):
    client = login(world.user("admin"))
    data = {"role-role": "tim_penilai"}
    client.post(url("employee_role_grant", world, "peer"), data)
    response = client.post(url("employee_role_grant", world, "peer"), data)
    assert "Pegawai ini sudah memiliki peran tersebut." in body(response)
    assert RoleGrant.objects.filter(user=world.user("peer")).count() == 1


def test_admin_revokes_a_role(world, login):
    grant = RoleGrant.objects.create(
        agency=world.agency, user=world.user("peer"), role="tim_penilai"
    )
    client = login(world.user("admin"))
    response = client.post(url("employee_role_revoke", world, "peer", grant_pk=grant.pk))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="org.role.revoke")
    assert event.before == {"user": world.peer.nip, "role": "tim_penilai", "unit": None}


def test_last_admin_role_cannot_be_revoked(world, login):
    grant = RoleGrant.objects.get(user=world.user("admin"), role="admin_bkd")
    client = login(world.user("admin"))
    response = client.post(
        url("employee_role_revoke", world, "admin", grant_pk=grant.pk), follow=True
    )
    assert "Peran admin BKD terakhir di instansi ini tidak dapat dicabut." in body(response)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoke_of_a_grant_belonging_to_someone_else_is_404(world, login):
    grant = RoleGrant.objects.get(user=world.user("admin"), role="admin_bkd")
    client = login(world.user("admin"))
    response = client.post(url("employee_role_revoke", world, "peer", grant_pk=grant.pk))
    assert response.status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


# --- Password ----------------------------------------------------------------


def test_admin_sets_password_and_audit_has_no_password(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_password", world),
        {"pw-new_password1": NEW_PASSWORD, "pw-new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username=world.staff.nip).check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="org.user.password_set")
    assert event.subject == world.staff
    assert event.actor == world.user("admin")
    stored = f"{event.before} {event.after} {event.note} {event.target_label}"
    assert NEW_PASSWORD not in stored
    assert event.before is None and event.after is None


def test_short_password_is_refused_with_indonesian_message(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_password", world),
        {"pw-new_password1": "Pendek-7", "pw-new_password2": "Pendek-7"},
    )
    assert response.status_code == 200
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter." in body(response)
    assert User.objects.get(username=world.staff.nip).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="org.user.password_set").exists()


def test_mismatched_passwords_are_refused(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_password", world),
        {"pw-new_password1": NEW_PASSWORD, "pw-new_password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "Dua bidang sandi tidak cocok." in body(response)


# --- Move and deactivate -------------------------------------------------------


def test_admin_records_a_move(world, login):
    client = login(world.user("admin"))
    target = world.positions["analis"]
    response = client.post(
        url("employee_move", world),
        {"move-position": target.pk, "move-start": "2026-07-01", "move-note": "SK 800/12"},
    )
    assert response.status_code == 302
    staff = Employee.objects.get(pk=world.staff.pk)
    assert (staff.position, staff.unit) == (target, world.units["bkpsdm"])
    rows = list(
        PositionAssignment.objects.filter(employee=staff)
        .order_by("start")
        .values_list("position_id", "start", "end")
    )
    assert rows == [
        (world.positions["staff"].pk, dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        (target.pk, dt.date(2026, 7, 1), None),
    ]
    assert AuditEvent.objects.get(action="org.employee.move").note == "SK 800/12"


def test_move_before_current_start_keeps_input_and_explains(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_move", world),
        {
            "move-position": world.positions["analis"].pk,
            "move-start": "2025-12-01",
            "move-note": "SK 1",
        },
    )
    page = body(response)
    assert response.status_code == 200
    assert "Tanggal mulai harus sesudah tanggal mulai jabatan sekarang." in page
    assert 'value="2025-12-01"' in page  # nothing lost
    assert 'value="SK 1"' in page
    assert Employee.objects.get(pk=world.staff.pk).position == world.positions["staff"]


def test_admin_deactivates_an_employee(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_deactivate", world), {"deact-until": "2026-05-31", "deact-reason": "Pensiun"}
    )
    assert response.status_code == 302
    staff = Employee.objects.select_related("user").get(pk=world.staff.pk)
    assert (staff.is_active, staff.active_until, staff.user.is_active) == (
        False,
        dt.date(2026, 5, 31),
        False,
    )
    assert AuditEvent.objects.get(action="org.employee.deactivate").note == "Pensiun"


def test_deactivation_before_assignment_start_is_refused(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_deactivate", world), {"deact-until": "2025-05-31", "deact-reason": "Pensiun"}
    )
    assert response.status_code == 200
    assert "Tanggal tidak boleh sebelum 1 Januari 2026" in body(response)
    assert Employee.objects.get(pk=world.staff.pk).is_active


def test_admin_cannot_deactivate_themselves(world, login):
    client = login(world.user("admin"))
    response = client.post(
        url("employee_deactivate", world, "admin"),
        {"deact-until": "2026-05-31", "deact-reason": "Coba"},
    )
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in body(response)
    assert Employee.objects.get(pk=world.admin.pk).is_active


# --- Who may do it -------------------------------------------------------------

ACTIONS = [
    ("employee_role_grant", {"role-role": "tim_penilai"}),
    ("employee_password", {"pw-new_password1": NEW_PASSWORD, "pw-new_password2": NEW_PASSWORD}),
    ("employee_deactivate", {"deact-until": "2026-05-31", "deact-reason": "Pensiun"}),
    ("employee_move", {"move-start": "2026-07-01"}),
]


@pytest.mark.parametrize("name, data", ACTIONS)
def test_superior_who_sees_the_employee_gets_403(world, login, name, data):
    client = login(world.user("kasi"))
    response = client.post(url(name, world), data)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(outcome="denied", actor=world.user("kasi")).count() == 1
    assert Employee.objects.get(pk=world.staff.pk).is_active
    assert not RoleGrant.objects.filter(user=world.user("staff")).exists()


@pytest.mark.parametrize("name, data", ACTIONS)
def test_other_agency_admin_gets_404(world, login, name, data):
    client = login(world.user("outsider_admin"))
    response = client.post(url(name, world), data)
    assert response.status_code == 404
    assert Employee.objects.get(pk=world.staff.pk).is_active


@pytest.mark.parametrize("name, data", ACTIONS)
def test_get_is_not_allowed(world, login, name, data):
    client = login(world.user("admin"))
    assert client.get(url(name, world)).status_code == 405


def test_date_fields_start_with_an_iso_date(world, login):
    from django.utils import timezone

    page = body(login(world.user("admin")).get(url("employee_detail", world)))
    today = timezone.localdate().isoformat()
    assert f'type="date" name="deact-until" value="{today}"' in page
    assert f'type="date" name="move-start" value="{today}"' in page


def test_superior_sees_no_admin_forms(world, login):
    page = body(login(world.user("kasi")).get(url("employee_detail", world)))
    assert "Kelola (admin BKD)" not in page
    page = body(login(world.user("admin")).get(url("employee_detail", world)))
    assert "Kelola (admin BKD)" in page
