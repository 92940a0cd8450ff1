"""Follow-up rules (tindak lanjut hasil evaluasi kinerja; docs/domain.md §6). Pure, no Django.

- Outcome rules over an employee's annual predikat history: "the last N annual predikat each
  in a set" makes the employee a candidate for an award, for priority in promotion or
  training, for coaching (pembinaan) or for the sanction process. The app recommends; people
  decide (PP 30/2019 art. 56-58, PermenPANRB 6/2022 art. 31-33).
- Contradiction and overlap between rules, defined precisely in :func:`conflict`.
- The allowance (TPP) cut per predikat, a per-agency setting (default: no cut).
- Training hours (JP): plausibility of a record and yearly totals against the minimum.
- Position family for mentor suggestions.
- Credit points needed for the next jenjang (accumulation target).

Predikat codes are those of :mod:`kinerja.rules.predikat`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kinerja.rules.predikat import PREDIKAT_ORDER, Predikat

__all__ = [
    "ADVERSE",
    "AK_NEXT_LEVEL",
    "DEFAULT_CUTS",
    "DEFAULT_RULES",
    "FAVOURABLE",
    "MAX_COURSE_JP",
    "MAX_JP_PER_DAY",
    "MAX_RECORD_DAYS",
    "MIN_JP_PER_YEAR",
    "Conflict",
    "Outcome",
    "Rule",
    "allowance_after_cut",
    "conflict",
    "conflicts",
    "evaluate",
    "jp_problem",
    "jp_totals",
    "matches",
    "position_family",
]


class Outcome(enum.StrEnum):
    AWARD = "award"
    PROMOTION_PRIORITY = "promotion_priority"
    TRAINING_PRIORITY = "training_priority"
    COACHING = "coaching"
    SANCTION_PROCESS = "sanction_process"


#: Outcomes that reward (art. 31: awards, priority for the talent pool and for competence
#: development) and outcomes that act on poor performance (art. 33; coaching during the year).
FAVOURABLE = frozenset({Outcome.AWARD, Outcome.PROMOTION_PRIORITY, Outcome.TRAINING_PRIORITY})
ADVERSE = frozenset({Outcome.COACHING, Outcome.SANCTION_PROCESS})

History = Sequence[tuple[int, str]]


@dataclass(frozen=True)
class Rule:
    """``outcome`` when each of the last ``years`` annual predikat is in ``predikat``.

    ``consecutive`` (the default): the last ``years`` calendar years up to the evaluated year
    must all have a predikat: a missing year breaks the chain. Not consecutive: the last
    ``years`` recorded annual predikat count, whatever the gaps between them. Either way the
    evaluated year itself must have a predikat (the lists are drawn up after its close).
    """

    outcome: Outcome
    years: int
    predikat: frozenset[Predikat]
    consecutive: bool = True
    key: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        object.__setattr__(self, "predikat", frozenset(Predikat(p) for p in self.predikat))
        if isinstance(self.years, bool) or not isinstance(self.years, int) or self.years < 1:
            raise ValueError("years must be a positive integer")
        if not self.predikat:
            raise ValueError("a rule needs at least one predikat")


_AT_LEAST_BAIK = frozenset({Predikat.SANGAT_BAIK, Predikat.BAIK})
_BP_OR_WORSE = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG})

#: The defaults every agency starts with (editable by admin BKD).
#: - award: Sangat Baik in the evaluated year (art. 31, the PPK may grant other awards);
#: - training priority: Sangat Baik in the evaluated year (art. 31, priority for development);
#: - promotion priority: at least Baik in the last 2 consecutive years (national practice for
#:   kenaikan pangkat, docs/domain.md §6, a setting);
#: - coaching: Butuh Perbaikan or worse in the evaluated year;
#: - sanction process: Kurang/Misconduct or Sangat Kurang in 2 consecutive years (art. 33,
#:   PP 30/2019 art. 56-58).
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Outcome.AWARD, 1, frozenset({Predikat.SANGAT_BAIK})),
    Rule(Outcome.PROMOTION_PRIORITY, 2, _AT_LEAST_BAIK),
    Rule(Outcome.TRAINING_PRIORITY, 1, frozenset({Predikat.SANGAT_BAIK})),
    Rule(Outcome.COACHING, 1, _BP_OR_WORSE),
    Rule(Outcome.SANCTION_PROCESS, 2, frozenset({Predikat.KURANG, Predikat.SANGAT_KURANG})),
)


def _window(rule: Rule, history: History, year: int) -> list[str] | None:
    """The predikat the rule looks at, most recent first, or None when the history is short."""
    known: dict[int, str] = {}
    for y, p in history:
        if y <= year:
            known.setdefault(y, p)
    if year not in known:
        return None
    if rule.consecutive:
        wanted = [year - i for i in range(rule.years)]
        if any(y not in known for y in wanted):
            return None
        return [known[y] for y in wanted]
    years = sorted(known, reverse=True)[: rule.years]
    if len(years) < rule.years:
        return None
    return [known[y] for y in years]


def matches(rule: Rule, history: History, year: int) -> bool:
    """Whether ``history`` ([(year, predikat)], any order) satisfies ``rule`` at ``year``."""
    window = _window(rule, history, year)
    return window is not None and all(p in rule.predikat for p in window)


def evaluate(rules: Iterable[Rule], history: History, year: int) -> dict[Outcome, Rule]:
    """Outcome -> the first rule (in the given order) that makes the employee a candidate."""
    found: dict[Outcome, Rule] = {}
    for rule in rules:
        if rule.outcome not in found and matches(rule, history, year):
            found[rule.outcome] = rule
    return found


@dataclass(frozen=True)
class Conflict:
    """Two rules that can both match one history. ``kind`` is "contradicts" (a favourable and
    an adverse outcome) or "overlaps" (the same outcome twice). ``witness`` is a gap-free
    history, most recent first, that both rules match."""

    kind: str
    first: Rule
    second: Rule
    witness: tuple[tuple[int, Predikat], ...]


def _witness(a: Rule, b: Rule, year: int) -> tuple[tuple[int, Predikat], ...] | None:
    """A history matched by both rules, or None when none exists.

    Both rules read the evaluated year and the years before it. On a history without gaps a
    consecutive and a non-consecutive rule read the same entries, and any history the two
    rules both match can be closed up into one without gaps; so a common history exists
    exactly when, for each of the first min(N_a, N_b) entries, one predikat is in both sets,
    i.e. when the two sets share a predikat. The witness is checked with :func:`matches`."""
    common = [p for p in PREDIKAT_ORDER if p in a.predikat and p in b.predikat]
    if not common:
        return None
    longer = a if a.years >= b.years else b
    own = [p for p in PREDIKAT_ORDER if p in longer.predikat]
    rows = tuple(
        (year - i, common[0] if i < min(a.years, b.years) else own[0])
        for i in range(max(a.years, b.years))
    )
    assert matches(a, rows, year) and matches(b, rows, year)  # noqa: S101 - proof above
    return rows


def conflict(a: Rule, b: Rule, year: int = 2000) -> Conflict | None:
    """How two active rules clash, or None.

    - *contradicts*: one outcome is favourable (award, promotion or training priority) and the
      other adverse (coaching, sanction process), and some history matches both: the same
      employee would be recommended for a reward and for coaching or a sanction at once;
    - *overlaps*: both rules have the same outcome and some history matches both: the
      candidate's justification would be ambiguous (merge them, or narrow one).
    Two favourable (or two adverse) rules with different outcomes may match together (an award
    and training priority for the same Sangat Baik): that is no clash.
    """
    if a.outcome == b.outcome:
        kind = "overlaps"
    elif (a.outcome in FAVOURABLE) != (b.outcome in FAVOURABLE):
        kind = "contradicts"
    else:
        return None
    witness = _witness(a, b, year)
    return Conflict(kind, a, b, witness) if witness is not None else None


def conflicts(candidate: Rule, others: Iterable[Rule], year: int = 2000) -> list[Conflict]:
    """Every clash of ``candidate`` with ``others`` (a rule never clashes with itself by key)."""
    found: list[Conflict] = []
    for other in others:
        if candidate.key is not None and other.key == candidate.key:
            continue
        clash = conflict(candidate, other, year)
        if clash is not None:
            found.append(clash)
    return found


# --- allowance (TPP) ------------------------------------------------------------------------

#: Default cut of the performance allowance per predikat, in percent: none (a setting; one
#: agency's example in docs/domain.md §6 cuts 2% for Sangat Kurang and 1% for Kurang).
DEFAULT_CUTS: dict[Predikat, Decimal] = {p: Decimal("0") for p in PREDIKAT_ORDER}


def allowance_after_cut(
    amount: Decimal, predikat: str, cuts: Mapping[Predikat, Decimal]
) -> Decimal:
    """The allowance after the predikat's cut (percent), rounded to whole rupiah half up.

    A Predikat equals (and hashes like) its code, so ``cuts`` may be keyed by either."""
    cut = Decimal(cuts.get(Predikat(predikat), 0))
    if not Decimal(0) <= cut <= Decimal(100):
        raise ValueError("a cut is a percentage from 0 to 100")
    value = Decimal(amount) * (Decimal(100) - cut) / Decimal(100)
    return value.quantize(Decimal("1"), rounding="ROUND_HALF_UP")


# --- training hours (JP) --------------------------------------------------------------------

#: Every ASN has the right to at least 20 JP of competence development a year (PP 11/2017 as
#: amended; docs/domain.md §6, "verify"): the default of the agency setting.
MIN_JP_PER_YEAR = 20
#: One JP (jam pelajaran) is 45 minutes; 12 JP (9 hours of lessons) is taken as the most a
#: single training day can hold, for courses and e-learning alike.
MAX_JP_PER_DAY = 12
#: The longest single programme in the catalogue (a residential leadership course is a few
#: hundred JP); above this a typing error is likelier than a course.
MAX_COURSE_JP = 1000
#: A single participation record spans at most a year.
MAX_RECORD_DAYS = 366
#: Records before this year are not plausible for serving employees.
EARLIEST_YEAR = 1980


def jp_problem(start: dt.date, end: dt.date, hours: int, today: dt.date) -> str | None:
    """Why a training record is impossible (a code), or None when it is plausible.

    Codes: "end_before_start", "too_long" (more than MAX_RECORD_DAYS days), "too_old" (before
    EARLIEST_YEAR), "future" (ends more than a year after today), "hours_not_positive",
    "hours_over_days" (more than MAX_JP_PER_DAY per calendar day of the record)."""
    if end < start:
        return "end_before_start"
    days = (end - start).days + 1
    if days > MAX_RECORD_DAYS:
        return "too_long"
    if start.year < EARLIEST_YEAR:
        return "too_old"
    if end > today + dt.timedelta(days=366):
        return "future"
    if isinstance(hours, bool) or hours <= 0:
        return "hours_not_positive"
    if hours > days * MAX_JP_PER_DAY:
        return "hours_over_days"
    return None


def jp_totals(records: Iterable[tuple[int, dt.date, int]], year: int) -> dict[int, int]:
    """employee id -> JP of ``year`` from (employee id, end date, JP) records.

    A record counts in the year it ends (the year its certificate is dated)."""
    totals: dict[int, int] = {}
    for employee_id, end, hours in records:
        if end.year == year:
            totals[employee_id] = totals.get(employee_id, 0) + hours
    return totals


# --- mentors --------------------------------------------------------------------------------

_JENJANG_WORDS = (
    "ahli utama",
    "ahli madya",
    "ahli muda",
    "ahli pertama",
    "penyelia",
    "mahir",
    "terampil",
    "pemula",
)


def position_family(kind: str, name: str) -> str:
    """The family of a position, for mentor suggestions.

    Structural and pelaksana positions: the kind (every pengawas is one family, every pelaksana
    another). Fungsional: the position name without its jenjang words ("Perawat Ahli Pertama"
    and "Perawat Ahli Madya" are both "fungsional:perawat"), so a nurse mentors a nurse."""
    if kind != "fungsional":
        return kind
    stem = " ".join(name.lower().split())
    for words in _JENJANG_WORDS:
        stem = stem.replace(words, " ")
    return "fungsional:" + " ".join(stem.split())


# --- credit points --------------------------------------------------------------------------

#: Credit points needed to rise to the next jenjang (PermenPANRB 1/2023 lampiran, kebutuhan
#: angka kredit kenaikan jenjang; "verify"): jenjang -> (next jenjang, points).
AK_NEXT_LEVEL: dict[str, tuple[str, Decimal]] = {
    "ahli_pertama": ("ahli_muda", Decimal("100")),
    "ahli_muda": ("ahli_madya", Decimal("200")),
    "ahli_madya": ("ahli_utama", Decimal("450")),
    "pemula": ("terampil", Decimal("15")),
    "terampil": ("mahir", Decimal("60")),
    "mahir": ("penyelia", Decimal("100")),
}
