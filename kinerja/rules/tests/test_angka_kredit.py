"""Tests of kinerja.rules.angka_kredit: every jenjang x predikat, partial years, validation."""

from decimal import Decimal

import pytest

from kinerja.rules.angka_kredit import ANNUAL_COEFFICIENT, PREDIKAT_PERCENT, credit_points
from kinerja.rules.predikat import Predikat

JENJANG = (
    "ahli_utama",
    "ahli_madya",
    "ahli_muda",
    "ahli_pertama",
    "penyelia",
    "mahir",
    "terampil",
    "pemula",
)
PREDIKAT = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)

# A full year, worked by hand: coefficient x 150%, 100%, 75%, 50%, 25%, rounded half up.
FULL_YEAR = {
    "ahli_utama": ("75.00", "50.00", "37.50", "25.00", "12.50"),
    "ahli_madya": ("56.25", "37.50", "28.13", "18.75", "9.38"),  # 28.125, 9.375
    "ahli_muda": ("37.50", "25.00", "18.75", "12.50", "6.25"),
    "ahli_pertama": ("18.75", "12.50", "9.38", "6.25", "3.13"),  # 9.375, 3.125
    "penyelia": ("37.50", "25.00", "18.75", "12.50", "6.25"),
    "mahir": ("18.75", "12.50", "9.38", "6.25", "3.13"),
    "terampil": ("7.50", "5.00", "3.75", "2.50", "1.25"),
    "pemula": ("5.63", "3.75", "2.81", "1.88", "0.94"),  # 5.625, 2.8125, 1.875, 0.9375
}


@pytest.mark.parametrize(
    ("jenjang", "predikat", "expected"),
    [
        pytest.param(j, p, FULL_YEAR[j][i], id=f"{j}-{p}")
        for j in JENJANG
        for i, p in enumerate(PREDIKAT)
    ],
)
def test_credit_points_full_year(jenjang, predikat, expected):
    result = credit_points(predikat, jenjang)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_tables_cover_exactly_the_codes():
    assert set(ANNUAL_COEFFICIENT) == set(JENJANG)
    assert set(PREDIKAT_PERCENT) == set(Predikat)


@pytest.mark.parametrize(
    ("predikat", "jenjang", "months", "expected"),
    [
        # BKN's worked examples (docs/domain.md §6).
        (Predikat.SANGAT_BAIK, "ahli_pertama", 12, "18.75"),
        (Predikat.BAIK, "ahli_pertama", 2, "2.08"),  # 2.0833
        # Partial years, worked by hand.
        (Predikat.BAIK, "ahli_pertama", 1, "1.04"),  # 1.041666
        (Predikat.SANGAT_BAIK, "ahli_madya", 3, "14.06"),  # 14.0625
        (Predikat.BAIK, "pemula", 6, "1.88"),  # 1.875
        (Predikat.SANGAT_KURANG, "pemula", 1, "0.08"),  # 0.078125
        (Predikat.BUTUH_PERBAIKAN, "ahli_utama", 7, "21.88"),  # 21.875
        (Predikat.KURANG, "terampil", 5, "1.04"),  # 1.041666
        (Predikat.BAIK, "ahli_muda", 11, "22.92"),  # 22.9166
    ],
)
def test_credit_points_partial_year(predikat, jenjang, months, expected):
    assert credit_points(predikat, jenjang, months) == Decimal(expected)


def test_credit_points_accepts_stored_predikat_code():
    assert credit_points("sangat_baik", "ahli_pertama") == Decimal("18.75")


@pytest.mark.parametrize("months", [0, 13, -1, True, 6.0])
def test_credit_points_rejects_months_outside_1_12(months):
    with pytest.raises(ValueError):
        credit_points(Predikat.BAIK, "ahli_muda", months)


@pytest.mark.parametrize(
    ("predikat", "jenjang"),
    [(Predikat.BAIK, "ahli"), (Predikat.BAIK, "Ahli_Muda"), ("excellent", "ahli_muda")],
)
def test_credit_points_rejects_unknown_codes(predikat, jenjang):
    with pytest.raises(ValueError):
        credit_points(predikat, jenjang)
