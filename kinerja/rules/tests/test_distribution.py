"""Tests of kinerja.rules.distribution: the default policy, its rounding and the check."""

from fractions import Fraction

import pytest

from kinerja.rules.distribution import (
    DEFAULT_POLICY,
    MIN_UNIT_SIZE,
    QuotaRule,
    Violation,
    ViolationKind,
    bounds,
    check,
    quota_table,
    too_small,
)
from kinerja.rules.predikat import OrgGrade, Predikat

G, P = OrgGrade, Predikat
SB, BA, BP, KU, SK = (
    P.SANGAT_BAIK,
    P.BAIK,
    P.BUTUH_PERBAIKAN,
    P.KURANG,
    P.SANGAT_KURANG,
)


def pct(n):
    return Fraction(n, 100)


# The defaults table of docs/domain.md §4, row by row:
# (org grade, predikat set, min_pct, max_pct, at_least_one).
EXPECTED_POLICY = [
    (G.ISTIMEWA, {SB}, None, pct(70), False),
    (G.BAIK, {BA}, None, pct(70), False),
    (G.BAIK, {BP, KU}, None, None, True),
    (G.BUTUH_PERBAIKAN, {BP}, pct(60), None, False),
    (G.BUTUH_PERBAIKAN, {SB}, None, pct(10), False),
    (G.KURANG, {KU}, pct(60), None, False),
    (G.KURANG, {BP}, pct(10), None, False),
    (G.KURANG, {SB}, None, pct(10), False),
    (G.SANGAT_KURANG, {SK}, pct(60), None, False),
    (G.SANGAT_KURANG, {KU, BP}, pct(10), None, False),
    (G.SANGAT_KURANG, {SB}, None, Fraction(0), False),
]


def test_default_policy_is_exactly_the_domain_table():
    actual = [
        (r.org_grade, set(r.predikat), r.min_pct, r.max_pct, r.at_least_one) for r in DEFAULT_POLICY
    ]
    assert actual == EXPECTED_POLICY


def rule_of(grade, predikat):
    [rule] = [r for r in DEFAULT_POLICY if r.org_grade == grade and r.predikat == predikat]
    return rule


NS = (1, 4, 5, 7, 10, 13, 20, 90)
# Per default row, the (min, max) bounds for n = 1, 4, 5, 7, 10, 13, 20, 90, worked by hand:
# max 70% -> floor(0.7n): 0, 2 (2.8), 3 (3.5), 4 (4.9), 7, 9 (9.1), 14, 63 (a float gives 62).
# min 60% -> ceil(0.6n): 1, 3 (2.4), 3, 5 (4.2), 6, 8 (7.8), 12, 54.
# min 10% -> ceil(0.1n): 1, 1, 1, 1, 1, 2 (1.3), 2, 9.
# max 10% -> floor(0.1n): 0, 0, 0, 0, 1, 1, 2, 9.
MAX70 = [(None, m) for m in (0, 2, 3, 4, 7, 9, 14, 63)]
MIN60 = [(m, None) for m in (1, 3, 3, 5, 6, 8, 12, 54)]
MIN10 = [(m, None) for m in (1, 1, 1, 1, 1, 2, 2, 9)]
MAX10 = [(None, m) for m in (0, 0, 0, 0, 1, 1, 2, 9)]
ONE = [(1, None)] * len(NS)
NONE_ALLOWED = [(None, 0)] * len(NS)

BOUNDS = [
    (G.ISTIMEWA, {SB}, MAX70),
    (G.BAIK, {BA}, MAX70),
    (G.BAIK, {BP, KU}, ONE),
    (G.BUTUH_PERBAIKAN, {BP}, MIN60),
    (G.BUTUH_PERBAIKAN, {SB}, MAX10),
    (G.KURANG, {KU}, MIN60),
    (G.KURANG, {BP}, MIN10),
    (G.KURANG, {SB}, MAX10),
    (G.SANGAT_KURANG, {SK}, MIN60),
    (G.SANGAT_KURANG, {KU, BP}, MIN10),
    (G.SANGAT_KURANG, {SB}, NONE_ALLOWED),
]


@pytest.mark.parametrize(
    ("grade", "predikat", "n", "expected"),
    [
        pytest.param(grade, predikat, n, exp, id=f"{grade}-{'+'.join(sorted(predikat))}-n{n}")
        for grade, predikat, row in BOUNDS
        for n, exp in zip(NS, row, strict=True)
    ],
)
def test_bounds_of_every_default_row(grade, predikat, n, expected):
    assert bounds(rule_of(grade, frozenset(predikat)), n) == expected


