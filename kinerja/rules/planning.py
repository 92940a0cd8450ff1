"""Planning rules of PermenPANRB 6/2022 chapter II (docs/domain.md §1 cycle and §2 SKP)
as pure Python (no Django), tested table by table in kinerja/rules/tests/test_planning.py.

Values marked "verify" in docs/domain.md §1 and §2 live here, in one place.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

JPT_KINDS = frozenset({"jpt_utama", "jpt_madya", "jpt_pratama"})

FORM_JPT = "jpt"
FORM_NON_JPT = "non_jpt"
KUALITATIF = "kualitatif"
KUANTITATIF = "kuantitatif"

# (form, approach) -> official format code (lampiran A).
FORMAT_CODES = {
    (FORM_JPT, KUALITATIF): "A.1.1",
    (FORM_JPT, KUANTITATIF): "A.1.2",
    (FORM_NON_JPT, KUALITATIF): "A.1.6",
    (FORM_NON_JPT, KUANTITATIF): "A.1.7",
}

PERSPEKTIF = ("penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran")
ASPECTS = ("kuantitas", "kualitas", "waktu", "biaya")

# Words that make a target absolute; the regulation asks to avoid them except where
# life, safety, security or large money is at stake, so this is a warning only.
ABSOLUTE_PATTERNS = (
    ("selalu", r"\bselalu\b"),
    ("tidak pernah", r"\btidak\s+pernah\b"),
    ("semua", r"\bsemua(nya)?\b"),
    ("100%", r"(?<![\d.,])100(?:[.,]0+)?\s*%"),
)

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
QUARTERS = ("Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV")

# The years a performance year may have: bounds every input checks before it
# reaches Python's date type (year 0 or 10000 would raise there).
YEAR_MIN = 2000
YEAR_MAX = 2100

MONTHLY = "bulanan"
QUARTERLY = "triwulanan"
LAST_PERIOD = "last_period"
ANNUAL = "annual"

# verify: the periodic evaluation window closes this many working days after the
# period ends (the rater's superior takes over after 14 working days, lampiran Bab IV).
EVALUATION_WINDOW_WORKING_DAYS = 14


def skp_form(*, position_kind: str | None, is_unit_head: bool, unit_is_independent: bool) -> str:
    """JPT and heads of independent units use the JPT forms (A.1.1/A.1.2);
    everyone else (administrator, pengawas, pelaksana, fungsional) A.1.6/A.1.7."""
    if position_kind in JPT_KINDS or (is_unit_head and unit_is_independent):
        return FORM_JPT
    return FORM_NON_JPT


def format_code(form: str, approach: str) -> str:
    return FORMAT_CODES[(form, approach)]


def missing_perspektif(perspektifs: Iterable[str]) -> list[str]:
    """The JPT perspectives not yet covered by any IKI (all four must be, and
    Anggaran always present), in the official order."""
    present = set(perspektifs)
    return [p for p in PERSPEKTIF if p not in present]


def link_required(*, form: str, position_kind: str | None, has_rater: bool, source: str) -> bool:
    """Must this RHK link to a superior's RHK (intervensi)?

    - JPT: linked to the organisation's goals or the superior's RHK (checked separately);
    - top of the tree (no rater): nothing to link to;
    - functional positions may instead cite their own duties ("tugas_jabatan");
    - everyone else: yes.
    """
    if form == FORM_JPT or not has_rater:
        return False
    return not (position_kind == "fungsional" and source == "tugas_jabatan")


def absolute_words(text: str) -> list[str]:
    """Absolute words found in a target, for a warning."""
    lowered = (text or "").lower()
    return [word for word, pattern in ABSOLUTE_PATTERNS if re.search(pattern, lowered)]


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    label: str
    start: date
    end: date


def generate_periods(year: int, frequency: str, annual_source: str) -> list[PeriodSpec]:
    """Monthly: 12 periods; quarterly: 4. When the annual predikat is the last
    period's, national practice names the last quarter "Triwulan IV-Akhir"."""
    if frequency == MONTHLY:
        months = [(m, m, MONTHS[m - 1]) for m in range(1, 13)]
    elif frequency == QUARTERLY:
        months = [(3 * q - 2, 3 * q, QUARTERS[q - 1]) for q in range(1, 5)]
        if annual_source == LAST_PERIOD:
            months[-1] = (10, 12, "Triwulan IV-Akhir")
    else:
        raise ValueError(frequency)
    return [
        PeriodSpec(
            number=i,
            label=label,
            start=date(year, first, 1),
            end=date(year, last, calendar.monthrange(year, last)[1]),
        )
        for i, (first, last, label) in enumerate(months, start=1)
    ]


def default_skp_deadline(year: int) -> date:
    """SKP set (ditetapkan) by the end of January of the year (art. 14)."""
    return date(year, 1, 31)


def default_annual_deadline(year: int) -> date:
    """Annual evaluation at the latest by the end of January of the next year."""
    return date(year + 1, 1, 31)


def is_late(*, deadline: date | None, today: date, done: bool) -> bool:
    return deadline is not None and not done and today > deadline


# The target of an IKI is entered once, in one of three shapes (lampiran A: "target"
# beside "satuan"): a number with its unit ("12 dokumen"), a range with its unit
# ("80–90 persen"), or a qualitative description ("laporan diterima tanpa revisi").
# The text shown is derived once from what was entered, so the unit is never
# written twice ("100 persen", never "100 persen persen").
TARGET_NUMBER = "number"
TARGET_RANGE = "range"
TARGET_QUALITATIVE = "qualitative"

_NUMERIC_TARGET = re.compile(r"^\s*[\d.,]+(\s*[-–]\s*[\d.,]+)?\s*$")


def target_kind(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """No number: qualitative; one number (or twice the same): a number; else a range."""
    if minimum is None and maximum is None:
        return TARGET_QUALITATIVE
    if minimum is None or maximum is None or minimum == maximum:
        return TARGET_NUMBER
    return TARGET_RANGE


def format_number(value: Decimal) -> str:
    """Indonesian notation: 1.250 for a thousand and more, 99,5 with a decimal comma,
    and no trailing zeros (12.00 is 12)."""
    value = Decimal(str(value))
    sign = "-" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    shown = ".".join(groups)
    return f"{sign}{shown},{fraction}" if fraction else f"{sign}{shown}"


def target_label(*, text: str, minimum: Decimal | None, maximum: Decimal | None, unit: str) -> str:
    """The target as shown everywhere, built once from what was entered."""
    unit = " ".join((unit or "").split())
    kind = target_kind(minimum, maximum)
    if kind == TARGET_QUALITATIVE:
        return " ".join((text or "").split())
    if kind == TARGET_NUMBER:
        value = minimum if minimum is not None else maximum
        assert value is not None
        number = format_number(value)
    else:
        assert minimum is not None and maximum is not None
        number = f"{format_number(minimum)}–{format_number(maximum)}"
    return f"{number} {unit}" if unit else number


def target_shown(text: str, unit: str) -> str:
    """A stored target and its unit as shown: the unit once. For targets stored
    before the target was entered once (and for approved versions, which are
    frozen): "100" with "persen" is "100 persen"; "100 persen persen" and "100
    persen" with "persen" are "100 persen"; a description stays as it is."""
    text = " ".join((text or "").split())
    unit = " ".join((unit or "").split())
    if not unit:
        return text
    doubled = f" {unit} {unit}"
    while text.lower().endswith(doubled.lower()):
        text = text[: -len(unit) - 1]
    if _NUMERIC_TARGET.match(text):
        return f"{text} {unit}"
    return text
