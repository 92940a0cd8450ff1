"""Mentors are chosen with a picker (any employee of the agency), for a suggested
mentee or for anyone the user manages; suggestions are named, not listed as options."""

import pytest

from kinerja.followup.models import MentorPairing

from .factories import make_annual

pytestmark = pytest.mark.django_db

URL = "/tindak-lanjut/mentor/"


def _pairings():
    return list(MentorPairing.objects.order_by("pk").values_list("mentee", "mentor", "goals"))


def test_suggested_mentee_gets_a_mentor_typed_by_nip(world, login):
    make_annual(world.staff, 2026, "butuh_perbaikan")
    make_annual(world.peer, 2026, "sangat_baik")
    client = login(world.user("admin"))
    page = client.get(URL, {"tahun": 2026}).content.decode()
    assert f"Disarankan: Eko Prasetyo ({world.peer.nip})" in page
    assert f'id="m-{world.staff.pk}"' in page
    response = client.post(
        URL + "?tahun=2026",
        {
            "mentee": world.staff.pk,
            "mentor": "",
            "mentor_cari": world.peer.nip,
            "goals": "Laporan tepat waktu",
            "start": "2027-01-02",
        },
    )
    assert response.status_code == 302
    assert _pairings() == [(world.staff.pk, world.peer.pk, "Laporan tepat waktu")]


def test_any_managed_employee_gets_a_chosen_mentor(world, login):
    client = login(world.user("admin"))
    response = client.post(
        URL,
        {
            "mentee": "",
            "mentee_cari": world.fungsional.nip,
            "mentor": str(world.kasi.pk),
            "mentor_cari": "Citra",
            "goals": "Asuhan keperawatan",
            "start": "2027-01-02",
        },
    )
    assert response.status_code == 302
    assert _pairings() == [(world.fungsional.pk, world.kasi.pk, "Asuhan keperawatan")]


def test_unknown_mentor_is_a_clear_message(world, login):
    client = login(world.user("admin"))
    response = client.post(
        URL,
        {
            "mentee": str(world.staff.pk),
            "mentor_cari": "199909092020121009",
            "goals": "X",
            "start": "2027-01-02",
        },
        follow=True,
    )
    assert "Pegawai “199909092020121009” tidak ditemukan" in response.content.decode()
    assert _pairings() == []


# --- the report's unit is a picker too ------------------------------------------------------


def test_report_unit_typed_by_code_or_unknown(world, login):
    from kinerja.audit.models import AuditEvent

    from .factories import make_year

    client = login(world.user("admin"))
    year = make_year(world.agency, 2026)
    page = client.get("/tindak-lanjut/laporan/").content.decode()
    assert 'name="unit_cari"' in page
    assert "Seksi Layanan Primer" not in page
    response = client.get(
        "/tindak-lanjut/laporan/",
        {"tahun": year.pk, "format": "xlsx", "unit": "", "unit_cari": "DINKES-YAN-1"},
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="tindak-lanjut-2026-unit-{world.units["seksi"].pk}.xlsx"'
    )
    assert AuditEvent.objects.filter(
        action="followup.report.export.xlsx", target_id=str(world.units["seksi"].pk)
    ).exists()
    response = client.get(
        "/tindak-lanjut/laporan/",
        {"tahun": year.pk, "format": "xlsx", "unit": "", "unit_cari": "DISDIK"},
    )
    assert response.status_code == 200
    assert "Unit “DISDIK” tidak ditemukan." in response.content.decode()
