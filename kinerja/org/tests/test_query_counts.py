"""List, tree and detail pages run the same number of SQL queries with 10 and
with 1,000 employees (and their units, positions and audit events)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.org.models import Employee, OrgUnit, Position, PositionAssignment
from kinerja.testing import START

pytestmark = pytest.mark.django_db


def grow(world, total):
    """Bring the agency to `total` employees: new seksi units under the bidang,
    each with a head and staff, plus audit events; all set-based."""
    agency = world.agency
    existing = Employee.objects.filter(agency=agency).count()
    missing = total - existing
    if missing <= 0:
        return
    n_units = max(1, missing // 20)
    start = OrgUnit.objects.filter(agency=agency).count()
    units = OrgUnit.objects.bulk_create(
        OrgUnit(
            agency=agency,
            parent=world.units["bidang"],
            code=f"X-{start + i}",
            name=f"Seksi Tambahan {start + i}",
            kind=OrgUnit.Kind.SEKSI,
        )
        for i in range(n_units)
    )
    heads = Position.objects.bulk_create(
        Position(
            agency=agency,
            unit=unit,
            code=f"H-{unit.code}",
            name=f"Kepala {unit.name}",
            kind=Position.Kind.PENGAWAS,
            superior=world.positions["kabid"],
            is_unit_head=True,
        )
        for unit in units
    )
    staff = Position.objects.bulk_create(
        Position(
            agency=agency,
            unit=head.unit,
            code=f"S-{head.unit.code}",
            name=f"Staf {head.unit.name}",
            kind=Position.Kind.PELAKSANA,
            superior=head,
        )
        for head in heads
    )
    services.rebuild_paths(agency)
    # The heads first, then staff spread over the new units (and the kasi's seksi).
    slots = [(h, h.unit_id) for h in heads]
    spread = [*staff, world.positions["staff"]]
    while len(slots) < missing:
        position = spread[len(slots) % len(spread)]
        slots.append((position, position.unit_id))
    birth = dt.date(1990, 1, 2)

    def nip(i):
        # make_nip's sequence wraps at 1,000: vary the birth date instead.
        born = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999)
        return f"{born:%Y%m%d}201003{1 + i % 2}{1 + i % 999:03d}"

    employees = Employee.objects.bulk_create(
        Employee(
            agency=agency,
            nip=nip(existing + i),
            name=f"Pegawai Uji {existing + i:04d}",
            status=Employee.Status.PNS,
            gender=Employee.Gender.MALE,
            birth_date=birth,
            position=position,
            unit_id=unit_id,
            active_from=START,
        )
        for i, (position, unit_id) in enumerate(slots[:missing])
    )
    PositionAssignment.objects.bulk_create(
        PositionAssignment(
            agency=agency,
            employee=e,
            position_id=e.position_id,
            unit_id=e.unit_id,
            kind=PositionAssignment.Kind.DEFINITIF,
            start=START,
        )
        for e in employees
    )
    admin = world.user("admin")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            agency=agency,
            actor=admin if i % 2 else world.user("kabid"),
            actor_label=admin.username if i % 2 else world.user("kabid").username,
            action="org.employee.view" if i % 3 else "org.employee.move",
            target_type="org.employee",
            target_id=str(e.pk),
            target_label=e.name,
            subject=e,
        )
        for i, e in enumerate(employees)
    )


def count_queries(client, url, params=None):
    client.get(url, params)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def measure_at_sizes(world, login, who, url_fn, params=None, check=None):
    counts = []
    for total in (10, 1000):
        grow(world, total)
        assert Employee.objects.filter(agency=world.agency).count() == total
        n, response = count_queries(login(world.user(who)), url_fn(world), params)
        if check:
            check(response.content.decode(), total)
        counts.append(n)
    assert counts[0] == counts[1], counts
    return counts[0]


def test_employee_list_admin(world, login):
    def check(page, total):
        assert f"{total} pegawai" in page

    n = measure_at_sizes(world, login, "admin", lambda w: reverse("org:employee_list"), check=check)
    assert n <= 12


def test_employee_list_superior(world, login):
    def check(page, total):
        # kabid sees everyone below them: all but sekda, kadis, kaban, admin.
        assert f"{total - 4} pegawai" in page

    measure_at_sizes(world, login, "kabid", lambda w: reverse("org:employee_list"), check=check)


def test_employee_list_filtered_by_unit(world, login):
    measure_at_sizes(
        world,
        login,
        "admin",
        lambda w: reverse("org:employee_list"),
        params={"unit": str(world.units["bidang"].pk), "q": "uji", "status": "pns"},
    )


def test_org_chart(world, login):
    def check(page, total):
        # The whole agency under the Sekretariat Daerah (the count in its summary, as text).
        assert f"· {total} pegawai</span>" in page
        assert "Pegawai Uji 0009" in page  # head of the first added unit

    n = measure_at_sizes(world, login, "admin", lambda w: reverse("org:org_chart"), check=check)
    assert n <= 13  # one of them: the notification bell in the header


def test_org_chart_search(world, login):
    measure_at_sizes(
        world, login, "kabid", lambda w: reverse("org:org_chart"), params={"q": "tambahan"}
    )


def test_audit_log_page(world, login):
    def check(page, total):
        events = AuditEvent.objects.filter(agency=world.agency).count()
        assert events >= total - 9
        assert f"{events} catatan" in page

    measure_at_sizes(world, login, "admin", lambda w: reverse("org:audit_log"), check=check)


def check_filtered(page, total):
    assert '<td data-label="Tindakan">Melihat data pegawai</td>' not in page
    assert '<td data-label="Tindakan">Mencatat mutasi jabatan</td>' in page


def test_audit_log_page_filtered(world, login):
    measure_at_sizes(
        world,
        login,
        "admin",
        lambda w: reverse("org:audit_log"),
        params={"action": "org.employee.move", "actor": "budi", "date_from": "2026-01-01"},
        check=check_filtered,
    )


def test_employee_detail_for_admin(world, login):
    def check(page, total):
        assert "Bawahan langsung" in page

    measure_at_sizes(
        world,
        login,
        "admin",
        lambda w: reverse("org:employee_detail", args=[w.kabid.pk]),
        check=check,
    )


def test_employee_detail_for_superior(world, login):
    measure_at_sizes(
        world, login, "kadis", lambda w: reverse("org:employee_detail", args=[w.kabid.pk])
    )


def test_profile(world, login):
    measure_at_sizes(world, login, "staff", lambda w: reverse("org:profile"))
