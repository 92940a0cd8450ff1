"""Org changes reach planning through kinerja.org.signals, in the same
transaction: moving, joining and leaving keep one current SKP per person."""

import datetime as dt

import pytest

from kinerja.org import services as org_services
from kinerja.planning.models import Skp

pytestmark = pytest.mark.django_db


def skps(employee):
    return list(
        Skp.objects.filter(employee=employee)
        .order_by("valid_from")
        .values_list("position__code", "status", "valid_from", "valid_until")
    )


def test_org_move_closes_old_skp_and_opens_new_one(world, year):
    org_services.employee_move(
        actor=world.user("admin"),
        employee=world.staff,
        position=world.positions["analis"],
        start=dt.date(2026, 7, 1),
    )
    assert skps(world.staff) == [
        ("J-PENGADM", "ditutup", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("J-ANALIS", "draft", dt.date(2026, 7, 1), None),
    ]
    new = Skp.objects.get(employee=world.staff, valid_from=dt.date(2026, 7, 1))
    assert new.rater == world.kaban


def test_leaving_closes_the_current_skp(world, year):
    org_services.employee_deactivate(
        actor=world.user("admin"), employee=world.peer, until=dt.date(2026, 9, 30)
    )
    assert skps(world.peer) == [
        ("J-PENGADM", "ditutup", dt.date(2026, 1, 1), dt.date(2026, 9, 30)),
    ]


def test_newcomer_mid_year_gets_a_draft_from_the_start_date(world, year):
    employee = org_services.employee_create(
        actor=world.user("admin"),
        agency=world.agency,
        nip="199001012020031005",
        name="Rina Marlina",
        status="pns",
        position=world.positions["staff"],
        start=dt.date(2026, 8, 3),
    )
    assert skps(employee) == [("J-PENGADM", "draft", dt.date(2026, 8, 3), None)]
    assert Skp.objects.get(employee=employee).rater == world.kasi


def test_no_open_year_means_nothing_to_follow(world):
    org_services.employee_move(
        actor=world.user("admin"),
        employee=world.staff,
        position=world.positions["analis"],
        start=dt.date(2026, 7, 1),
    )
    assert skps(world.staff) == []
