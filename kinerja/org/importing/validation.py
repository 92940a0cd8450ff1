"""Checks on single cells and rows, shared by the sheets' validation in
`plan`: choices, yes/no, dates, lengths, duplicates and cycles. Each check that
finds a fault records it on the sheet (`SheetErrors`) with its row and column."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from .layout import choices_text
from .parsing import Record, RowError

GOLONGAN_PNS = re.compile(r"^(I|II|III|IV)/[a-e]$")
GOLONGAN_PPPK = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$")
PHONE = re.compile(r"^[0-9+()\-. ]{4,30}$")

Choices = Iterable[tuple[str, Any]]


def normalise_choice(value: str, choices: Choices) -> str | None:
    """Accept a code ("jpt_pratama") or a label ("JPT Pratama"), case-insensitively."""
    key = value.strip().lower()
    for code, label in choices:
        if key in (code, str(label).lower(), str(label).lower().replace(" ", "_")):
            return code
    return None


TRUE = {"ya", "y", "1", "true", "benar"}
FALSE = {"tidak", "t", "0", "false", "salah", "", "tdk", "n", "no"}


def parse_bool(value: str) -> bool | None:
    key = value.strip().lower()
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    return None


def parse_date(value: str | dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class SheetErrors:
    """Collects the errors of one sheet into the plan's list."""

    def __init__(self, errors: list[RowError], kind: str) -> None:
        self.errors, self.kind = errors, kind

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(self.kind, row, column, message))


def check_length(sheet: SheetErrors, row: int, record: Record, column: str, limit: int) -> bool:
    if len(record.get(column, "")) > limit:
        sheet.error(row, column, _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": limit})
        return False
    return True


def check_choice(
    sheet: SheetErrors, row: int, record: Record, column: str, choices: Choices, message: str
) -> str | None:
    """The code chosen in `column`, or None after recording `message` (which
    names the %(value)s written and the %(choices)s allowed)."""
    value = normalise_choice(record.get(column, ""), choices)
    if value is None:
        sheet.error(
            row,
            column,
            message % {"value": record.get(column, ""), "choices": choices_text(choices)},
        )
    return value


def find_cycles(parent_of: Mapping[str, str | None]) -> set[str]:
    """parent_of: {code: parent_code or None}. Returns the set of codes on a cycle."""
    state: dict[str, str] = {}
    on_cycle: set[str] = set()
    for start in parent_of:
        trail: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and node not in state:
            state[node] = start
            trail.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == start:
            on_cycle.update(trail[trail.index(node) :])
    return on_cycle


def report_duplicate(
    sheet: SheetErrors, seen: dict[str, int], key: str, row: int, column: str, label: str
) -> bool:
    """Whether `key` appeared on an earlier row (recorded as an error); else
    remember its row."""
    if key in seen:
        sheet.error(
            row,
            column,
            _("%(label)s %(key)s sudah muncul di baris %(row)d.")
            % {"label": label, "key": key, "row": seen[key]},
        )
        return True
    seen[key] = row
    return False
