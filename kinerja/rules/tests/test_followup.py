"""The pure follow-up rules, table by table (kinerja/rules/followup.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.rules import followup as rules
from kinerja.rules.followup import DEFAULT_RULES, Outcome, Rule, conflict, evaluate, matches
from kinerja.rules.predikat import Predikat

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"
AWARD, PROMO, TRAIN, COACH, SANCTION = (
    Outcome.AWARD,
    Outcome.PROMOTION_PRIORITY,
    Outcome.TRAINING_PRIORITY,
    Outcome.COACHING,
    Outcome.SANCTION_PROCESS,
)


def hist(*predikat, start=2026, years=None):
    """Most recent first: hist(SB, B) -> [(2026, SB), (2025, B)]; `years` overrides."""
    years = years or [start - i for i in range(len(predikat))]
    return list(zip(years, predikat, strict=True))


# The default rules over multi-year histories, evaluated at 2026.
DEFAULT_TABLE = [
    # history (most recent first)                 outcomes
    (hist(SB), {AWARD, TRAIN}),
    (hist(SB, SB), {AWARD, TRAIN, PROMO}),
    (hist(SB, B), {AWARD, TRAIN, PROMO}),
    (hist(B, SB), {PROMO}),
    (hist(B, B), {PROMO}),
    (hist(B), set()),  # one year is not enough for promotion
    (hist(B, BP), set()),
    (hist(BP, B), {COACH}),
    (hist(BP), {COACH}),
    (hist(K), {COACH}),  # one bad year: coaching, not yet sanctions
    (hist(SK), {COACH}),
    (hist(K, K), {COACH, SANCTION}),
    (hist(SK, K), {COACH, SANCTION}),
    (hist(K, SK, SK), {COACH, SANCTION}),
    (hist(K, BP), {COACH}),  # Butuh Perbaikan does not feed the sanction chain
    (hist(BP, K), {COACH}),
    (hist(K, B), {COACH}),
    # a missing year breaks "consecutive": 2025 absent
    (hist(K, K, years=[2026, 2024]), {COACH}),
    (hist(B, B, years=[2026, 2024]), set()),
    (hist(SB, SB, years=[2026, 2024]), {AWARD, TRAIN}),
    # nothing for the evaluated year: no candidate at all
    (hist(SB, SB, years=[2025, 2024]), set()),
    (hist(K, K, years=[2025, 2024]), set()),
    # future years are ignored
    (hist(SK, SB, B, years=[2027, 2026, 2025]), {AWARD, TRAIN, PROMO}),
    ([], set()),
]


@pytest.mark.parametrize(("history", "expected"), DEFAULT_TABLE)
def test_default_rules_over_histories(history, expected):
    assert set(evaluate(DEFAULT_RULES, history, 2026)) == expected


def test_history_order_does_not_matter():
    assert set(evaluate(DEFAULT_RULES, list(reversed(hist(K, SK))), 2026)) == {COACH, SANCTION}


NON_CONSECUTIVE = Rule(SANCTION, 2, frozenset({K, SK}), consecutive=False)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (hist(K, K), True),
        (hist(K, SK, years=[2026, 2023]), True),  # gaps allowed
        (hist(K, B, SK, years=[2026, 2024, 2023]), False),  # the last two recorded
        (hist(K), False),
        (hist(B, K, K, years=[2026, 2025, 2024]), False),
    ],
)
def test_non_consecutive_rule_reads_the_last_recorded_years(history, expected):
    assert matches(NON_CONSECUTIVE, history, 2026) is expected


def test_three_consecutive_years():
    rule = Rule(AWARD, 3, frozenset({SB}))
    assert matches(rule, hist(SB, SB, SB), 2026)
    assert not matches(rule, hist(SB, SB), 2026)
    assert not matches(rule, hist(SB, SB, B), 2026)
    assert not matches(rule, hist(SB, SB, SB, years=[2026, 2025, 2023]), 2026)


def test_first_matching_rule_of_an_outcome_is_kept():
    first = Rule(AWARD, 1, frozenset({SB}), key=1)
    second = Rule(AWARD, 2, frozenset({SB}), key=2)
    assert evaluate([first, second], hist(SB, SB), 2026)[AWARD].key == 1


@pytest.mark.parametrize(
    "bad",
    [
        dict(outcome="award", years=0, predikat={SB}),
        dict(outcome="award", years=1, predikat=set()),
        dict(outcome="award", years=True, predikat={SB}),
        dict(outcome="bonus", years=1, predikat={SB}),
        dict(outcome="award", years=1, predikat={"luar_biasa"}),
    ],
)
def test_rule_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        Rule(bad["outcome"], bad["years"], frozenset(bad["predikat"]))


# --- contradictions and overlaps ---------------------------------------------------------

CONFLICT_TABLE = [
    # first rule, second rule, kind or None
    (Rule(AWARD, 1, frozenset({SB})), Rule(SANCTION, 2, frozenset({K, SK})), None),
    (Rule(AWARD, 1, frozenset({SB, B})), Rule(SANCTION, 1, frozenset({B, K})), "contradicts"),
    # different lengths still meet on the evaluated year
    (Rule(PROMO, 2, frozenset({SB, B})), Rule(COACH, 1, frozenset({B, BP})), "contradicts"),
    # consecutive vs not: a gap-free history satisfies both
    (
        Rule(AWARD, 1, frozenset({SB})),
        Rule(SANCTION, 3, frozenset({SB, K}), consecutive=False),
        "contradicts",
    ),
    (Rule(AWARD, 1, frozenset({SB})), Rule(AWARD, 3, frozenset({SB})), "overlaps"),
    (Rule(AWARD, 1, frozenset({SB})), Rule(AWARD, 2, frozenset({B})), None),
    (Rule(COACH, 1, frozenset({BP})), Rule(SANCTION, 2, frozenset({BP, K})), None),  # both adverse
    (Rule(AWARD, 1, frozenset({SB})), Rule(TRAIN, 1, frozenset({SB})), None),  # both favourable
    (Rule(SANCTION, 2, frozenset({K})), Rule(SANCTION, 1, frozenset({K, SK})), "overlaps"),
]


@pytest.mark.parametrize(("a", "b", "kind"), CONFLICT_TABLE)
def test_conflict_table(a, b, kind):
    clash = conflict(a, b, 2026)
    assert (clash.kind if clash else None) == kind
    assert (conflict(b, a, 2026).kind if conflict(b, a, 2026) else None) == kind
    if clash:
        # The witness is a real history both rules match.
        assert matches(a, clash.witness, 2026) and matches(b, clash.witness, 2026)


def test_default_rules_never_clash():
    for i, a in enumerate(DEFAULT_RULES):
        assert rules.conflicts(a, DEFAULT_RULES[i + 1 :]) == []


def test_witness_names_the_common_predikat_first():
    clash = conflict(Rule(AWARD, 1, frozenset({SB, B})), Rule(COACH, 2, frozenset({B, BP})), 2026)
    assert clash.witness == ((2026, Predikat.BAIK), (2025, Predikat.BAIK))


def test_a_rule_does_not_clash_with_itself_by_key():
    rule = Rule(AWARD, 1, frozenset({SB}), key=7)
    assert rules.conflicts(rule, [Rule(AWARD, 1, frozenset({SB}), key=7)]) == []


# --- allowance ---------------------------------------------------------------------------


def test_default_allowance_cuts_nothing():
    for p in rules.DEFAULT_CUTS:
        assert rules.allowance_after_cut(Decimal("5000000"), p, rules.DEFAULT_CUTS) == 5000000


@pytest.mark.parametrize(
    ("predikat", "expected"),
    [(SB, 5000000), (B, 5000000), (BP, 5000000), (K, 4950000), (SK, 4900000)],
)
def test_allowance_example_of_domain_md(predikat, expected):
    cuts = {**rules.DEFAULT_CUTS, Predikat.SANGAT_KURANG: Decimal(2), Predikat.KURANG: Decimal(1)}
    assert rules.allowance_after_cut(Decimal("5000000"), predikat, cuts) == expected


def test_allowance_cut_out_of_range():
    with pytest.raises(ValueError):
        rules.allowance_after_cut(Decimal(100), SB, {Predikat.SANGAT_BAIK: Decimal(101)})


# --- training hours ----------------------------------------------------------------------

TODAY = dt.date(2026, 6, 1)
D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "hours", "problem"),
    [
        (D(2026, 3, 1), D(2026, 3, 1), 8, None),
        (D(2026, 3, 1), D(2026, 3, 1), 12, None),  # a full day
        (D(2026, 3, 1), D(2026, 3, 1), 13, "hours_over_days"),
        (D(2026, 3, 1), D(2026, 3, 3), 36, None),
        (D(2026, 3, 1), D(2026, 3, 3), 37, "hours_over_days"),
        (D(2026, 3, 1), D(2026, 3, 1), 0, "hours_not_positive"),
        (D(2026, 3, 1), D(2026, 3, 1), -4, "hours_not_positive"),
        (D(2026, 3, 2), D(2026, 3, 1), 4, "end_before_start"),
        (D(2025, 1, 1), D(2026, 1, 1), 40, None),  # 366 days
        (D(2025, 1, 1), D(2026, 1, 2), 40, "too_long"),
        (D(1970, 1, 1), D(1970, 1, 2), 10, "too_old"),
        (D(2027, 6, 1), D(2027, 6, 2), 10, None),  # a year ahead: planned
        (D(2027, 6, 2), D(2027, 6, 3), 10, "future"),
    ],
)
def test_jp_problem_table(start, end, hours, problem):
    assert rules.jp_problem(start, end, hours, TODAY) == problem


def test_jp_totals_count_the_year_a_record_ends():
    records = [
        (1, D(2026, 1, 10), 8),
        (1, D(2026, 12, 31), 12),
        (1, D(2025, 12, 31), 30),  # previous year
        (2, D(2026, 2, 1), 20),
        (3, D(2027, 1, 1), 40),  # next year
    ]
    totals = rules.jp_totals(records, 2026)
    assert totals == {1: 20, 2: 20}
    assert [e for e in (1, 2, 3) if totals.get(e, 0) < rules.MIN_JP_PER_YEAR] == [3]


# --- position family ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "family"),
    [
        ("fungsional", "Perawat Ahli Pertama", "fungsional:perawat"),
        ("fungsional", "Perawat  Ahli Madya", "fungsional:perawat"),
        ("fungsional", "Perawat Terampil", "fungsional:perawat"),
        ("fungsional", "Pranata Komputer Ahli Muda", "fungsional:pranata komputer"),
        ("pelaksana", "Pengadministrasi Layanan", "pelaksana"),
        ("pengawas", "Kepala Seksi Layanan Primer", "pengawas"),
    ],
)
def test_position_family(kind, name, family):
    assert rules.position_family(kind, name) == family
