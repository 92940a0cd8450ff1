"""Distribution curve of predikat per organisation grade (docs/domain.md §4, step 2).

PermenPANRB 6/2022 lampiran Bab IV B.2 gives only a picture and a sentence per organisation
grade: *most* employees should ideally have the matching predikat (see
:data:`kinerja.rules.predikat.MATCHING_PREDIKAT`), without excluding the others. The
percentages come from KemenPANRB guidance reported secondhand, so they are a per-agency policy
table (:class:`QuotaRule` rows), advisory by default: :func:`check` lists violations, and the
calibration layer warns and asks for a written reason.

Counting (a setting in docs/domain.md, fixed here): a maximum of p% of n allows floor(p*n), a
minimum needs ceil(p*n), "at least one" needs 1. All arithmetic is on
:class:`fractions.Fraction`, so 70% of 90 is exactly 63 (in floats 0.7 * 90 = 62.99999...
would floor to 62).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from kinerja.rules.predikat import OrgGrade, Predikat

__all__ = [
    "DEFAULT_POLICY",
    "MIN_UNIT_SIZE",
    "QuotaRule",
    "Violation",
    "ViolationKind",
    "bounds",
    "check",
    "quota_table",
    "too_small",
]


@dataclass(frozen=True)
class QuotaRule:
    """One row of a distribution policy: a bound on how many employees hold a set of predikat.

    A rule covers a *set* of predikat because the guidance bounds combinations ("at least one
    Butuh Perbaikan or Kurang/Misconduct"; "Kurang/Misconduct and/or Butuh Perbaikan at least
    10%"). ``min_pct``/``max_pct`` are shares of the unit's headcount in [0, 1]; "no Sangat Baik"
    is ``max_pct=0``. ``at_least_one`` demands at least one employee whatever the percentages.
    """

    org_grade: OrgGrade
    predikat: frozenset[Predikat]
    min_pct: Fraction | None
    max_pct: Fraction | None
    at_least_one: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_grade", OrgGrade(self.org_grade))
        object.__setattr__(self, "predikat", frozenset(Predikat(p) for p in self.predikat))
        if not self.predikat:
            raise ValueError("a quota rule needs at least one predikat")
        for name in ("min_pct", "max_pct"):
            value = getattr(self, name)
            if value is not None:
                value = Fraction(value)
                if not 0 <= value <= 1:
                    raise ValueError(f"{name} must be between 0 and 1")
                object.__setattr__(self, name, value)
        if self.min_pct is None and self.max_pct is None and not self.at_least_one:
            raise ValueError("a quota rule needs a minimum, a maximum or at_least_one")
        if self.min_pct is not None and self.max_pct is not None and self.min_pct > self.max_pct:
            raise ValueError("min_pct must not exceed max_pct")


def _rule(
    grade: OrgGrade,
    predikat: Iterable[Predikat],
    min_pct: Fraction | None = None,
    max_pct: Fraction | None = None,
    at_least_one: bool = False,
) -> QuotaRule:
    return QuotaRule(grade, frozenset(predikat), min_pct, max_pct, at_least_one)


_G = OrgGrade
_P = Predikat

#: The default policy, exactly the defaults table of docs/domain.md §4. "The rest any
#: predikat" lines impose nothing and have no row.
DEFAULT_POLICY: tuple[QuotaRule, ...] = (
    # Istimewa: Sangat Baik at most 70%.
    _rule(_G.ISTIMEWA, {_P.SANGAT_BAIK}, max_pct=Fraction(70, 100)),
    # Baik: Baik at most 70%; at least one Butuh Perbaikan or Kurang/Misconduct.
    _rule(_G.BAIK, {_P.BAIK}, max_pct=Fraction(70, 100)),
    _rule(_G.BAIK, {_P.BUTUH_PERBAIKAN, _P.KURANG}, at_least_one=True),
    # Butuh Perbaikan: Butuh Perbaikan at least 60%; Sangat Baik at most 10%.
    _rule(_G.BUTUH_PERBAIKAN, {_P.BUTUH_PERBAIKAN}, min_pct=Fraction(60, 100)),
    _rule(_G.BUTUH_PERBAIKAN, {_P.SANGAT_BAIK}, max_pct=Fraction(10, 100)),
    # Kurang: Kurang/Misconduct at least 60%; Butuh Perbaikan at least 10%; Sangat Baik at most
    # 10%.
    _rule(_G.KURANG, {_P.KURANG}, min_pct=Fraction(60, 100)),
    _rule(_G.KURANG, {_P.BUTUH_PERBAIKAN}, min_pct=Fraction(10, 100)),
    _rule(_G.KURANG, {_P.SANGAT_BAIK}, max_pct=Fraction(10, 100)),
    # Sangat Kurang: Sangat Kurang at least 60%; Kurang/Misconduct and/or Butuh Perbaikan at
    # least 10%; no Sangat Baik.
    _rule(_G.SANGAT_KURANG, {_P.SANGAT_KURANG}, min_pct=Fraction(60, 100)),
    _rule(_G.SANGAT_KURANG, {_P.KURANG, _P.BUTUH_PERBAIKAN}, min_pct=Fraction(10, 100)),
    _rule(_G.SANGAT_KURANG, {_P.SANGAT_BAIK}, max_pct=Fraction(0)),
)

#: Units with fewer employees than this are calibrated together with their parent unit
#: (docs/domain.md §4): with n < 5 a percentage rule cannot be met sensibly (70% of 4 is 2).
MIN_UNIT_SIZE = 5


def too_small(n: int, min_size: int = MIN_UNIT_SIZE) -> bool:
    """True when a unit of ``n`` employees is too small for its own distribution check.

    Such a unit is pooled with its parent unit for calibration (docs/domain.md §4).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    return n < min_size


class ViolationKind(enum.StrEnum):
    """How a count breaks a rule."""

    OVER_MAX = "over_max"
    UNDER_MIN = "under_min"
    #: Nobody holds the predikat although the rule demands at least one.
    MISSING_ONE = "missing_one"


@dataclass(frozen=True)
class Violation:
    """A rule of the policy that the counts of a unit break, with the bounds it allows."""

    rule: QuotaRule
    count: int
    allowed_min: int | None
    allowed_max: int | None
    kind: ViolationKind


def bounds(rule: QuotaRule, n: int) -> tuple[int | None, int | None]:
    """Allowed (minimum, maximum) number of employees for ``rule`` in a unit of ``n``.

    A maximum of p allows floor(p*n); a minimum needs ceil(p*n); ``at_least_one`` raises the
    minimum to at least 1. ``None`` means unbounded on that side.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    low = math.ceil(rule.min_pct * n) if rule.min_pct is not None else None
    if rule.at_least_one:
        low = max(low or 0, 1)
    high = math.floor(rule.max_pct * n) if rule.max_pct is not None else None
    return low, high


def quota_table(
    org_grade: OrgGrade, n: int, policy: Iterable[QuotaRule] = DEFAULT_POLICY
) -> list[tuple[QuotaRule, int | None, int | None]]:
    """The rules of ``policy`` for ``org_grade`` with their (min, max) bounds for ``n``.

    For display on calibration screens and the "pola distribusi" of the evaluation forms; in
    policy order.
    """
    grade = OrgGrade(org_grade)
    return [(rule, *bounds(rule, n)) for rule in policy if rule.org_grade == grade]


def check(
    org_grade: OrgGrade,
    counts: Mapping[Predikat, int],
    policy: Iterable[QuotaRule] = DEFAULT_POLICY,
) -> list[Violation]:
    """Violations of ``policy`` by a unit with grade ``org_grade`` and predikat ``counts``.

    ``counts`` maps predikat to headcount; missing predikat count 0 and the unit size n is the
    sum. Rules apply mechanically whatever n is: whether a unit is :func:`too_small` and must be
    pooled with its parent is the caller's decision. An empty unit (n = 0) has nothing to
    distribute and yields no violations. A rule yields at most one violation (the floor/ceil
    bounds of a valid rule never let a count be both over and under). An "at least one" rule
    with nobody is ``MISSING_ONE``; any other shortfall is ``UNDER_MIN``.
    """
    grade = OrgGrade(org_grade)
    normalised: dict[Predikat, int] = {}
    for key, value in counts.items():
        if value < 0:
            raise ValueError(f"negative count for {key}")
        normalised[Predikat(key)] = normalised.get(Predikat(key), 0) + value
    n = sum(normalised.values())
    if n == 0:
        return []

    violations: list[Violation] = []
    for rule in policy:
        if rule.org_grade != grade:
            continue
        count = sum(normalised.get(p, 0) for p in rule.predikat)
        low, high = bounds(rule, n)
        if high is not None and count > high:
            kind = ViolationKind.OVER_MAX
        elif low is not None and count < low:
            pct_low = math.ceil(rule.min_pct * n) if rule.min_pct is not None else 0
            kind = (
                ViolationKind.MISSING_ONE
                if rule.at_least_one and count == 0 and pct_low <= 1
                else ViolationKind.UNDER_MIN
            )
        else:
            continue
        violations.append(Violation(rule, count, low, high, kind))
    return violations
