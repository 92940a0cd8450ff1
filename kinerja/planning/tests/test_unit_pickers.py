"""Planning's unit choices (strategic goals, the unit's SKP print, the units'
own dates, the pohon kinerja filter) are pickers that search on the server:
no page lists every unit of the agency, and a typed unit code works without
JavaScript (issue 11, "pickers that scale")."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.org.models import OrgUnit
from kinerja.planning.models import CalendarOverride, OrgGoal

pytestmark = pytest.mark.django_db

UNKNOWN = "Unit “XX-TIDAK-ADA” tidak ditemukan. Ketik kode unit atau pilih nama dari daftar."


def _more_units(world, n):
    parent = world.units["bidang"]
    start = OrgUnit.objects.filter(code__startswith="TAMBAH-").count()
    for i in range(start, start + n):
        OrgUnit.objects.create(
            agency=world.agency,
            parent=parent,
            code=f"TAMBAH-{i}",
            name=f"Seksi Tambahan {i}",
            kind=OrgUnit.Kind.SEKSI,
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("name", ["planning:goal_list", "planning:year_detail", "planning:tree"])
def test_pages_list_no_unit_and_take_the_same_queries_as_units_grow(world, year, login, name):
    client = login(world.user("admin"))
    url = reverse(name, args=[year.pk])
    _more_units(world, 2)
    small, _ = _queries(client, url)
    _more_units(world, 40)
    large, body = _queries(client, url)
    assert large == small
    assert "Seksi Tambahan" not in body
    assert "data-picker" in body


def test_overrides_page_lists_no_unit(world, year, login):
    client = login(world.user("admin"))
    _more_units(world, 5)
    body = client.get(reverse("planning:calendar_overrides", args=[year.pk])).content.decode()
    assert "Seksi Tambahan" not in body and "data-picker" in body


def test_goal_for_a_typed_unit_code(world, year, login):
    client = login(world.user("admin"))
    url = reverse("planning:goal_list", args=[year.pk])
    seksi = world.units["seksi"]
    client.post(url, {"text": "Cakupan imunisasi", "source": "pk", "unit_cari": seksi.code})
    assert OrgGoal.objects.get(year=year).unit == seksi
    response = client.post(
        url, {"text": "Sasaran lain", "source": "pk", "unit_cari": "XX-TIDAK-ADA"}, follow=True
    )
    assert UNKNOWN in response.content.decode()
    assert OrgGoal.objects.filter(year=year).count() == 1
    # Left empty: a goal of the whole agency.
    client.post(url, {"text": "Sasaran instansi", "source": "pk", "unit_cari": ""})
    assert OrgGoal.objects.get(text="Sasaran instansi").unit is None


def test_unit_override_for_a_typed_unit_code(world, year, login):
    client = login(world.user("admin"))
    url = reverse("planning:calendar_overrides", args=[year.pk])
    form = {
        "window": "annual",
        "start": dt.date(year.year, 12, 1).isoformat(),
        "end": dt.date(year.year + 1, 2, 26).isoformat(),
        "reason": "Kepala unit berganti",
    }
    response = client.post(url, {**form, "unit_cari": "XX-TIDAK-ADA"}, follow=True)
    assert UNKNOWN in response.content.decode()
    assert not CalendarOverride.objects.exists()
    client.post(url, {**form, "unit_cari": world.units["seksi"].code})
    assert CalendarOverride.objects.get().unit == world.units["seksi"]


def test_tree_narrows_to_a_typed_unit_code(world, year, approved_kasi, login):
    client = login(world.user("admin"))
    url = reverse("planning:tree", args=[year.pk])
    seksi = world.units["seksi"]
    body = client.get(url, {"unit_cari": seksi.code}).content.decode()
    assert "Citra Lestari" in body and "Surya Pratama" not in body
    assert f'value="{seksi.name}"' in body
    body = client.get(url, {"unit_cari": "XX-TIDAK-ADA"}).content.decode()
    assert UNKNOWN in body


def test_unit_head_cannot_narrow_the_tree_to_a_unit_outside_theirs(world, year, login):
    """The kadis heads Dinas Kesehatan; BKPSDM's code names nothing they may choose."""
    client = login(world.user("kadis"))
    url = reverse("planning:tree", args=[year.pk])
    outside = world.units["bkpsdm"]
    body = client.get(url, {"unit_cari": outside.code}).content.decode()
    assert "tidak ditemukan" in body
