"""The credit points page scales: the employee is chosen with a picker (no select
of every functional employee, whose position was fetched one by one: 10 queries
at 10 employees, 2,498 at 10,000) and the list is paginated, so the page runs
the same queries and shows at most 50 rows at any size of agency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.followup.models import CreditPoints
from kinerja.org.models import Employee

from .factories import make_annual

pytestmark = pytest.mark.django_db

URL = "/tindak-lanjut/angka-kredit/"


def _grow(world, total):
    """Bring the agency to `total` functional employees, each with a credit points row."""
    have = Employee.objects.filter(agency=world.agency, position__kind="fungsional").count()
    base = Employee.objects.count()
    created = Employee.objects.bulk_create(
        Employee(
            agency=world.agency,
            nip=f"1990010120150{base + i:05d}",
            name=f"Fungsional Uji {base + i:05d}",
            status="pns",
            gender="L",
            birth_date=dt.date(1990, 1, 1),
            position=world.positions["fungsional"],
            unit=world.units["bidang"],
        )
        for i in range(total - have)
    )
    CreditPoints.objects.bulk_create(
        CreditPoints(
            agency=world.agency,
            employee=e,
            year=2025,
            position_name="Perawat Ahli Pertama",
            jenjang="ahli_pertama",
            predikat="baik",
            months=12,
            points=Decimal("12.50"),
        )
        for e in created
    )


def test_credit_points_page_runs_the_same_queries_at_two_sizes(world, login):
    client = login(world.user("admin"))
    client.get(URL)  # warm up
    counts = []
    for total in (10, 1000):
        _grow(world, total)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        page = response.content.decode()
        assert response.status_code == 200
        assert f"{total - 1} catatan angka kredit" in page  # Fitri has no row yet
        assert page.count('href="/tindak-lanjut/pegawai/') == min(total - 1, 50)
        assert (
            "<option"
            not in page.split('<form method="post"')[1]
            .split("</form>")[0]
            .split('name="predikat"')[0]
        )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, counts
    last = client.get(URL, {"page": 20}).content.decode()
    assert "Halaman 20 dari 20" in last
    assert last.count('href="/tindak-lanjut/pegawai/') == 49


def test_record_with_a_typed_nip_without_javascript(world, login):
    make_annual(world.fungsional, 2026, "baik")
    client = login(world.user("admin"))
    response = client.post(
        URL,
        {"employee": "", "employee_cari": world.fungsional.nip, "year": 2026, "months": 12},
        follow=True,
    )
    assert "Angka kredit dicatat." in response.content.decode()
    row = CreditPoints.objects.get()
    assert (row.employee, row.year, row.predikat, row.points) == (
        world.fungsional,
        2026,
        "baik",
        Decimal("12.50"),
    )


def test_a_typed_nip_of_nobody_is_a_clear_message(world, login):
    client = login(world.user("admin"))
    response = client.post(
        URL,
        {"employee": "", "employee_cari": "199909092020121009", "year": 2026, "months": 12},
        follow=True,
    )
    assert (
        "Pegawai “199909092020121009” tidak ditemukan di antara pegawai yang dapat Anda pilih. "
        "Ketik NIP lengkap (18 angka) atau pilih nama dari daftar."
    ) in response.content.decode()
    assert not CreditPoints.objects.exists()


def test_a_chosen_id_of_another_agency_is_a_404(world, login):
    client = login(world.user("admin"))
    response = client.post(URL, {"employee": world.outsider.pk, "year": 2026, "months": 12})
    assert response.status_code == 404
    assert not CreditPoints.objects.exists()


def test_the_picker_is_on_the_page(world, login):
    page = login(world.user("admin")).get(URL).content.decode()
    assert 'name="employee_cari"' in page
    assert 'name="employee" value=""' in page
    assert "/org/cari/?jenis=pegawai-fungsional&amp;nama=employee" in page


def test_award_for_an_employee_typed_by_nip(world, login):
    from kinerja.followup.models import Award

    client = login(world.user("admin"))
    page = client.get("/tindak-lanjut/penghargaan/baru/").content.decode()
    assert 'name="pegawai_cari"' in page
    assert "Dewi Anggraini" not in page  # no list of everyone
    response = client.post(
        "/tindak-lanjut/penghargaan/baru/",
        {
            "pegawai": "",
            "pegawai_cari": world.staff.nip,
            "kind": "bonus",
            "basis": "SK 1",
            "date": "2027-01-01",
        },
    )
    assert response.status_code == 302
    assert Award.objects.get().employee == world.staff
