"""Ratings and predikat kinerja (PermenPANRB 6/2022, lampiran Bab IV; docs/domain.md §4).

Pure rules, no Django: the three ratings, the five employee predikat, the five organisation
grades, the predikat matrix (kuadran kinerja pegawai), the matching predikat per organisation
grade, the rating of a unit head, a *proposal* for the rating hasil kerja from per-RHK ratings,
and the informational capaian percentage.

Values are stable machine codes (``StrEnum``): the Django layer stores them and translates them
for display; they compare equal to their string value, so ``Rating("sesuai")`` and the plain
string both work as inputs.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kinerja.rules._rounding import round_half_up

__all__ = [
    "MATCHING_PREDIKAT",
    "ORG_GRADE_ORDER",
    "PREDIKAT_MATRIX",
    "PREDIKAT_ORDER",
    "REASON_ABOVE_NOT_MAJORITY",
    "REASON_AT_LEAST_MEETS_NOT_MAJORITY",
    "REASON_BELOW_NOT_MAJORITY",
    "REASON_MAJORITY_ABOVE",
    "REASON_MAJORITY_AT_LEAST_MEETS",
    "REASON_MAJORITY_BELOW",
    "REASON_NO_UTAMA",
    "REASON_NO_UTAMA_BELOW",
    "REASON_UTAMA_BELOW",
    "REASON_UTAMA_BELOW_OVER_SMALL_PART",
    "REASON_UTAMA_BELOW_WITHIN_SMALL_PART",
    "UNIT_HEAD_HASIL_KERJA",
    "OrgGrade",
    "Predikat",
    "Proposal",
    "Rating",
    "RhkRating",
    "capaian",
    "predikat",
    "propose_hasil_kerja",
    "unit_head_hasil_kerja",
]


class Rating(enum.StrEnum):
    """Rating hasil kerja / rating perilaku kerja: Di Atas, Sesuai, Di Bawah Ekspektasi.

    PermenPANRB 6/2022 lampiran Bab IV B.3.a.1)(c) and 2)(b): the rater sets each rating in one
    of exactly these three categories; there is no numeric score any more.
    """

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"


class Predikat(enum.StrEnum):
    """Predikat kinerja pegawai, from best to worst (lampiran Bab IV B.3.a.3), the kuadran).

    ``KURANG`` is the regulation's "Kurang/Misconduct": results at or above expectation but
    behaviour below it. The regulation never ranks it against Butuh Perbaikan in words, but the
    distribution curves of Bab IV B.2 draw their axis as Sangat Kurang, Kurang/Misconduct, Butuh
    Perbaikan, Baik, Sangat Baik, so Kurang sits below Butuh Perbaikan here.
    """

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


#: Best to worst, as on the x axis of the distribution curves read right to left (Bab IV B.2).
PREDIKAT_ORDER: tuple[Predikat, ...] = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


class OrgGrade(enum.StrEnum):
    """Predikat capaian kinerja organisasi (lampiran Bab IV B.1.a): best to worst."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


#: Best to worst, in the order the regulation lists them (Bab IV B.1.a).
ORG_GRADE_ORDER: tuple[OrgGrade, ...] = (
    OrgGrade.ISTIMEWA,
    OrgGrade.BAIK,
    OrgGrade.BUTUH_PERBAIKAN,
    OrgGrade.KURANG,
    OrgGrade.SANGAT_KURANG,
)

#: Kuadran kinerja pegawai, keyed (rating hasil kerja, rating perilaku kerja).
#:
#: Lampiran Bab IV B.3.a.3)(c) (periodic) and B.3.b.3)(c) (annual) draw the same 3x3 grid: hasil
#: kerja on the y axis, perilaku kerja on the x axis, with the table "Penjelasan terhadap kuadran
#: kinerja Pegawai". The asymmetry is deliberate and easy to get wrong: behaviour below
#: expectation caps the predikat at Kurang/Misconduct whatever the results, while results below
#: expectation with good behaviour give Butuh Perbaikan; only Di Atas x Di Atas is Sangat Baik.
PREDIKAT_MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
}


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """Return the predikat kinerja for a rating hasil kerja and a rating perilaku kerja.

    The same matrix serves periodic and annual evaluation (lampiran Bab IV B.3.a.3) and
    B.3.b.3)). Plain strings are accepted; an unknown value raises ``ValueError``.
    """
    return PREDIKAT_MATRIX[(Rating(hasil), Rating(perilaku))]


#: The predikat that *most* employees should ideally have under each organisation grade
#: (lampiran Bab IV B.2.b-f: "idealnya sebagian besar pegawai predikat kinerjanya ..."), without
#: excluding the others. Note: the Istimewa paragraph of the regulation says "Apabila capaian
#: kinerja unit organisasi 'Sangat Baik'", a slip for Istimewa (its heading and curve say
#: Istimewa).
MATCHING_PREDIKAT: dict[OrgGrade, Predikat] = {
    OrgGrade.ISTIMEWA: Predikat.SANGAT_BAIK,
    OrgGrade.BAIK: Predikat.BAIK,
    OrgGrade.BUTUH_PERBAIKAN: Predikat.BUTUH_PERBAIKAN,
    OrgGrade.KURANG: Predikat.KURANG,
    OrgGrade.SANGAT_KURANG: Predikat.SANGAT_KURANG,
}

