"""Calibration by the tim penilai kinerja: quotas with their rounding, pooling
of small units, changes with reasons, closing, and who may do it."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Calibration, CalibrationChange, Evaluation
from kinerja.org.models import OrgUnit

from .factories import fails, grade, populate, refused

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"


@pytest.fixture
def unit(world, year):
    """A unit of its own below the Dinas, for quota tables."""
    obj = OrgUnit.objects.create(
        agency=world.agency,
        code="UPT-1",
        name="UPT Puskesmas",
        kind="upt",
        parent=world.units["dinkes"],
    )
    from kinerja.org.services import rebuild_paths

    rebuild_paths(world.agency)
    obj.refresh_from_db()
    return obj


# Every quota row of the default policy, with its floor/ceil rounding, through
# opening a calibration and reading its state.
QUOTA_CASES = [
    ("istimewa", {SB: 7, B: 3}, []),
    ("istimewa", {SB: 8, B: 2}, ["Sangat Baik: 8 pegawai, paling banyak 7."]),
    ("istimewa", {SB: 4, B: 2}, []),  # floor(0.7 * 6) = 4
    ("istimewa", {SB: 5, B: 1}, ["Sangat Baik: 5 pegawai, paling banyak 4."]),
    ("baik", {B: 7, BP: 1, SB: 2}, []),
    (
        "baik",
        {B: 8, SB: 2},
        [
            "Baik: 8 pegawai, paling banyak 7.",
            "Butuh Perbaikan, Kurang/Misconduct: paling sedikit satu pegawai, saat ini tidak ada.",
        ],
    ),
    ("baik", {B: 6, K: 1, SB: 2}, []),  # floor(0.7 * 9) = 6
    ("butuh_perbaikan", {BP: 6, B: 3, SB: 1}, []),
    (
        "butuh_perbaikan",
        {BP: 5, B: 3, SB: 2},
        [
            "Butuh Perbaikan: 5 pegawai, paling sedikit 6.",
            "Sangat Baik: 2 pegawai, paling banyak 1.",
        ],
    ),
    # ceil(0.6 * 9) = 6
    ("butuh_perbaikan", {BP: 5, B: 4}, ["Butuh Perbaikan: 5 pegawai, paling sedikit 6."]),
    ("kurang", {K: 5, BP: 1, B: 1}, []),
    (
        "kurang",
        {K: 4, B: 2, SB: 1},
        [
            "Kurang/Misconduct: 4 pegawai, paling sedikit 5.",
            "Butuh Perbaikan: 0 pegawai, paling sedikit 1.",
            "Sangat Baik: 1 pegawai, paling banyak 0.",
        ],
    ),
    ("sangat_kurang", {SK: 6, K: 1, B: 2}, []),
    (
        "sangat_kurang",
        {SK: 5, B: 3, SB: 1},
        [
            "Sangat Kurang: 5 pegawai, paling sedikit 6.",
            "Butuh Perbaikan, Kurang/Misconduct: 0 pegawai, paling sedikit 1.",
            "Sangat Baik: 1 pegawai, paling banyak 0.",
        ],
    ),
]


@pytest.mark.parametrize(("org_grade", "counts", "expected"), QUOTA_CASES)
def test_quota_rows_with_rounding(world, year, unit, forum, org_grade, counts, expected):
    grade(world, year, unit, org_grade)
    populate(year, unit, [p for p, n in counts.items() for _ in range(n)])
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    state = selectors.calibration_state(calibration)
    assert state.n == sum(counts.values())
    assert state.counts == {p: n for p, n in counts.items() if n}
    assert state.violations == expected


def test_a_unit_of_four_is_calibrated_with_its_parent(world, year, unit, forum):
    small = OrgUnit.objects.create(
        agency=world.agency, code="UPT-1-A", name="Pustu A", kind="upt", parent=unit
    )
    from kinerja.org.services import rebuild_paths

    rebuild_paths(world.agency)
    small.refresh_from_db()
    grade(world, year, unit, "baik")
    populate(year, small, [B, B, B, SB])
    populate(year, unit, [B, B, BP, SB, B, B])
    fails(
        "Unit Pustu A terlalu kecil (kurang dari 5 pegawai); dikalibrasi bersama unit UPT "
        "Puskesmas.",
        services.calibration_open,
        actor=forum,
        year=year,
        unit=small,
    )
    assert not Calibration.objects.filter(unit=small).exists()
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    assert sorted(calibration.member_unit_ids) == sorted([unit.pk, small.pk])
    state = selectors.calibration_state(calibration)
    assert state.n == 10 and state.counts == {B: 7, SB: 2, BP: 1}
    assert state.violations == []


def test_calibrate_down_to_quota_with_reasons(world, year, unit, forum):
    grade(world, year, unit, "baik")
    populate(year, unit, [B] * 8 + [SB] * 2)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    state = selectors.calibration_state(calibration)
    assert state.violations[0] == "Baik: 8 pegawai, paling banyak 7."
    first = state.evaluations[0]
    fails(
        "Alasan perubahan predikat wajib diisi.",
        services.calibration_change,
        actor=forum,
        calibration=calibration,
        evaluation=first,
        predikat=BP,
        reason="  ",
    )
    fails(
        "Kuota distribusi masih dilanggar: Baik: 8 pegawai, paling banyak 7. Butuh Perbaikan, "
        "Kurang/Misconduct: paling sedikit satu pegawai, saat ini tidak ada. Tuliskan alasan "
        "untuk menutup kalibrasi tanpa memenuhi kuota.",
        services.calibration_close,
        actor=forum,
        calibration=calibration,
    )
    assert Calibration.objects.get(pk=calibration.pk).status == "open"
    services.calibration_change(
        actor=forum,
        calibration=calibration,
        evaluation=first,
        predikat=BP,
        reason="Dua RHK utama tidak tercapai pada triwulan IV",
    )
    assert selectors.calibration_state(calibration).violations == []
    services.calibration_close(actor=forum, calibration=calibration)
    calibration.refresh_from_db()
    assert calibration.status == "closed" and calibration.override_reason == ""
    assert calibration.before[str(first.pk)] == B and calibration.after[str(first.pk)] == BP
    change = CalibrationChange.objects.get()
    assert (change.before, change.after, change.by) == (B, BP, forum)
    finals = Counter(Evaluation.objects.filter(unit=unit).values_list("predikat_final", flat=True))
    assert finals == {B: 7, SB: 2, BP: 1}
    assert not Evaluation.objects.filter(unit=unit, published=False).exists()
    fails(
        "Kalibrasi sudah ditutup; predikat tidak dapat diubah lagi.",
        services.calibration_change,
        actor=forum,
        calibration=calibration,
        evaluation=first,
        predikat=B,
        reason="x",
    )


def test_override_with_reason_or_strict_refusal(world, year, unit, forum):
    grade(world, year, unit, "baik")
    populate(year, unit, [B] * 8 + [SB] * 2)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    services.settings_update(
        actor=world.user("admin"), agency=world.agency, quota_enforcement="strict"
    )
    with pytest.raises(ValidationError) as exc:
        services.calibration_close(
            actor=forum, calibration=calibration, override_reason="Unit baru"
        )
    assert exc.value.messages[0].startswith(
        "Kuota distribusi masih dilanggar; kalibrasi tidak dapat ditutup."
    )
    services.settings_update(
        actor=world.user("admin"), agency=world.agency, quota_enforcement="advisory"
    )
    services.calibration_close(
        actor=forum, calibration=calibration, override_reason="Kinerja unit merata tahun ini"
    )
    calibration.refresh_from_db()
    assert calibration.override_reason == "Kinerja unit merata tahun ini"
    assert len(calibration.violations_at_close) == 2


def test_pending_predikat_blocks_closing(world, year, unit, forum):
    grade(world, year, unit, "istimewa")
    populate(year, unit, [B] * 5)
    populate(year, unit, [B], computed=False)
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    fails(
        "1 pegawai belum memiliki predikat tahunan; kalibrasi belum dapat ditutup.",
        services.calibration_close,
        actor=forum,
        calibration=calibration,
    )


@pytest.mark.parametrize("who", ["staff", "kasi", "outsider_admin"])
def test_only_the_agency_forum_calibrates(world, year, unit, forum, who):
    grade(world, year, unit, "baik")
    populate(year, unit, [B] * 6)
    refused(
        "Hanya tim penilai kinerja instansi ini yang dapat melakukan ini.",
        services.calibration_open,
        actor=world.user(who),
        year=year,
        unit=unit,
    )
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    evaluation = Evaluation.objects.filter(unit=unit).first()
    refused(
        "Hanya tim penilai kinerja instansi ini yang dapat melakukan ini.",
        services.calibration_change,
        actor=world.user(who),
        calibration=calibration,
        evaluation=evaluation,
        predikat=BP,
        reason="x",
    )
    assert Evaluation.objects.get(pk=evaluation.pk).predikat_final == ""


def test_an_unset_skp_is_outside_the_pool_and_does_not_block_closing(world, year, unit, forum):
    """An annual evaluation of an SKP never set (a row an earlier close left) cannot be
    rated: it is not in the calibration, its quotas or its pooling, and the employee gets
    no predikat (close_gaps: "SKP belum disetujui")."""
    from kinerja.planning.models import Skp

    grade(world, year, unit, "istimewa")
    populate(year, unit, [B] * 5)
    (person,) = populate(year, unit, [B], computed=False)
    draft = Evaluation.objects.get(employee=person, period__isnull=True)
    Skp.objects.filter(pk=draft.skp_id).update(status=Skp.Status.DRAFT)
    Evaluation.objects.filter(pk=draft.pk).update(status="draft", hasil="", perilaku="")
    calibration = services.calibration_open(actor=forum, year=year, unit=unit)
    state = selectors.calibration_state(calibration)
    assert (state.n, state.pending, len(state.evaluations)) == (5, 0, 5)
    assert str(draft.pk) not in calibration.before
    services.calibration_close(actor=forum, calibration=calibration)
    calibration.refresh_from_db()
    assert calibration.status == "closed" and len(calibration.after) == 5
    left = Evaluation.objects.get(pk=draft.pk)
    assert (left.predikat_final, left.published) == ("", False)
    assert Evaluation.objects.filter(unit=unit, published=True).count() == 5
