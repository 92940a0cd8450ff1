"""Tests of kinerja.rules.predikat: kuadran, matching predikat, proposal, capaian."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja.rules import predikat as p
from kinerja.rules.predikat import (
    MATCHING_PREDIKAT,
    PREDIKAT_MATRIX,
    PREDIKAT_ORDER,
    OrgGrade,
    Predikat,
    Rating,
    RhkRating,
    capaian,
    predikat,
    propose_hasil_kerja,
    unit_head_hasil_kerja,
)

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH

# Every cell of the kuadran kinerja pegawai, PermenPANRB 6/2022 lampiran Bab IV B.3.a.3)(c)
# (text lines 4121-4174) and B.3.b.3)(c) (lines 4278-4330): (hasil, perilaku) -> predikat.
KUADRAN = [
    (A, A, Predikat.SANGAT_BAIK),
    (A, S, Predikat.BAIK),
    (A, B, Predikat.KURANG),
    (S, A, Predikat.BAIK),
    (S, S, Predikat.BAIK),
    (S, B, Predikat.KURANG),
    (B, A, Predikat.BUTUH_PERBAIKAN),
    (B, S, Predikat.BUTUH_PERBAIKAN),
    (B, B, Predikat.SANGAT_KURANG),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), KUADRAN)
def test_predikat_every_cell(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) is expected
    assert PREDIKAT_MATRIX[(hasil, perilaku)] is expected


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), KUADRAN)
def test_predikat_accepts_stored_string_codes(hasil, perilaku, expected):
    assert predikat(str(hasil.value), str(perilaku.value)) is expected


def test_matrix_has_exactly_the_nine_cells():
    assert set(PREDIKAT_MATRIX) == {(h, b) for h, b, _ in KUADRAN}


def test_predikat_rejects_unknown_rating():
    with pytest.raises(ValueError):
        predikat("excellent", Rating.SESUAI)


def test_enum_values_are_the_stored_codes():
    assert [r.value for r in Rating] == ["di_atas", "sesuai", "di_bawah"]
    assert [g.value for g in OrgGrade] == [
        "istimewa",
        "baik",
        "butuh_perbaikan",
        "kurang",
        "sangat_kurang",
    ]
    assert [x.value for x in PREDIKAT_ORDER] == [
        "sangat_baik",
        "baik",
        "butuh_perbaikan",
        "kurang",
        "sangat_kurang",
    ]
    assert set(PREDIKAT_ORDER) == set(Predikat)


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (OrgGrade.ISTIMEWA, Predikat.SANGAT_BAIK),
        (OrgGrade.BAIK, Predikat.BAIK),
        (OrgGrade.BUTUH_PERBAIKAN, Predikat.BUTUH_PERBAIKAN),
        (OrgGrade.KURANG, Predikat.KURANG),
        (OrgGrade.SANGAT_KURANG, Predikat.SANGAT_KURANG),
    ],
)
def test_matching_predikat(grade, expected):
    assert MATCHING_PREDIKAT[grade] is expected


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (OrgGrade.ISTIMEWA, Rating.DI_ATAS),
        (OrgGrade.BAIK, Rating.SESUAI),
        (OrgGrade.BUTUH_PERBAIKAN, Rating.DI_BAWAH),
        (OrgGrade.KURANG, Rating.DI_BAWAH),
        (OrgGrade.SANGAT_KURANG, Rating.DI_BAWAH),
        ("baik", Rating.SESUAI),
    ],
)
def test_unit_head_hasil_kerja(grade, expected):
    assert unit_head_hasil_kerja(grade) is expected


# --- propose_hasil_kerja -------------------------------------------------------------------
# Token: rating letter (A above, S meets, B below) + "u" utama / "t" tambahan.
_TOKEN = {"A": A, "S": S, "B": B}


def rhk(*tokens):
    return [RhkRating(_TOKEN[t[0]], t[1] == "u") for t in tokens]


PROPOSALS = [
    pytest.param(
        ("Au", "Au", "At"),
        A,
        (p.REASON_MAJORITY_ABOVE, p.REASON_NO_UTAMA_BELOW),
        (3, 3, 0, 0, 2, 0),
        id="all-above",
    ),
    pytest.param(
        ("Au", "Au", "At", "Bt"),
        A,
        (p.REASON_MAJORITY_ABOVE, p.REASON_NO_UTAMA_BELOW),
        (4, 3, 0, 1, 2, 0),
        id="majority-above-only-tambahan-below",
    ),
    pytest.param(
        ("Au", "Au", "Au", "Bu", "St"),
        S,
        (
            p.REASON_MAJORITY_ABOVE,
            p.REASON_UTAMA_BELOW,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_WITHIN_SMALL_PART,
        ),
        (5, 3, 1, 1, 4, 1),
        id="majority-above-one-of-four-utama-below-falls-to-sesuai",
    ),
    pytest.param(
        ("Au", "Au", "Bu", "At", "At"),
        B,
        (
            p.REASON_MAJORITY_ABOVE,
            p.REASON_UTAMA_BELOW,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_OVER_SMALL_PART,
            p.REASON_BELOW_NOT_MAJORITY,
        ),
        (5, 4, 0, 1, 3, 1),
        id="majority-above-one-of-three-utama-below-falls-to-di-bawah",
    ),
    pytest.param(
        ("Au", "At", "Su", "St"),
        S,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_WITHIN_SMALL_PART,
        ),
        (4, 2, 2, 0, 2, 0),
        id="exact-half-above-is-not-most",
    ),
    pytest.param(
        ("Au", "Au", "Au", "Su", "Su", "Su"),
        S,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_WITHIN_SMALL_PART,
        ),
        (6, 3, 3, 0, 6, 0),
        id="above-counts-as-meeting",
    ),
    pytest.param(
        ("Su", "St", "Bt", "Bt"),
        B,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_AT_LEAST_MEETS_NOT_MAJORITY,
            p.REASON_BELOW_NOT_MAJORITY,
        ),
        (4, 0, 2, 2, 1, 0),
        id="exact-half-meets-falls-back-to-di-bawah",
    ),
    pytest.param(
        ("Bu", "Bt", "St"),
        B,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_AT_LEAST_MEETS_NOT_MAJORITY,
            p.REASON_MAJORITY_BELOW,
        ),
        (3, 0, 1, 2, 1, 1),
        id="majority-below",
    ),
    pytest.param(
        ("At", "At", "St"),
        A,
        (p.REASON_NO_UTAMA, p.REASON_MAJORITY_ABOVE, p.REASON_NO_UTAMA_BELOW),
        (3, 2, 1, 0, 0, 0),
        id="no-utama-warns",
    ),
    pytest.param(
        ("Su",) * 6 + ("Bu",) * 2,
        S,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_WITHIN_SMALL_PART,
        ),
        (8, 0, 6, 2, 8, 2),
        id="two-of-eight-utama-below-is-a-small-part",
    ),
    pytest.param(
        ("Su",) * 5 + ("Bu",) * 3,
        B,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_OVER_SMALL_PART,
            p.REASON_BELOW_NOT_MAJORITY,
        ),
        (8, 0, 5, 3, 8, 3),
        id="three-of-eight-utama-below-is-too-many",
    ),
    pytest.param(
        ("Au",),
        A,
        (p.REASON_MAJORITY_ABOVE, p.REASON_NO_UTAMA_BELOW),
        (1, 1, 0, 0, 1, 0),
        id="single-above",
    ),
    pytest.param(
        ("Su",),
        S,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_MAJORITY_AT_LEAST_MEETS,
            p.REASON_UTAMA_BELOW_WITHIN_SMALL_PART,
        ),
        (1, 0, 1, 0, 1, 0),
        id="single-meets",
    ),
    pytest.param(
        ("Bu",),
        B,
        (
            p.REASON_ABOVE_NOT_MAJORITY,
            p.REASON_AT_LEAST_MEETS_NOT_MAJORITY,
            p.REASON_MAJORITY_BELOW,
        ),
        (1, 0, 0, 1, 1, 1),
        id="single-below",
    ),
]


@pytest.mark.parametrize(("tokens", "rating", "reasons", "counts"), PROPOSALS)
def test_propose_hasil_kerja(tokens, rating, reasons, counts):
    proposal = propose_hasil_kerja(rhk(*tokens))
    assert proposal.rating is rating
    assert proposal.reasons == reasons
    assert (
        proposal.total,
        proposal.above,
        proposal.meets,
        proposal.below,
        proposal.utama_total,
        proposal.utama_below,
    ) == counts


@pytest.mark.parametrize(
    ("tokens", "small_part", "expected"),
    [
        # One utama below out of four: within 1/4, not within 0.
        (("Au", "Au", "Au", "Bu", "St"), Fraction(1, 4), S),
        (("Au", "Au", "Au", "Bu", "St"), Fraction(0), B),
        # One utama below out of three: over 1/4 (0.75 -> floor 0), within 1/3.
        (("Au", "Au", "Bu", "At", "At"), Fraction(1, 4), B),
        (("Au", "Au", "Bu", "At", "At"), Fraction(1, 3), S),
        # Two of four: over 1/4, within 1/2.
        (("Su", "Su", "Bu", "Bu", "St", "St"), Fraction(1, 4), B),
        (("Su", "Su", "Bu", "Bu", "St", "St"), Fraction(1, 2), S),
    ],
)
def test_propose_small_part_setting(tokens, small_part, expected):
    assert propose_hasil_kerja(rhk(*tokens), small_part=small_part).rating is expected


def test_propose_never_di_atas_with_any_utama_below_whatever_small_part():
    proposal = propose_hasil_kerja(rhk("Au", "Au", "Au", "Au", "Bu"), small_part=Fraction(1))
    assert proposal.rating is S
    assert p.REASON_UTAMA_BELOW in proposal.reasons


def test_propose_empty_raises():
    with pytest.raises(ValueError):
        propose_hasil_kerja([])


@pytest.mark.parametrize("small_part", [Fraction(-1, 4), Fraction(5, 4)])
def test_propose_rejects_small_part_outside_0_1(small_part):
    with pytest.raises(ValueError):
        propose_hasil_kerja(rhk("Su"), small_part=small_part)


def test_rhk_rating_normalises_string_codes():
    rating = RhkRating("di_bawah", True)
    assert rating.rating is Rating.DI_BAWAH
    with pytest.raises(ValueError):
        RhkRating("bad", False)


def test_reason_codes_are_distinct():
    codes = [getattr(p, name) for name in p.__all__ if name.startswith("REASON_")]
    assert len(codes) == 11
    assert len(set(codes)) == len(codes)


# --- capaian -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "target", "lower_is_better", "expected"),
    [
        ("80", "100", False, Decimal("80.00")),
        ("100", "100", False, Decimal("100.00")),
        ("1", "3", False, Decimal("33.33")),
        ("2", "3", False, Decimal("66.67")),
        ("12.345", "100", False, Decimal("12.35")),  # half up, not half even (12.34)
        ("-12.345", "100", False, Decimal("-12.35")),
        ("0", "10", False, Decimal("0.00")),
        ("8", "10", True, Decimal("125.00")),
        ("12", "10", True, Decimal("83.33")),
        ("10", "0", False, None),
        ("0", "10", True, None),
    ],
)
def test_capaian(realisasi, target, lower_is_better, expected):
    result = capaian(Decimal(realisasi), Decimal(target), lower_is_better=lower_is_better)
    assert result == expected
    if expected is not None:
        assert str(result) == str(expected)  # always two decimals for display
