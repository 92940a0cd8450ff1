"""Tests of kinerja.rules.ikm: NRR, IKM, grade boundaries and the Krejcie-Morgan sample."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja.rules.ikm import ELEMENTS, IkmResult, grade, ikm, min_sample, nrr

CODES = [f"U{i}" for i in range(1, 10)]


def test_elements_are_the_nine_unsur_in_order():
    assert [code for code, _ in ELEMENTS] == CODES
    assert dict(ELEMENTS)["U1"] == "Persyaratan"
    assert dict(ELEMENTS)["U4"] == "Biaya/Tarif"
    assert dict(ELEMENTS)["U8"] == "Penanganan Pengaduan, Saran dan Masukan"
    assert dict(ELEMENTS)["U9"] == "Sarana dan Prasarana"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([4], "4.000"),
        ([1, 2, 3, 4], "2.500"),
        ([3, 3, 4], "3.333"),
        ([4, 4, 3], "3.667"),  # 3.6666... rounds half up at the third decimal
        ([1, 2, 2], "1.667"),
        ([3] * 99 + [4], "3.010"),
    ],
)
def test_nrr(answers, expected):
    result = nrr(answers)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize("answers", [[], [0], [5], [3, 4, 5], [True], [2.5], ["3"]])
def test_nrr_rejects_invalid_answers(answers):
    with pytest.raises(ValueError):
        nrr(answers)


# Grade boundaries on the converted scale, both sides, incl. values that round across them.
GRADE_CASES = [
    ("25.00", "D", "tidak_baik"),
    ("24.995", "D", "tidak_baik"),  # rounds to 25.00
    ("64.99", "D", "tidak_baik"),
    ("64.994", "D", "tidak_baik"),
    ("64.995", "C", "kurang_baik"),  # rounds to 65.00
    ("65.00", "C", "kurang_baik"),
    ("75", "C", "kurang_baik"),  # everyone answering "sesuai" (3) is only C
    ("76.60", "C", "kurang_baik"),
    ("76.604", "C", "kurang_baik"),
    ("76.605", "B", "baik"),
    ("76.61", "B", "baik"),
    ("88.30", "B", "baik"),
    ("88.304", "B", "baik"),
    ("88.305", "A", "sangat_baik"),
    ("88.31", "A", "sangat_baik"),
    ("100.00", "A", "sangat_baik"),
    ("100.004", "A", "sangat_baik"),
]


@pytest.mark.parametrize(("converted", "mutu", "kinerja"), GRADE_CASES)
def test_grade_boundaries(converted, mutu, kinerja):
    assert grade(Decimal(converted)) == (mutu, kinerja)


@pytest.mark.parametrize("converted", ["24.99", "24.994", "100.005", "100.01", "0", "-50"])
def test_grade_rejects_out_of_range(converted):
    with pytest.raises(ValueError):
        grade(Decimal(converted))


def test_grade_accepts_exact_fraction_and_refuses_float():
    assert grade(Fraction(795, 9)) == ("A", "sangat_baik")  # 88.333...
    with pytest.raises(TypeError):
        grade(88.31)


def survey(default, **overrides):
    answers = {code: list(default) for code in CODES}
    answers.update(overrides)
    return answers


def test_ikm_perfect_survey_is_exactly_100():
    # With the manual's rounded weight 0.111 this would be 3.996 / 99.90.
    result = ikm(survey([4, 4]))
    assert result.ikm == Decimal("4.0000")
    assert result.converted == Decimal("100.00")
    assert (result.mutu, result.kinerja) == ("A", "sangat_baik")
    assert result.nrr == {code: Decimal("4.000") for code in CODES}
    assert result.weighted_nrr == {code: Decimal("0.4444") for code in CODES}
    assert result.counts == {code: 2 for code in CODES}


def test_ikm_worst_survey_is_25():
    result = ikm(survey([1]))
    assert (result.ikm, result.converted) == (Decimal("1.0000"), Decimal("25.00"))
    assert (result.mutu, result.kinerja) == ("D", "tidak_baik")
    assert result.weighted_nrr["U5"] == Decimal("0.1111")


def test_ikm_worked_example():
    # U1 = 7/2, U2 = 10/3, U3-U9 = 3: IKM = (7/2 + 10/3 + 21) / 9 = 167/54 = 3.09259...,
    # converted = 4175/54 = 77.3148... -> 77.31, B.
    result = ikm(survey([3, 3, 3], U1=[3, 4], U2=[3, 3, 4]))
    assert result == IkmResult(
        nrr={"U1": Decimal("3.500"), "U2": Decimal("3.333")}
        | {code: Decimal("3.000") for code in CODES[2:]},
        weighted_nrr={"U1": Decimal("0.3889"), "U2": Decimal("0.3704")}
        | {code: Decimal("0.3333") for code in CODES[2:]},
        ikm=Decimal("3.0926"),
        converted=Decimal("77.31"),
        mutu="B",
        kinerja="baik",
        counts={"U1": 2, "U2": 3} | {code: 3 for code in CODES[2:]},
    )


def test_ikm_exact_weight_decides_a_boundary_the_rounded_weight_would_miss():
    # Sum of NRR = 8 x 3.5 + 3.8 = 31.8. Exact: 31.8 x 25 / 9 = 88.333 -> A. The manual's
    # weight 0.111 would give 31.8 x 0.111 x 25 = 88.245 -> B.
    result = ikm(survey([3, 4], U9=[4, 4, 4, 4, 3]))
    assert result.converted == Decimal("88.33")
    assert result.mutu == "A"
    assert result.nrr["U9"] == Decimal("3.800")


def test_ikm_all_sesuai_is_c():
    result = ikm(survey([3]))
    assert (result.converted, result.mutu, result.kinerja) == (Decimal("75.00"), "C", "kurang_baik")


def test_ikm_requires_exactly_the_nine_elements():
    answers = survey([3])
    del answers["U9"]
    with pytest.raises(ValueError, match="U9"):
        ikm(answers)
    with pytest.raises(ValueError, match="U10"):
        ikm(survey([3], U10=[3]))


def test_ikm_rejects_invalid_answers_in_any_element():
    with pytest.raises(ValueError):
        ikm(survey([3], U7=[3, 0]))
    with pytest.raises(ValueError):
        ikm(survey([3], U7=[]))


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (1, 1),
        (10, 10),  # 9.77
        (15, 15),  # 14.47; the published table rounds to nearest and prints 14
        (20, 20),  # 19.06; table 19
        (100, 80),  # 79.51
        (1_000, 278),  # 277.71
        (10_000, 370),  # 369.93
        (1_000_000, 384),  # 383.95
        (1_471_104, 384),  # exactly 384
        (1_471_105, 384),  # 384.0000...3 would ceil to 385: capped at the table's 384
        (10**9, 384),
    ],
)
def test_min_sample(population, expected):
    assert min_sample(population) == expected


@pytest.mark.parametrize("population", [0, -5, True, 10.0])
def test_min_sample_rejects_invalid(population):
    with pytest.raises(ValueError):
        min_sample(population)
