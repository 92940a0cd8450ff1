from datetime import date

import pytest

from kinerja.rules import planning as rules


@pytest.mark.parametrize(
    "kind, head, independent, form",
    [
        ("jpt_utama", False, False, "jpt"),
        ("jpt_madya", True, False, "jpt"),
        ("jpt_pratama", True, True, "jpt"),
        ("administrator", True, True, "jpt"),  # head of an independent unit (UPT, kantor)
        ("administrator", True, False, "non_jpt"),
        ("pengawas", True, False, "non_jpt"),
        ("pengawas", False, True, "non_jpt"),  # independent unit, but not its head
        ("fungsional", False, False, "non_jpt"),
        ("pelaksana", False, False, "non_jpt"),
        (None, False, False, "non_jpt"),
    ],
)
def test_skp_form(kind, head, independent, form):
    assert (
        rules.skp_form(position_kind=kind, is_unit_head=head, unit_is_independent=independent)
        == form
    )


@pytest.mark.parametrize(
    "form, approach, code",
    [
        ("jpt", "kualitatif", "A.1.1"),
        ("jpt", "kuantitatif", "A.1.2"),
        ("non_jpt", "kualitatif", "A.1.6"),
        ("non_jpt", "kuantitatif", "A.1.7"),
    ],
)
def test_format_code(form, approach, code):
    assert rules.format_code(form, approach) == code


@pytest.mark.parametrize(
    "present, missing",
    [
        ([], ["penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran"]),
        (["penerima_layanan", "proses_bisnis", "penguatan_internal"], ["anggaran"]),
        (["anggaran", "anggaran"], ["penerima_layanan", "proses_bisnis", "penguatan_internal"]),
        (["penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran"], []),
    ],
)
def test_missing_perspektif(present, missing):
    assert rules.missing_perspektif(present) == missing


@pytest.mark.parametrize(
    "form, kind, has_rater, source, required",
    [
        ("non_jpt", "pelaksana", True, "intervensi", True),
        ("non_jpt", "pengawas", True, "intervensi", True),
        ("non_jpt", "pelaksana", True, "tugas_jabatan", True),  # only functional may
        ("non_jpt", "fungsional", True, "tugas_jabatan", False),
        ("non_jpt", "fungsional", True, "intervensi", True),
        ("non_jpt", "pelaksana", False, "intervensi", False),  # top of the tree
        ("jpt", "jpt_pratama", True, "pk", False),  # JPT: goals, checked separately
    ],
)
def test_link_required(form, kind, has_rater, source, required):
    assert (
        rules.link_required(form=form, position_kind=kind, has_rater=has_rater, source=source)
        is required
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("12 laporan", []),
        ("Selalu tepat waktu", ["selalu"]),
        ("tidak pernah terlambat", ["tidak pernah"]),
        ("semua berkas lengkap", ["semua"]),
        ("100%", ["100%"]),
        ("100,0 %", ["100%"]),
        ("80-90%", []),
        ("1100% ", []),
        ("seluruhnya diverifikasi", []),
    ],
)
def test_absolute_words(text, words):
    assert rules.absolute_words(text) == words


def test_monthly_periods():
    periods = rules.generate_periods(2026, "bulanan", "annual")
    assert [p.label for p in periods][:2] == ["Januari", "Februari"]
    assert len(periods) == 12
    assert periods[1].end == date(2026, 2, 28)
    assert periods[-1].start == date(2026, 12, 1) and periods[-1].end == date(2026, 12, 31)


@pytest.mark.parametrize(
    "source, last",
    [("last_period", "Triwulan IV-Akhir"), ("annual", "Triwulan IV")],
)
def test_quarterly_periods(source, last):
    periods = rules.generate_periods(2028, "triwulanan", source)
    assert [p.label for p in periods] == ["Triwulan I", "Triwulan II", "Triwulan III", last]
    assert [(p.start, p.end) for p in periods] == [
        (date(2028, 1, 1), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2028, 6, 30)),
        (date(2028, 7, 1), date(2028, 9, 30)),
        (date(2028, 10, 1), date(2028, 12, 31)),
    ]


def test_unknown_frequency():
    with pytest.raises(ValueError):
        rules.generate_periods(2026, "mingguan", "annual")


@pytest.mark.parametrize(
    "deadline, today, done, late",
    [
        (date(2026, 1, 31), date(2026, 1, 31), False, False),
        (date(2026, 1, 31), date(2026, 2, 1), False, True),
        (date(2026, 1, 31), date(2026, 2, 1), True, False),
        (None, date(2026, 2, 1), False, False),
    ],
)
def test_is_late(deadline, today, done, late):
    assert rules.is_late(deadline=deadline, today=today, done=done) is late


def test_default_deadlines():
    assert rules.default_skp_deadline(2026) == date(2026, 1, 31)
    assert rules.default_annual_deadline(2026) == date(2027, 1, 31)
