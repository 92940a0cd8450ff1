"""Follow-up calibration rounds: an annual evaluation finalised (or created by the annual
close) after its pool's calibration closed is decided by a second round over only such
evaluations, with the same quotas over the whole pool; nothing the closed round decided
changes, and the late employee's predikat is published and can be signed."""

import pytest
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Calibration, Evaluation, Notice
from kinerja.org.models import OrgUnit
from kinerja.org.services import rebuild_paths

from .factories import fails, grade, populate

pytestmark = pytest.mark.django_db
SB, B, BP = "sangat_baik", "baik", "butuh_perbaikan"


@pytest.fixture
def unit(world, year):
    obj = OrgUnit.objects.create(
        agency=world.agency,
        code="UPT-1",
        name="UPT Puskesmas",
        kind="upt",
        parent=world.units["dinkes"],
    )
    rebuild_paths(world.agency)
    obj.refresh_from_db()
    return obj


def _annual(employee):
    return Evaluation.objects.get(employee=employee, period__isnull=True)


def _first_round(forum, year, unit):
    """Ten employees, Baik curve met (Baik 7 of at most 7), closed."""
    people = populate(year, unit, [B] * 7 + [BP] + [SB] * 2)
    first = services.calibration_open(actor=forum, year=year, unit=unit)
    services.calibration_close(actor=forum, calibration=first)
    first.refresh_from_db()
    return people, first


def test_a_late_evaluation_is_decided_in_a_follow_up_round(world, year, unit, forum):
    grade(world, year, unit, "baik")
    people, first = _first_round(forum, year, unit)
    decided = dict(Evaluation.objects.filter(unit=unit).values_list("pk", "predikat_final"))
    (late_person,) = populate(year, unit, [B])  # finalised after the round closed
    late = _annual(late_person)

    # Before a second round: not published, and signing is refused.
    assert (late.predikat_final, late.published, late.calibrated_in_id) == ("", False, None)
    fails(
        "Predikat tahunan menunggu kalibrasi tim penilai; belum dapat ditandatangani.",
        services.evaluation_sign,
        actor=world.user("admin"),
        evaluation=late,
    )
    (row,) = [r for r in selectors.calibration_units(year=year) if r.unit == unit]
    assert (row.calibration, row.awaiting, row.n) == (first, 1, 11)
    assert selectors.calibration_state(first).awaiting == 1

    second = services.calibration_open(actor=forum, year=year, unit=unit)
    assert (second.round, second.status, second.org_grade) == (2, "open", "baik")
    assert second.member_unit_ids == first.member_unit_ids
    assert second.before == {str(late.pk): B}
    state = selectors.calibration_state(second)
    assert [r.pk for r in state.evaluations] == [late.pk]
    assert (state.n, state.other_rounds, state.pending) == (11, 10, 0)
    # The quotas hold over the whole pool: 8 Baik of 11 is one more than floor(0.7 x 11).
    assert state.violations == ["Baik: 8 pegawai, paling banyak 7."]

    # What the first round decided does not change.
    earlier = _annual(people[0])
    fails(
        "Predikat pegawai ini sudah ditetapkan pada kalibrasi putaran 1; tidak dapat diubah lagi.",
        services.calibration_change,
        actor=forum,
        calibration=second,
        evaluation=earlier,
        predikat=BP,
        reason="Menyeimbangkan kuota",
    )
    services.calibration_change(
        actor=forum,
        calibration=second,
        evaluation=late,
        predikat=BP,
        reason="Finalisasi terlambat; dua RHK utama di bawah ekspektasi",
    )
    assert selectors.calibration_state(second).violations == []
    services.calibration_close(actor=forum, calibration=second)
    second.refresh_from_db()
    assert second.status == "closed" and second.after == {str(late.pk): BP}

    late.refresh_from_db()
    assert (late.predikat_final, late.published, late.calibrated_in_id) == (BP, True, second.pk)
    others = Evaluation.objects.filter(unit=unit).exclude(pk=late.pk)
    assert dict(others.values_list("pk", "predikat_final")) == decided
    assert set(others.values_list("calibrated_in_id", flat=True)) == {first.pk}
    first.refresh_from_db()
    assert len(first.after) == 10 and str(late.pk) not in first.after
    assert Notice.objects.filter(evaluation=late).count() == 1
    assert Notice.objects.filter(evaluation__in=others).count() == 10
    services.evaluation_sign(actor=world.user("admin"), evaluation=late)
    assert Evaluation.objects.get(pk=late.pk).status == "signed"
    # Nothing waits any more: opening again shows the last round, no third one.
    assert services.calibration_open(actor=forum, year=year, unit=unit) == second
    assert Calibration.objects.filter(year=year, unit=unit).count() == 2