#: Rating hasil kerja of an employee who heads the graded unit (docs/domain.md §4, step 1).
#: Not in the text of PermenPANRB 6/2022: a secondary source, marked "verify"; kept in this one
#: table so that it can be corrected in one line.
UNIT_HEAD_HASIL_KERJA: dict[OrgGrade, Rating] = {
    OrgGrade.ISTIMEWA: Rating.DI_ATAS,
    OrgGrade.BAIK: Rating.SESUAI,
    OrgGrade.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
    OrgGrade.KURANG: Rating.DI_BAWAH,
    OrgGrade.SANGAT_KURANG: Rating.DI_BAWAH,
}


def unit_head_hasil_kerja(grade: OrgGrade) -> Rating:
    """Rating hasil kerja of the head of a unit with organisation grade ``grade``.

    Why: a unit head's results *are* the unit's results, so their rating hasil kerja follows the
    unit's grade (Istimewa -> Di Atas, Baik -> Sesuai, lower -> Di Bawah). See
    :data:`UNIT_HEAD_HASIL_KERJA` for the source caveat.
    """
    return UNIT_HEAD_HASIL_KERJA[OrgGrade(grade)]


@dataclass(frozen=True)
class RhkRating:
    """The rater's rating of one RHK and whether that RHK is utama (else tambahan).

    RHK priority (utama/tambahan) is set by the rater in the SKP (docs/domain.md §2).
    """

    rating: Rating
    utama: bool

    def __post_init__(self) -> None:
        # Accept the stored string codes and normalise them to the enum (raises on bad values).
        object.__setattr__(self, "rating", Rating(self.rating))


# Reason codes of a Proposal. Each names one fact that decided a test of the guidance of lampiran
# Bab IV B.3.a.1)(d) / B.3.b.1)(d); the Django layer translates them and fills in the counts
# carried by the Proposal (total, above, meets, below, utama_total, utama_below).

#: More than half of all RHK are Di Atas (first half of the Di Atas test).
REASON_MAJORITY_ABOVE = "majority_above"
#: Half or fewer of the RHK are Di Atas: the Di Atas test fails.
REASON_ABOVE_NOT_MAJORITY = "above_not_majority"
#: No utama RHK is Di Bawah (second half of the Di Atas test).
REASON_NO_UTAMA_BELOW = "no_utama_below"
#: At least one utama RHK is Di Bawah: the Di Atas test fails ("tidak ada hasil kerja utama yang
#: dibawah ekspektasi").
REASON_UTAMA_BELOW = "utama_below"
#: More than half of all RHK are at least Sesuai (Di Atas or Sesuai): first half of Sesuai.
REASON_MAJORITY_AT_LEAST_MEETS = "majority_at_least_meets"
#: Half or fewer of the RHK are at least Sesuai: the Sesuai test fails.
REASON_AT_LEAST_MEETS_NOT_MAJORITY = "at_least_meets_not_majority"
#: Utama RHK below expectation are at most the small part (second half of Sesuai).
REASON_UTAMA_BELOW_WITHIN_SMALL_PART = "utama_below_within_small_part"
#: Utama RHK below expectation exceed the small part: the Sesuai test fails.
REASON_UTAMA_BELOW_OVER_SMALL_PART = "utama_below_over_small_part"
#: More than half of all RHK are Di Bawah: the guidance's Di Bawah case proper.
REASON_MAJORITY_BELOW = "majority_below"
#: Di Bawah by fallback only: neither Di Atas nor Sesuai holds, yet Di Bawah RHK are not a
#: majority either. The guidance does not cover this case; the rater must judge it.
REASON_BELOW_NOT_MAJORITY = "below_not_majority"
#: The SKP has no utama RHK; the utama conditions hold vacuously. Shown as a warning.
REASON_NO_UTAMA = "no_utama"


@dataclass(frozen=True)
class Proposal:
    """A proposed rating hasil kerja, why, and the counts behind it.

    Only a proposal: the rater decides the rating, confirming this or differing with a written
    reason (docs/domain.md §4). ``reasons`` are the ``REASON_*`` codes of this module in the
    order the tests were evaluated.
    """

    rating: Rating
    reasons: tuple[str, ...]
    total: int
    above: int
    meets: int
    below: int
    utama_total: int
    utama_below: int