def test_bounds_cover_every_default_row():
    assert len(BOUNDS) == len(DEFAULT_POLICY)


def test_bounds_exact_where_floats_fail():
    # 0.7 * 90 == 62.99999999999999 in floats; the rule must allow exactly 63.
    assert int(0.7 * 90) == 62
    assert bounds(rule_of(G.ISTIMEWA, frozenset({SB})), 90) == (None, 63)
    assert bounds(rule_of(G.BAIK, frozenset({BA})), 10) == (None, 7)


def test_bounds_at_least_one_raises_a_small_percentage_minimum():
    rule = QuotaRule(G.KURANG, frozenset({BP}), pct(10), None, at_least_one=True)
    assert bounds(rule, 5) == (1, None)
    assert bounds(rule, 13) == (2, None)


def test_bounds_zero_headcount():
    assert bounds(rule_of(G.KURANG, frozenset({KU})), 0) == (0, None)
    with pytest.raises(ValueError):
        bounds(rule_of(G.KURANG, frozenset({KU})), -1)


# --- check ---------------------------------------------------------------------------------


def counts(**by_code):
    return {Predikat(code): value for code, value in by_code.items()}


CHECKS = [
    # Istimewa, n=10: 7 Sangat Baik allowed, 8 is over.
    (G.ISTIMEWA, counts(sangat_baik=7, baik=3), []),
    (G.ISTIMEWA, counts(sangat_baik=8, baik=2), [({SB}, 8, None, 7, ViolationKind.OVER_MAX)]),
    # Baik, n=10: Baik at most 7 and at least one Butuh Perbaikan or Kurang.
    (G.BAIK, counts(baik=7, sangat_baik=2, kurang=1), []),
    (G.BAIK, counts(baik=7, butuh_perbaikan=1, sangat_kurang=2), []),
    (
        G.BAIK,
        counts(baik=8, sangat_baik=2),
        [
            ({BA}, 8, None, 7, ViolationKind.OVER_MAX),
            ({BP, KU}, 0, 1, None, ViolationKind.MISSING_ONE),
        ],
    ),
    # Butuh Perbaikan, n=10: at least 6 Butuh Perbaikan, at most 1 Sangat Baik.
    (G.BUTUH_PERBAIKAN, counts(butuh_perbaikan=6, sangat_baik=1, baik=3), []),
    (
        G.BUTUH_PERBAIKAN,
        counts(butuh_perbaikan=5, sangat_baik=2, baik=3),
        [
            ({BP}, 5, 6, None, ViolationKind.UNDER_MIN),
            ({SB}, 2, None, 1, ViolationKind.OVER_MAX),
        ],
    ),
    # Kurang, n=13: Kurang at least 8, Butuh Perbaikan at least 2, Sangat Baik at most 1.
    (G.KURANG, counts(kurang=8, butuh_perbaikan=2, sangat_baik=1, baik=2), []),
    (
        G.KURANG,
        counts(kurang=8, butuh_perbaikan=1, baik=4),
        [({BP}, 1, 2, None, ViolationKind.UNDER_MIN)],
    ),
    (
        G.KURANG,
        counts(kurang=7, butuh_perbaikan=2, sangat_baik=2, baik=2),
        [
            ({KU}, 7, 8, None, ViolationKind.UNDER_MIN),
            ({SB}, 2, None, 1, ViolationKind.OVER_MAX),
        ],
    ),
    # Sangat Kurang, n=10: Sangat Kurang at least 6; Kurang+Butuh Perbaikan at least 1; no SB.
    (G.SANGAT_KURANG, counts(sangat_kurang=6, kurang=1, baik=3), []),
    (G.SANGAT_KURANG, counts(sangat_kurang=6, butuh_perbaikan=1, baik=3), []),
    (
        G.SANGAT_KURANG,
        counts(sangat_kurang=6, baik=3, sangat_baik=1),
        [
            ({KU, BP}, 0, 1, None, ViolationKind.UNDER_MIN),
            ({SB}, 1, None, 0, ViolationKind.OVER_MAX),
        ],
    ),
    # Missing predikat count 0; the policy of another grade is ignored.
    (G.ISTIMEWA, counts(sangat_kurang=10), []),
    # n=1 (too small, but check itself applies the rules mechanically).
    (
        G.BAIK,
        counts(baik=1),
        [
            ({BA}, 1, None, 0, ViolationKind.OVER_MAX),
            ({BP, KU}, 0, 1, None, ViolationKind.MISSING_ONE),
        ],
    ),
]