def test_a_follow_up_round_waits_for_a_late_draft_to_be_finalised(world, year, unit, forum):
    grade(world, year, unit, "baik")
    _first_round(forum, year, unit)
    (person,) = populate(year, unit, [B], computed=False)
    Evaluation.objects.filter(employee=person).update(status="draft", hasil="", perilaku="")
    second = services.calibration_open(actor=forum, year=year, unit=unit)
    fails(
        "Belum ada pegawai yang memiliki predikat tahunan dalam kalibrasi ini; kalibrasi "
        "tidak dapat ditutup kosong. Finalkan evaluasi tahunan lebih dulu.",
        services.calibration_close,
        actor=forum,
        calibration=second,
    )
    assert Calibration.objects.get(pk=second.pk).status == "open"


def test_a_unit_pooled_in_the_first_round_stays_in_its_pool(world, year, unit, forum):
    """A small unit calibrated with its parent that grows past the minimum later is not
    opened on its own: its late evaluations go to the parent's follow-up round."""
    small = OrgUnit.objects.create(
        agency=world.agency, code="UPT-1-A", name="Pustu A", kind="upt", parent=unit
    )
    rebuild_paths(world.agency)
    small.refresh_from_db()
    grade(world, year, unit, "baik")
    populate(year, small, [B, BP])
    populate(year, unit, [B] * 4 + [SB] * 2)
    first = services.calibration_open(actor=forum, year=year, unit=unit)
    assert sorted(first.member_unit_ids) == sorted([unit.pk, small.pk])
    services.calibration_close(actor=forum, calibration=first)
    populate(year, small, [B, B, SB])  # Pustu A has 5 now
    rows = {r.unit.pk: r for r in selectors.calibration_units(year=year)}
    assert list(rows) == [unit.pk] and rows[unit.pk].awaiting == 3
    fails(
        "Unit Pustu A sudah dikalibrasi bersama unit UPT Puskesmas tahun ini; evaluasinya "
        "dikalibrasi pada putaran lanjutan kalibrasi unit UPT Puskesmas.",
        services.calibration_open,
        actor=forum,
        year=year,
        unit=small,
    )
    second = services.calibration_open(actor=forum, year=year, unit=unit)
    assert second.round == 2 and len(second.before) == 3


def test_pages_and_api_show_the_rounds(world, year, unit, forum, client):
    grade(world, year, unit, "baik")
    _people, first = _first_round(forum, year, unit)
    populate(year, unit, [B])
    client.force_login(forum)
    listing = client.get(reverse("assessment:calibration_list") + f"?tahun={year.pk}")
    text = listing.content.decode()
    assert "1 evaluasi menunggu kalibrasi lanjutan" in text
    assert "Buka kalibrasi lanjutan UPT Puskesmas" in text
    page = client.get(reverse("assessment:calibration", args=[first.pk])).content.decode()
    assert "Putaran 1" in page and "Buka kalibrasi lanjutan UPT Puskesmas" in page
    body = client.get(f"/api/calibrations/{first.pk}/").json()
    assert (body["round"], body["awaiting_follow_up"], len(body["evaluations"])) == (1, 1, 10)

    opened = client.post(
        reverse("assessment:calibration_open", args=[unit.pk]) + f"?tahun={year.pk}"
    )
    second = Calibration.objects.get(year=year, unit=unit, round=2)
    assert opened["Location"] == reverse("assessment:calibration", args=[second.pk])
    page = client.get(opened["Location"]).content.decode()
    assert "Putaran 2" in page
    assert "10 pegawai ditetapkan pada putaran lain (dihitung dalam kuota)" in page
    body = client.get(f"/api/calibrations/{second.pk}/").json()
    assert body["round"] == 2 and body["other_rounds"] == 10
    assert body["rounds"] == [
        {"id": first.pk, "round": 1, "status": "closed"},
        {"id": second.pk, "round": 2, "status": "open"},
    ]
    assert body["counts"] == {B: 8, BP: 1, SB: 2}