def propose_hasil_kerja(
    ratings: Sequence[RhkRating], small_part: Fraction = Fraction(1, 4)
) -> Proposal:
    """Propose a rating hasil kerja from the per-RHK ratings.

    Implements the "contoh panduan pengkategorian" of PermenPANRB 6/2022 lampiran Bab IV
    B.3.a.1)(d) (periodic) and B.3.b.1)(d) (annual), result half only (the feedback half is the
    rater's judgement). "Sebagian besar" (most) = strictly more than half of the RHK; "sebagian
    kecil" (a small part) = ``small_part`` of the utama RHK, a per-agency setting, default 1/4
    (docs/domain.md §4). Tests, in order:

    1. Di Atas: more than half of all RHK are Di Atas **and** no utama RHK is Di Bawah.
    2. Sesuai: more than half of all RHK are at least Sesuai (Di Atas counts as meeting the
       expectation too) **and** ``utama_below <= small_part * utama_total`` (floor semantics:
       with 4 utama RHK and 1/4, one may be below; with 3, none may).
    3. Otherwise Di Bawah.

    Edge cases, deliberately:

    - A majority Di Atas with one utama RHK Di Bawah fails test 1 and falls to test 2, which it
      passes only if that utama RHK is within the small part; otherwise it falls to Di Bawah with
      ``REASON_BELOW_NOT_MAJORITY``, telling the rater that the guidance does not settle it.
    - "Sesuai" is read as "at least Sesuai": read literally (only Sesuai RHK counting), 3 Di Atas
      and 3 Sesuai would be a majority of neither and fall to Di Bawah, which is absurd.
    - An exact half is not "most": 2 of 4 at least Sesuai is not a majority.
    - With no utama RHK the utama conditions hold vacuously (``REASON_NO_UTAMA`` warns).
    - An empty list raises ``ValueError``: there is nothing to propose from.
    """
    if not ratings:
        raise ValueError("at least one RHK rating is needed to propose a rating hasil kerja")
    small = Fraction(small_part)
    if not 0 <= small <= 1:
        raise ValueError("small_part must be between 0 and 1")

    total = len(ratings)
    above = sum(1 for r in ratings if r.rating == Rating.DI_ATAS)
    meets = sum(1 for r in ratings if r.rating == Rating.SESUAI)
    below = total - above - meets
    utama_total = sum(1 for r in ratings if r.utama)
    utama_below = sum(1 for r in ratings if r.utama and r.rating == Rating.DI_BAWAH)

    reasons: list[str] = []
    if utama_total == 0:
        reasons.append(REASON_NO_UTAMA)

    def proposal(rating: Rating) -> Proposal:
        return Proposal(
            rating=rating,
            reasons=tuple(reasons),
            total=total,
            above=above,
            meets=meets,
            below=below,
            utama_total=utama_total,
            utama_below=utama_below,
        )

    # Test 1: Di Atas.
    majority_above = 2 * above > total
    reasons.append(REASON_MAJORITY_ABOVE if majority_above else REASON_ABOVE_NOT_MAJORITY)
    if majority_above:
        reasons.append(REASON_NO_UTAMA_BELOW if utama_below == 0 else REASON_UTAMA_BELOW)
        if utama_below == 0:
            return proposal(Rating.DI_ATAS)

    # Test 2: Sesuai.
    majority_meets = 2 * (above + meets) > total
    reasons.append(
        REASON_MAJORITY_AT_LEAST_MEETS if majority_meets else REASON_AT_LEAST_MEETS_NOT_MAJORITY
    )
    if majority_meets:
        within = utama_below <= small * utama_total
        reasons.append(
            REASON_UTAMA_BELOW_WITHIN_SMALL_PART if within else REASON_UTAMA_BELOW_OVER_SMALL_PART
        )
        if within:
            return proposal(Rating.SESUAI)

    # Test 3: Di Bawah, by the guidance or by fallback.
    reasons.append(REASON_MAJORITY_BELOW if 2 * below > total else REASON_BELOW_NOT_MAJORITY)
    return proposal(Rating.DI_BAWAH)


def capaian(realisasi: Decimal, target: Decimal, lower_is_better: bool = False) -> Decimal | None:
    """Capaian of a quantitative IKI in percent: realisasi / target x 100, rounded to 2 decimals.

    Where a lower value is better (cost, time, complaints) the ratio is inverted: target /
    realisasi x 100. Returns ``None`` when the divisor is zero (no meaningful percentage).
    Rounded ROUND_HALF_UP from the exact quotient.

    Information only, shown beside the evidence. Never derive a rating or predikat from it: the
    bands of the revoked PermenPANRB 8/2021 (>= 101% very good, 100% good, 80-99% fair, ...)
    and PP 30/2019's 0-120 scores are superseded by the rater's judgement and the kuadran of
    PermenPANRB 6/2022 (docs/domain.md §4, "Legacy numeric scheme").
    """
    numerator, divisor = (target, realisasi) if lower_is_better else (realisasi, target)
    if divisor == 0:
        return None
    return round_half_up(Fraction(numerator) * 100 / Fraction(divisor), 2)