@pytest.mark.parametrize(("grade", "unit_counts", "expected"), CHECKS)
def test_check(grade, unit_counts, expected):
    violations = check(grade, unit_counts)
    actual = [
        (set(v.rule.predikat), v.count, v.allowed_min, v.allowed_max, v.kind) for v in violations
    ]
    assert actual == expected
    for v in violations:
        assert v.rule.org_grade == grade


def test_check_returns_violation_objects_with_the_rule():
    [violation] = check(G.ISTIMEWA, counts(sangat_baik=8, baik=2))
    assert violation == Violation(
        rule=rule_of(G.ISTIMEWA, frozenset({SB})),
        count=8,
        allowed_min=None,
        allowed_max=7,
        kind=ViolationKind.OVER_MAX,
    )
    assert violation.kind == "over_max"


def test_check_empty_unit_has_nothing_to_distribute():
    assert check(G.BAIK, {}) == []
    assert check(G.BAIK, counts(baik=0)) == []


def test_check_accepts_string_codes():
    assert check("istimewa", {"sangat_baik": 8, "baik": 2})[0].count == 8


def test_check_rejects_negative_and_unknown():
    with pytest.raises(ValueError):
        check(G.BAIK, counts(baik=-1))
    with pytest.raises(ValueError):
        check(G.BAIK, {"excellent": 1})


def test_check_with_custom_policy():
    policy = (QuotaRule(G.BAIK, frozenset({SB}), None, pct(20)),)
    assert check(G.BAIK, counts(baik=8, sangat_baik=2), policy) == []
    [violation] = check(G.BAIK, counts(baik=7, sangat_baik=3), policy)
    assert (violation.count, violation.allowed_max) == (3, 2)


def test_missing_one_only_when_at_least_one_decides():
    # A rule with both a percentage and at_least_one: at n=20, 10% needs 2, so one holder is
    # under the minimum, not "missing one"; zero holders at n=5 is "missing one".
    rule = QuotaRule(G.KURANG, frozenset({BP}), pct(10), None, at_least_one=True)
    [under] = check(G.KURANG, counts(butuh_perbaikan=1, kurang=19), [rule])
    assert (under.kind, under.allowed_min) == (ViolationKind.UNDER_MIN, 2)
    [missing] = check(G.KURANG, counts(kurang=5), [rule])
    assert (missing.kind, missing.allowed_min) == (ViolationKind.MISSING_ONE, 1)
    [zero_of_two] = check(G.KURANG, counts(kurang=20), [rule])
    assert (zero_of_two.kind, zero_of_two.allowed_min) == (ViolationKind.UNDER_MIN, 2)


# --- quota_table, too_small, QuotaRule validation ----------------------------------------


def test_quota_table_kurang_13():
    table = quota_table(G.KURANG, 13)
    assert [(set(rule.predikat), low, high) for rule, low, high in table] == [
        ({KU}, 8, None),
        ({BP}, 2, None),
        ({SB}, None, 1),
    ]


def test_quota_table_default_policy_and_other_grade():
    assert [(low, high) for _, low, high in quota_table("baik", 10)] == [(None, 7), (1, None)]
    policy = (QuotaRule(G.BAIK, frozenset({SB}), None, pct(20)),)
    assert quota_table(G.ISTIMEWA, 10, policy) == []


@pytest.mark.parametrize(
    ("n", "min_size", "expected"),
    [(0, 5, True), (4, 5, True), (5, 5, False), (20, 5, False), (7, 8, True), (8, 8, False)],
)
def test_too_small(n, min_size, expected):
    assert too_small(n, min_size) is expected


def test_too_small_default():
    assert MIN_UNIT_SIZE == 5
    assert too_small(4) is True
    assert too_small(5) is False


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((G.BAIK, frozenset(), None, pct(10)), {}),
        ((G.BAIK, frozenset({BA}), None, None), {}),
        ((G.BAIK, frozenset({BA}), pct(-1), None), {}),
        ((G.BAIK, frozenset({BA}), None, pct(101)), {}),
        ((G.BAIK, frozenset({BA}), pct(50), pct(40)), {}),
        (("excellent", frozenset({BA}), None, pct(10)), {}),
        ((G.BAIK, frozenset({"excellent"}), None, pct(10)), {}),
    ],
)
def test_quota_rule_validation(args, kwargs):
    with pytest.raises(ValueError):
        QuotaRule(*args, **kwargs)


def test_quota_rule_normalises_codes_and_is_hashable():
    rule = QuotaRule("baik", {"baik"}, None, Fraction(7, 10))
    assert rule.org_grade is G.BAIK
    assert rule.predikat == frozenset({BA})
    assert rule in set(DEFAULT_POLICY)
