"""Indeks Kepuasan Masyarakat (PermenPANRB 14/2017, Survei Kepuasan Masyarakat; docs/domain.md §7).

Nine elements (unsur) answered on 1-4; per element NRR = sum of answers / number of answers;
IKM = sum of NRR x 1/9 (1-4); converted IKM = IKM x 25 (25-100), graded A-D.

Rounding, decided here: the regulation's manual rounds the weight to 0.111 and shows rounded
intermediate values, which makes a perfect survey (all 4) come out at 3.996 / 99.90 instead of
4 / 100. We compute exactly (Fraction, weight exactly 1/9) and round only the values returned
for display. The grade is taken from the *converted* value rounded to 2 decimals, because the
regulation's grade table is written on that scale with 2 decimals and its intervals then cover
every value without gaps: 25.00-64.99 D, 65.00-76.60 C, 76.61-88.30 B, 88.31-100.00 A. (The
1-4 column of the same table has gaps, e.g. between 3.064 and 3.0644 and between 3.532 and
3.5324; it is the converted column divided by 25 and is not used for grading.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kinerja.rules._rounding import round_half_up

__all__ = [
    "CONVERTED_PLACES",
    "ELEMENTS",
    "GRADES",
    "IKM_PLACES",
    "MAX_SAMPLE",
    "NRR_PLACES",
    "WEIGHTED_NRR_PLACES",
    "IkmResult",
    "grade",
    "ikm",
    "min_sample",
    "nrr",
]

#: The nine unsur of PermenPANRB 14/2017, in order, with stable codes U1-U9.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
)

_CODES: tuple[str, ...] = tuple(code for code, _ in ELEMENTS)
_WEIGHT = Fraction(1, len(ELEMENTS))

#: Display precision of the values in :class:`IkmResult` (computation is exact).
NRR_PLACES = 3
WEIGHTED_NRR_PLACES = 4
IKM_PLACES = 4
CONVERTED_PLACES = 2

#: Grade table on the converted scale, best first: (lowest converted value, mutu pelayanan,
#: kinerja unit pelayanan code). Lower bounds 88.31, 76.61, 65.00, 25.00 per PermenPANRB 14/2017
#: (docs/domain.md §7, marked "verify").
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "sangat_baik"),
    (Decimal("76.61"), "B", "baik"),
    (Decimal("65.00"), "C", "kurang_baik"),
    (Decimal("25.00"), "D", "tidak_baik"),
)


def _nrr_exact(answers: Sequence[int]) -> Fraction:
    if not answers:
        raise ValueError("an element needs at least one answer")
    for answer in answers:
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 4:
            raise ValueError(f"answers must be integers 1-4, got {answer!r}")
    return Fraction(sum(answers), len(answers))


def nrr(answers: Sequence[int]) -> Decimal:
    """Nilai rata-rata (NRR) of one element: sum of answers / number of answers.

    Each answer must be an integer 1-4 (tidak sesuai, kurang sesuai, sesuai, sangat sesuai),
    else ``ValueError``; so must an empty list. Rounded to ``NRR_PLACES`` for display.
    """
    return round_half_up(_nrr_exact(answers), NRR_PLACES)


def grade(converted: Decimal | Fraction | int) -> tuple[str, str]:
    """(mutu pelayanan, kinerja unit code) for a converted IKM (25-100).

    The value is first rounded to 2 decimals (ROUND_HALF_UP), the precision of the regulation's
    table, then looked up: 88.30 is B and 88.31 is A, so 88.304 is B and 88.305 is A. Values
    outside 25-100 after rounding raise ``ValueError``. Floats are refused (``TypeError``):
    88.305 as a float is 88.30499..., which would silently round to the lower grade.
    """
    if isinstance(converted, float):
        raise TypeError("pass a Decimal, not a float")
    value = round_half_up(Fraction(converted), CONVERTED_PLACES)
    if not Decimal("25.00") <= value <= Decimal("100.00"):
        raise ValueError(f"converted IKM must be between 25 and 100, got {converted}")
    for lowest, mutu, kinerja in GRADES:
        if value >= lowest:
            return mutu, kinerja
    raise AssertionError("unreachable: GRADES ends at 25.00")  # pragma: no cover


@dataclass(frozen=True)
class IkmResult:
    """Result of one survey, values rounded for display (see the module docstring)."""

    #: Per element code: NRR (1-4).
    nrr: dict[str, Decimal]
    #: Per element code: NRR x 1/9.
    weighted_nrr: dict[str, Decimal]
    #: IKM on the 1-4 scale.
    ikm: Decimal
    #: IKM x 25, on 25-100: the published index.
    converted: Decimal
    #: Mutu pelayanan, "A" to "D".
    mutu: str
    #: Kinerja unit pelayanan: "sangat_baik", "baik", "kurang_baik", "tidak_baik".
    kinerja: str
    #: Per element code: number of answers (elements may have different counts when
    #: respondents skip a question).
    counts: dict[str, int]


def ikm(element_answers: Mapping[str, Sequence[int]]) -> IkmResult:
    """Compute the IKM of a survey from the answers per element code ("U1".."U9").

    All nine elements are required (each weighs 1/9; PermenPANRB 14/2017 defines the weight as
    1 / number of elements); a missing or unknown code raises ``ValueError``. Computed exactly;
    only the returned figures are rounded, so the rounded parts may not add up to the rounded
    total in the last digit.
    """
    keys = set(element_answers)
    missing = [code for code in _CODES if code not in keys]
    unknown = sorted(keys - set(_CODES))
    if missing or unknown:
        raise ValueError(
            f"IKM needs exactly the elements U1-U9; missing {missing}, unknown {unknown}"
        )

    exact = {code: _nrr_exact(element_answers[code]) for code in _CODES}
    total = sum((value * _WEIGHT for value in exact.values()), Fraction(0))
    converted = total * 25
    mutu, kinerja = grade(converted)
    return IkmResult(
        nrr={code: round_half_up(value, NRR_PLACES) for code, value in exact.items()},
        weighted_nrr={
            code: round_half_up(value * _WEIGHT, WEIGHTED_NRR_PLACES)
            for code, value in exact.items()
        },
        ikm=round_half_up(total, IKM_PLACES),
        converted=round_half_up(converted, CONVERTED_PLACES),
        mutu=mutu,
        kinerja=kinerja,
        counts={code: len(element_answers[code]) for code in _CODES},
    )


#: The largest sample the Krejcie-Morgan table gives (for N = 1,000,000 and beyond).
MAX_SAMPLE = 384

_CHI_SQUARE = Fraction("3.841")  # chi-square, 1 degree of freedom, 95% confidence
_P = Fraction(1, 2)  # population proportion, maximising the sample
_D = Fraction(5, 100)  # margin of error


def min_sample(population: int) -> int:
    """Minimum number of respondents for a service population of ``population`` (Krejcie-Morgan).

    s = chi2 * N * P(1-P) / (d^2 (N-1) + chi2 * P(1-P)), chi2 = 3.841, P = 0.5, d = 0.05
    (docs/domain.md §7), computed exactly and rounded **up**: a minimum must not fall below
    the formula. Two consequences, deliberate:

    - The published Krejcie-Morgan table rounds to the nearest integer, so for a few small N the
      result is one more than the table (N = 15: formula 14.47, table 14, here 15).
    - As N grows the formula tends to 384.1, whose ceiling would be 385 for N > 1,471,104 while
      the table never exceeds 384; the result is capped at ``MAX_SAMPLE`` (384) to match the
      table that surveys are audited against.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError("population must be a positive integer")
    spread = _CHI_SQUARE * _P * (1 - _P)
    s = spread * population / (_D**2 * (population - 1) + spread)
    return min(math.ceil(s), MAX_SAMPLE)
