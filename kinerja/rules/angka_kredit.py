"""Angka kredit (credit points) of functional positions (docs/domain.md §6).

PermenPANRB 1/2023 and Peraturan BKN 3/2023: the annual predikat kinerja converts into credit
points as AK = predikat percentage x annual coefficient of the jenjang x months / 12. Both
tables live here only, so a correction is one line.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kinerja.rules._rounding import round_half_up
from kinerja.rules.predikat import Predikat

__all__ = ["ANNUAL_COEFFICIENT", "PREDIKAT_PERCENT", "credit_points"]

#: Percentage of the annual coefficient earned per predikat (docs/domain.md §6, verified).
PREDIKAT_PERCENT: dict[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal("150"),
    Predikat.BAIK: Decimal("100"),
    Predikat.BUTUH_PERBAIKAN: Decimal("75"),
    Predikat.KURANG: Decimal("50"),
    Predikat.SANGAT_KURANG: Decimal("25"),
}

#: Annual credit-point coefficient per jenjang jabatan fungsional, verified against BKN's worked
#: example (Ahli Pertama 12.5) and SIASN's `koefisien` reference table (docs/domain.md §6).
ANNUAL_COEFFICIENT: dict[str, Decimal] = {
    # Keahlian (expert) levels.
    "ahli_utama": Decimal("50"),
    "ahli_madya": Decimal("37.5"),
    "ahli_muda": Decimal("25"),
    "ahli_pertama": Decimal("12.5"),
    # Keterampilan (skilled) levels.
    "penyelia": Decimal("25"),
    "mahir": Decimal("12.5"),
    "terampil": Decimal("5"),
    "pemula": Decimal("3.75"),
}


def credit_points(predikat: Predikat, jenjang: str, months: int = 12) -> Decimal:
    """Credit points earned for ``months`` months at ``predikat`` in ``jenjang``.

    AK = percentage x coefficient x months / 12, computed exactly and rounded once to 2
    decimals ROUND_HALF_UP, as in BKN's examples: Ahli Pertama, Sangat Baik, 12 months ->
    150% x 12.5 = 18.75; Ahli Pertama, Baik, 2 months -> 2/12 x 100% x 12.5 = 2.0833 -> 2.08.
    ``months`` is the number of months in the period (1-12; a period never spans more than the
    year); an unknown predikat or jenjang, or months outside 1-12, raise ``ValueError``.
    """
    percent = PREDIKAT_PERCENT[Predikat(predikat)]
    try:
        coefficient = ANNUAL_COEFFICIENT[jenjang]
    except KeyError:
        raise ValueError(f"unknown jenjang {jenjang!r}") from None
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        raise ValueError("months must be an integer from 1 to 12")
    points = Fraction(percent) / 100 * Fraction(coefficient) * Fraction(months, 12)
    return round_half_up(points, 2)
