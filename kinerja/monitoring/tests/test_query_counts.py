"""Dashboards run the same number of queries whatever the data size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.monitoring.models import (
    AgreedAction,
    DailyLog,
    Dialogue,
    Evidence,
    Feedback,
    Realisasi,
)
from kinerja.org.models import Employee
from kinerja.planning.models import Iki, Rhk, Skp
from kinerja.testing import make_nip

pytestmark = pytest.mark.django_db


def grow(world, plan, n):
    """n more team members (with SKP, RHK, IKI, realisasi, logs, evidence,
    feedback, actions) and n more RHK for the staff."""
    today = timezone.localdate()
    staff_pos = world.positions["staff"]
    members = Employee.objects.bulk_create(
        [
            Employee(
                agency=world.agency,
                nip=make_nip(),
                name=f"Anggota {i}",
                status="pns",
                gender="P",
                birth_date=dt.date(1990, 1, 1),
                position=staff_pos,
                unit=staff_pos.unit,
            )
            for i in range(n)
        ]
    )
    skps = Skp.objects.bulk_create(
        [
            Skp(
                agency=world.agency,
                year=plan.year,
                employee=m,
                position=staff_pos,
                unit=staff_pos.unit,
                rater=world.kasi,
                form="non_jpt",
                approach="kuantitatif",
                valid_from=plan.year.start,
            )
            for m in members
        ]
    )
    rhks = Rhk.objects.bulk_create(
        [Rhk(agency=world.agency, skp=s, text=f"RHK {s.pk}") for s in skps]
        + [Rhk(agency=world.agency, skp=plan.skp, text=f"RHK tambahan {i}") for i in range(n)]
    )
    ikis = Iki.objects.bulk_create(
        [Iki(agency=world.agency, rhk=r, text="IKI", target_text="10", target_max=10) for r in rhks]
    )
    owner = {s.pk: s.employee_id for s in skps}
    owner[plan.skp.pk] = world.staff.pk
    realisasi = Realisasi.objects.bulk_create(
        [
            Realisasi(
                agency=world.agency,
                employee_id=owner[i.rhk.skp_id],
                iki=i,
                period=plan.period,
                value=5,
            )
            for i in ikis
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                agency=world.agency,
                owner_id=r.employee_id,
                realisasi=r,
                kind="link",
                url="https://x.id",
            )
            for r in realisasi[: n // 2]
        ]
    )
    logs = DailyLog.objects.bulk_create(
        [
            DailyLog(
                agency=world.agency,
                employee_id=owner[r.skp_id],
                date=today - dt.timedelta(days=d),
                rhk=r,
                text="kerja",
            )
            for r in rhks
            for d in range(3)
        ]
    )
    Feedback.objects.bulk_create(
        [
            Feedback(
                agency=world.agency,
                employee_id=log.employee_id,
                author=world.kasi,
                log=log,
                source="superior",
                text="ok",
            )
            for log in logs[:n]
        ]
    )
    dialogue = Dialogue.objects.create(
        agency=world.agency, superior=world.kasi, scheduled_at=timezone.now(), agenda="x"
    )
    AgreedAction.objects.bulk_create(
        [
            AgreedAction(
                agency=world.agency,
                dialogue=dialogue,
                owner_id=owner[s.pk],
                text="a",
                due=today - dt.timedelta(days=1),
            )
            for s in skps + [plan.skp]
        ]
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("staff", "monitoring:home"),
        ("kasi", "monitoring:team"),
        ("kabid", "monitoring:unit"),
        ("admin", "monitoring:unit"),
        ("staff", "monitoring:log_list"),
    ],
)
def test_fixed_query_count(world, plan, login, who, name):
    client = login(world.user(who))
    url = reverse(name)
    grow(world, plan, 2)
    small, _r = count(client, url)
    grow(world, plan, 25)
    large, response = count(client, url)
    assert small == large, f"{name}: {small} queries with little data, {large} with more"
    if name == "monitoring:team":
        assert response.content.decode().count('class="hm-week"') == 12 * (2 + 25 + 2)
