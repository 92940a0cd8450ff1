import datetime as dt

import pytest

from kinerja.org import services
from kinerja.org.access import compute_access, superior_map, superior_of
from kinerja.org.models import PositionAssignment

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(e.name for e in qs)


def test_admin_sees_whole_agency_and_nothing_else(world):
    access = compute_access(world.user("admin"))
    assert access.is_admin
    assert access.visible_employees().count() == 9
    assert not access.visible_employees().filter(agency=world.other_agency).exists()


def test_superior_sees_everyone_below_but_not_peers_or_above(world):
    access = compute_access(world.user("kabid"))
    assert names(access.visible_employees()) == [
        "Budi Santoso",
        "Citra Lestari",
        "Dewi Anggraini",
        "Eko Prasetyo",
        "Fitri Handayani",
    ]


def test_staff_sees_only_themselves(world):
    access = compute_access(world.user("staff"))
    assert names(access.visible_employees()) == ["Dewi Anggraini"]


def test_unit_head_by_role_grant_sees_unit_subtree(world):
    services.role_grant(
        actor=None, user=world.user("peer"), role="pimpinan_unit", unit=world.units["bidang"]
    )
    access = compute_access(world.user("peer"))
    assert access.is_unit_head
    assert names(access.visible_employees()) == [
        "Budi Santoso",
        "Citra Lestari",
        "Dewi Anggraini",
        "Eko Prasetyo",
        "Fitri Handayani",
    ]


def test_outsider_sees_none_of_agency(world):
    access = compute_access(world.user("outsider_admin"))
    assert not access.visible_employees().filter(agency=world.agency).exists()


@pytest.mark.parametrize(
    "who, superior",
    [
        ("staff", "kasi"),
        ("kasi", "kabid"),
        ("fungsional", "kabid"),
        ("kabid", "kadis"),
        ("kadis", "sekda"),
        ("sekda", None),
    ],
)
def test_superior_follows_the_position_tree(world, who, superior):
    expected = world.people[superior] if superior else None
    assert superior_of(world.people[who], on=dt.date(2026, 6, 1)) == expected
    mapping = superior_map(world.agency, on=dt.date(2026, 6, 1))
    assert mapping[world.people[who].pk] == (expected.pk if expected else None)


def test_vacant_superior_position_climbs_to_next_holder(world):
    kasi = world.people["kasi"]
    services.employee_deactivate(actor=None, employee=kasi, until=dt.date(2026, 3, 31))
    staff = world.people["staff"]
    assert superior_of(staff, on=dt.date(2026, 3, 31)) == kasi
    assert superior_of(staff, on=dt.date(2026, 4, 1)) == world.people["kabid"]


def test_acting_assignment_overrides_and_expires(world):
    staff, peer = world.people["staff"], world.people["peer"]
    services.employee_acting_assign(
        actor=None,
        employee=world.people["fungsional"],
        position=world.positions["kasi"],
        kind=PositionAssignment.Kind.PLT,
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 5, 31),
    )
    assert superior_of(staff, on=dt.date(2026, 5, 15)) == world.people["fungsional"]
    assert (
        superior_map(world.agency, on=dt.date(2026, 5, 15))[peer.pk]
        == world.people["fungsional"].pk
    )
    assert superior_of(staff, on=dt.date(2026, 6, 1)) == world.people["kasi"]
    acting = compute_access(world.user("fungsional"), on=dt.date(2026, 5, 15))
    assert "Dewi Anggraini" in names(acting.visible_employees())


def test_mid_year_move_keeps_who_was_superior_when(world):
    staff = world.people["staff"]
    services.employee_move(
        actor=None, employee=staff, position=world.positions["analis"], start=dt.date(2026, 7, 1)
    )
    staff.refresh_from_db()
    mapping_before = superior_map(world.agency, on=dt.date(2026, 6, 30))
    mapping_after = superior_map(world.agency, on=dt.date(2026, 7, 1))
    assert mapping_before[staff.pk] == world.people["kasi"].pk
    assert mapping_after[staff.pk] == world.people["kaban"].pk
    assert superior_of(staff, on=dt.date(2026, 7, 1)) == world.people["kaban"]
    assert [(a.position.code, a.start, a.end) for a in staff.assignments.order_by("start")] == [
        ("J-PENGADM", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("J-ANALIS", dt.date(2026, 7, 1), None),
    ]
