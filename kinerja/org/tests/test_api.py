"""The organisation API: same scoping as the pages, writes by admin BKD only,
through the services (validation and audit trail included)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.org.access import superior_of
from kinerja.org.api import superiors_for
from kinerja.org.models import Employee, OrgUnit, Position, PositionAssignment, User
from kinerja.testing import START, make_nip

pytestmark = pytest.mark.django_db

EMPLOYEES = reverse("employee-list")


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def detail(pk):
    return reverse("employee-detail", args=[pk])


# --- Reading: who sees whom -------------------------------------------------


def test_admin_sees_the_whole_agency(world, login):
    response = login(world.user("admin")).get(EMPLOYEES)
    assert names(response) == sorted(
        e.name for k, e in world.people.items() if not k.startswith("outsider")
    )
    assert response.json()["count"] == 9


def test_staff_sees_only_themselves(world, login):
    assert names(login(world.user("staff")).get(EMPLOYEES)) == ["Dewi Anggraini"]


def test_kabid_sees_their_subtree(world, login):
    assert names(login(world.user("kabid")).get(EMPLOYEES)) == [
        "Budi Santoso",
        "Citra Lestari",
        "Dewi Anggraini",
        "Eko Prasetyo",
        "Fitri Handayani",
    ]


def test_outsider_sees_nothing_of_the_agency(world, login):
    client = login(world.user("outsider_admin"))
    assert names(client.get(EMPLOYEES)) == ["Hadi Wijaya", "Indra Gunawan", "Kurniawan"]
    assert [a["code"] for a in client.get(reverse("agency-list")).json()["results"]] == ["lampung"]
    units = client.get(reverse("unit-list")).json()["results"]
    assert {u["code"] for u in units} == {"SETDA", "DISDIK"}
    assert all(u["id"] not in {x.pk for x in world.units.values()} for u in units)
    positions = client.get(reverse("position-list")).json()["results"]
    assert {p["code"] for p in positions} == {"J-KADISDIK", "J-STAF"}


def test_outsider_gets_404_on_every_detail_and_it_is_recorded(world, login):
    client = login(world.user("outsider_admin"))
    for url in (
        detail(world.staff.pk),
        reverse("unit-detail", args=[world.units["seksi"].pk]),
        reverse("position-detail", args=[world.positions["kasi"].pk]),
        reverse("agency-detail", args=[world.agency.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.patch(detail(world.staff.pk), {"name": "X"}, content_type="application/json")
    assert response.status_code == 404
    world.staff.refresh_from_db()
    assert world.staff.name == "Dewi Anggraini"
    denied = AuditEvent.objects.filter(outcome="denied", actor=world.user("outsider_admin"))
    assert [(e.action, e.target_id) for e in denied.order_by("pk")] == [
        ("org.employee.view", str(world.staff.pk)),
        ("org.orgunit.view", str(world.units["seksi"].pk)),
        ("org.position.view", str(world.positions["kasi"].pk)),
        ("org.agency.view", str(world.agency.pk)),
        ("org.employee.change", str(world.staff.pk)),
    ]


def test_staff_gets_404_for_a_colleague(world, login):
    client = login(world.user("staff"))
    assert client.get(detail(world.peer.pk)).status_code == 404
    assert client.get(detail(world.staff.pk)).status_code == 200


def test_non_numeric_id_is_404(world, login):
    assert login(world.user("admin")).get("/api/employees/abc/").status_code == 404


def test_unauthenticated_is_refused(world, client):
    assert client.get(EMPLOYEES).status_code in (401, 403)
    assert client.get(detail(world.staff.pk)).status_code in (401, 403)


# --- Filters and the pejabat penilai ------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "dewi"}, ["Dewi Anggraini"]),
        ({"kind": "pelaksana"}, ["Dewi Anggraini", "Eko Prasetyo", "Gita Permata"]),
        ({"status": "pppk"}, ["Eko Prasetyo"]),
        ({"kind": "fungsional", "status": "pns"}, ["Fitri Handayani"]),
    ],
)
def test_filters(world, login, query, expected):
    assert names(login(world.user("admin")).get(EMPLOYEES, query)) == expected


def test_filter_by_nip_prefix_and_unit_subtree(world, login):
    client = login(world.user("admin"))
    assert names(client.get(EMPLOYEES, {"search": world.kasi.nip[:18]})) == ["Citra Lestari"]
    assert names(client.get(EMPLOYEES, {"unit": world.units["bidang"].pk})) == [
        "Budi Santoso",
        "Citra Lestari",
        "Dewi Anggraini",
        "Eko Prasetyo",
        "Fitri Handayani",
    ]
    # A unit of another agency filters to nothing rather than leaking.
    other_unit = OrgUnit.objects.filter(agency=world.other_agency).first()
    assert names(client.get(EMPLOYEES, {"unit": other_unit.pk})) == []


def test_bad_filter_is_a_400(world, login):
    response = login(world.user("admin")).get(EMPLOYEES, {"kind": "menteri"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_inactive_employees_are_listed_only_on_request(world, login):
    services.employee_deactivate(actor=None, employee=world.peer, until=dt.date(2026, 3, 31))
    client = login(world.user("admin"))
    assert "Eko Prasetyo" not in names(client.get(EMPLOYEES))
    assert names(client.get(EMPLOYEES, {"active": "0"})) == ["Eko Prasetyo"]
    assert len(names(client.get(EMPLOYEES, {"active": "all"}))) == 9


def test_rows_carry_the_pejabat_penilai(world, login):
    rows = login(world.user("admin")).get(EMPLOYEES).json()["results"]
    superior = {row["name"]: (row["superior"] or {}).get("full_name") for row in rows}
    assert superior["Dewi Anggraini"] == "Citra Lestari"
    assert superior["Citra Lestari"] == "Budi Santoso"
    assert superior["Fitri Handayani"] == "Budi Santoso"
    assert superior["Andi Saputra"] == "Surya Pratama"
    assert superior["Gita Permata"] == "Joko Widodo Susanto"
    assert superior["Surya Pratama"] is None
    row = next(r for r in rows if r["name"] == "Dewi Anggraini")
    assert row["superior"] == {
        "id": world.kasi.pk,
        "nip": world.kasi.nip,
        "full_name": "Citra Lestari",
    }
    assert row["position_name"] == "Pengadministrasi Layanan"
    assert row["unit_name"] == "Seksi Layanan Primer"


def test_detail_carries_the_acting_superior(world, login):
    services.employee_acting_assign(
        actor=None,
        employee=world.kabid,
        position=world.positions["kasi"],
        kind=PositionAssignment.Kind.PLT,
        start=START,
    )
    body = login(world.user("admin")).get(detail(world.staff.pk)).json()
    assert body["superior"]["full_name"] == "Budi Santoso"


def test_page_superiors_match_superior_of(world):
    """The page-wide computation follows access.superior_of exactly, also with a
    Plt on a position and a vacant one (climbs over it)."""
    services.employee_acting_assign(
        actor=None,
        employee=world.peer,
        position=world.positions["kasi"],
        kind=PositionAssignment.Kind.PLT,
        start=START,
    )
    PositionAssignment.objects.filter(employee=world.kabid).update(end=dt.date(2026, 2, 1))
    employees = list(Employee.objects.select_related("position"))
    on = dt.date(2026, 6, 1)
    expected = {e.pk: superior_of(e, on=on) for e in employees}
    assert superiors_for(employees, on=on) == expected
    assert expected[world.staff.pk] == world.peer  # Plt first
    assert expected[world.peer.pk] == world.kasi  # never oneself
    assert expected[world.kasi.pk] == world.kadis  # vacant kabid: climb


def _add_employees(world, n):
    position = world.positions["staff"]
    rows = [
        Employee(
            agency=world.agency,
            nip=make_nip(),
            name=f"Pegawai {i:03d}",
            status="pns",
            gender="L",
            birth_date=dt.date(1985, 3, 15),
            position=position,
            unit=position.unit,
        )
        for i in range(n)
    ]
    Employee.objects.bulk_create(rows)
    created = Employee.objects.filter(name__startswith="Pegawai ")
    PositionAssignment.objects.bulk_create(
        PositionAssignment(
            agency=world.agency,
            employee=e,
            position=position,
            unit=position.unit,
            kind="definitif",
            start=START,
        )
        for e in created
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_list_query_count_is_fixed(world, login):
    client = login(world.user("admin"))
    client.get(EMPLOYEES)  # session warm-up
    small, body = _count_queries(client, EMPLOYEES)
    assert body["count"] == 9
    _add_employees(world, 120)
    big, body = _count_queries(client, EMPLOYEES)
    assert body["count"] == 129 and len(body["results"]) == 50
    assert big == small
    bigger, body = _count_queries(client, EMPLOYEES + "?page_size=200")
    assert len(body["results"]) == 129
    assert bigger == small


# --- Writing: admin BKD only, through the services ------------------------------


def test_admin_creates_an_employee(world, login):
    nip = make_nip(birth=dt.date(1990, 7, 1), tmt=(2015, 2), gender="2")
    response = login(world.user("admin")).post(
        EMPLOYEES,
        {
            "nip": nip,
            "name": "Lia Marlina",
            "status": "pns",
            "position": world.positions["staff"].pk,
            "golongan": "II/c",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    employee = Employee.objects.get(nip=nip)
    assert body["id"] == employee.pk
    assert (employee.gender, employee.birth_date) == ("P", dt.date(1990, 7, 1))
    assert employee.unit == world.units["seksi"]
    assert body["superior"]["full_name"] == "Citra Lestari"
    assert User.objects.get(username=nip).agency == world.agency
    event = AuditEvent.objects.get(action="org.employee.create")
    assert (event.actor, event.subject) == (world.user("admin"), employee)


def test_bad_nip_is_a_400_with_the_message_and_saves_nothing(world, login):
    before = (Employee.objects.count(), User.objects.count(), AuditEvent.objects.count())
    response = login(world.user("admin")).post(
        EMPLOYEES,
        {"nip": "1985031520100", "name": "Salah", "status": "pns", "unit": world.units["seksi"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["NIP harus 18 angka (tertulis 13 karakter)."]}
    assert (Employee.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


def test_pppk_nip_with_pns_status_is_refused(world, login):
    response = login(world.user("admin")).post(
        EMPLOYEES,
        {"nip": make_nip(pppk=True), "name": "X", "status": "pns", "unit": world.units["seksi"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["NIP ini berkode PPPK (bulan TMT 21) tetapi status tertulis PNS."]
    }


def test_foreign_unit_cannot_be_used(world, login):
    other_unit = OrgUnit.objects.filter(agency=world.other_agency).first()
    response = login(world.user("admin")).post(
        EMPLOYEES,
        {"nip": make_nip(), "name": "X", "status": "pns", "unit": other_unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Employee.objects.filter(name="X").exists()


def test_non_admin_cannot_write(world, login):
    client = login(world.user("kabid"))
    response = client.post(
        EMPLOYEES,
        {"nip": make_nip(), "name": "X", "status": "pns", "unit": world.units["seksi"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.patch(detail(world.staff.pk), {"name": "X"}, content_type="application/json")
    assert response.status_code == 403
    assert not Employee.objects.filter(name="X").exists()


def test_admin_updates_personal_data_but_not_the_nip(world, login):
    nip = world.staff.nip
    response = login(world.user("admin")).patch(
        detail(world.staff.pk),
        {"back_title": "S.Kep.", "nip": "199001012015021001"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Dewi Anggraini, S.Kep."
    world.staff.refresh_from_db()
    assert (world.staff.back_title, world.staff.nip) == ("S.Kep.", nip)
    event = AuditEvent.objects.get(action="org.employee.update")
    assert (event.before["back_title"], event.after["back_title"]) == ("", "S.Kep.")


def test_admin_records_a_move(world, login):
    response = login(world.user("admin")).post(
        reverse("employee-move", args=[world.staff.pk]),
        {"position": world.positions["analis"].pk, "start": "2026-06-01", "note": "SK 12/2026"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["unit_name"] == "BKPSDM"
    history = list(
        PositionAssignment.objects.filter(employee=world.staff)
        .order_by("start")
        .values_list("position__code", "start", "end")
    )
    assert history == [
        ("J-PENGADM", START, dt.date(2026, 5, 31)),
        ("J-ANALIS", dt.date(2026, 6, 1), None),
    ]
    assert AuditEvent.objects.filter(action="org.employee.move", subject=world.staff).exists()


def test_move_before_the_current_start_is_refused(world, login):
    response = login(world.user("admin")).post(
        reverse("employee-move", args=[world.staff.pk]),
        {"position": world.positions["analis"].pk, "start": "2025-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Tanggal mulai harus sesudah tanggal mulai jabatan sekarang."]
    }
    world.staff.refresh_from_db()
    assert world.staff.position == world.positions["staff"]


def test_admin_deactivates(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("employee-deactivate", args=[world.peer.pk]),
        {"until": "2026-08-31", "reason": "Pensiun"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert response.json()["active_until"] == "2026-08-31"
    assert not User.objects.get(pk=world.peer.user_id).is_active
    assert AuditEvent.objects.get(action="org.employee.deactivate").note == "Pensiun"


def test_admin_creates_and_moves_a_unit(world, login):
    client = login(world.user("admin"))
    response = client.post(
        reverse("unit-list"),
        {"code": "DINKES-YAN-2", "name": "Seksi Rujukan", "kind": "seksi"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    unit = OrgUnit.objects.get(pk=response.json()["id"])
    assert (unit.path, unit.depth) == (f"/{unit.pk}/", 0)
    response = client.patch(
        reverse("unit-detail", args=[unit.pk]),
        {"parent": world.units["bidang"].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["path"] == f"{world.units['bidang'].path}{unit.pk}/"
    assert response.json()["depth"] == 3
    assert AuditEvent.objects.filter(action="org.unit.update", target_id=str(unit.pk)).exists()


def test_unit_cycle_and_duplicate_code_are_refused(world, login):
    client = login(world.user("admin"))
    url = reverse("unit-detail", args=[world.units["dinkes"].pk])
    response = client.patch(
        url, {"parent": world.units["seksi"].pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Struktur melingkar: sebuah unit/jabatan menjadi atasannya sendiri."]
    }
    response = client.patch(url, {"code": "BKPSDM"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": ["Kode BKPSDM sudah dipakai di instansi ini."]}
    response = client.post(
        reverse("unit-list"),
        {"code": "SETDA", "name": "Dobel", "kind": "bagian"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"code": ["Kode SETDA sudah dipakai di instansi ini."]}
    world.units["dinkes"].refresh_from_db()
    assert world.units["dinkes"].parent == world.units["setda"]


def test_admin_creates_a_position_with_service_validation(world, login):
    client = login(world.user("admin"))
    data = {
        "unit": world.units["bidang"].pk,
        "code": "J-BIDAN",
        "name": "Bidan Ahli Pertama",
        "kind": "fungsional",
        "superior": world.positions["kabid"].pk,
    }
    response = client.post(reverse("position-list"), data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Jabatan fungsional harus punya jenjang."]}
    response = client.post(
        reverse("position-list"),
        {**data, "jenjang": "ahli_pertama"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    position = Position.objects.get(code="J-BIDAN")
    assert position.path == f"{world.positions['kabid'].path}{position.pk}/"
    assert AuditEvent.objects.filter(action="org.position.create").count() == 1


def test_admin_cannot_create_in_another_agency_via_foreign_ids(world, login):
    client = login(world.user("outsider_admin"))
    response = client.post(
        reverse("position-list"),
        {"unit": world.units["bidang"].pk, "code": "J-X", "name": "X", "kind": "pelaksana"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Position.objects.filter(code="J-X").exists()
