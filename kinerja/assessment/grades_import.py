"""Import of organisation grades from .xlsx or .csv: read the rows, check every
row against the agency's units and the year's periods, and report ALL the
errors of each row (the same file checks and the same per-row reporting as the
people import, kinerja.org.importing). Reads only; the write is
kinerja.assessment.services.grades.org_grades_import.

Layout: the first sheet of the workbook (or the sheet named "Predikat"), or a
CSV separated by "," or ";". Row 1 holds the column names (any order, case
ignored); data starts on row 2; blank rows are skipped.

    kode_unit*  the unit's code
    periode     blank or "tahunan" for the year; the period's number or label
                ("1", "Triwulan I") for a period
    predikat*   Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang (the code
                or the label)
    sumber*     SAKIP / LKjIP (the unit's own evaluation result) or "pimpinan"
                (the head's own result)
    catatan     a note
"""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kinerja.org.importing.files import FileRejected
from kinerja.org.models import OrgUnit
from kinerja.planning.models import PerformanceYear, Period

from .models import OrgGradeChoice, OrgPerformance

COLUMNS = ("kode_unit", "periode", "predikat", "sumber", "catatan")
REQUIRED = ("kode_unit", "predikat", "sumber")
SHEET_NAME = "predikat"
NOTE_LIMIT = 1000
ANNUAL_WORDS = {"", "tahunan", "tahun", "annual"}
SOURCE_WORDS = {
    OrgPerformance.Source.ENTERED: {"entered", "sakip", "lkjip", "sakip/lkjip", "evaluasi"},
    OrgPerformance.Source.FROM_HEAD: {"from_head", "pimpinan", "hasil pimpinan", "kepala"},
}

Record = dict[str, str]


@dataclass
class GradeImportError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class GradeImportRow:
    row: int
    unit: OrgUnit
    period: Period | None
    grade: str
    source: str
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "period": self.period.label if self.period is not None else "",
            "grade": self.grade,
            "source": self.source,
            "note": self.note,
        }


@dataclass
class GradeImportPlan:
    """What a file would set, and every error of every row."""

    rows: list[GradeImportRow] = field(default_factory=list)
    errors: list[GradeImportError] = field(default_factory=list)
    applied: int = 0  # rows changed when applied

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_messages(self) -> list[str]:
        return [
            _("Baris %(row)s, kolom %(column)s: %(message)s")
            % {"row": e.row, "column": e.column or "-", "message": e.message}
            for e in self.errors
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _key(value: Any) -> str:
    return _text(value).lower().replace(" ", "_").strip("*")


def _table(rows: Iterator[Sequence[Any]]) -> list[tuple[int, Record]]:
    try:
        header = [_key(v) for v in next(rows)]
    except StopIteration:
        raise FileRejected(_("Baris judul kolom tidak ada."), code="no_header") from None
    missing = [c for c in REQUIRED if c not in header]
    unknown = [k for k in header if k and k not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
        raise FileRejected(
            _("Judul kolom salah (%(parts)s). Kolom: %(cols)s.")
            % {"parts": "; ".join(parts), "cols": ", ".join(COLUMNS)},
            code="header",
        )
    out = []
    for number, raw in enumerate(rows, start=2):
        values = [_text(v) for v in raw]
        if not any(values):
            continue
        out.append(
            (number, {k: (values[i] if i < len(values) else "") for i, k in enumerate(header) if k})
        )
    if not out:
        raise FileRejected(
            _("Berkas tidak berisi baris data (hanya judul kolom atau kosong)."), code="no_rows"
        )
    return out


def read_rows(path: Path, file_format: str) -> list[tuple[int, Record]]:
    """The data rows of a checked file (kinerja.org.importing.files.check_file)."""
    if file_format == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any failure to open means "not a spreadsheet"
            raise FileRejected(
                _("Berkas .xlsx tidak bisa dibuka sebagai spreadsheet Excel."), code="not_xlsx"
            ) from None
        try:
            names = {name.strip().lower(): name for name in workbook.sheetnames}
            sheet = workbook[names.get(SHEET_NAME, workbook.sheetnames[0])]
            return _table(sheet.iter_rows(values_only=True))
        finally:
            workbook.close()
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected(
            _('Berkas .csv tidak bisa dibaca. Simpan sebagai "CSV UTF-8".'), code="encoding"
        )
    if not text.strip():
        raise FileRejected(_("Berkas kosong (tidak ada isi)."), code="empty")
    first = text.lstrip().splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return _table(iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as exc:
        raise FileRejected(_("Berkas .csv rusak."), code="csv") from exc


def _lookup(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[value.lower()] = value
        out[str(label).lower()] = value
        out[str(label).lower().replace(" ", "_")] = value
    return out


def plan_rows(year: PerformanceYear, records: list[tuple[int, Record]]) -> GradeImportPlan:
    """Check every row (all its errors, not only the first) against the
    agency's units (one query) and the year's periods (one query)."""
    codes = {r.get("kode_unit", "") for _n, r in records}
    units = {
        u.code.lower(): u
        for u in OrgUnit.objects.filter(agency_id=year.agency_id, code__in=codes).only(
            "pk", "agency_id", "code", "name", "path", "is_active"
        )
    }
    if len(units) < len({c.lower() for c in codes if c}):  # codes typed in another case
        units |= {
            u.code.lower(): u
            for u in OrgUnit.objects.filter(agency_id=year.agency_id).only(
                "pk", "agency_id", "code", "name", "path", "is_active"
            )
            if u.code.lower() in {c.lower() for c in codes}
        }
    periods: dict[str, Period] = {}
    for each in Period.objects.filter(year=year):
        periods[str(each.number)] = each
        periods[each.label.lower()] = each
    grades = _lookup(OrgGradeChoice.choices)
    sources: dict[str, str] = {
        word: str(code) for code, words in SOURCE_WORDS.items() for word in words
    }
    sources |= _lookup(OrgPerformance.Source.choices)
    plan = GradeImportPlan()
    seen: dict[tuple[int, int | None], int] = {}
    for number, record in records:
        errors: list[GradeImportError] = []

        def error(
            column: str, message: str, errors: list[GradeImportError] = errors, row: int = number
        ) -> None:
            errors.append(GradeImportError(row, column, message))

        code = record.get("kode_unit", "")
        unit = units.get(code.lower())
        if not code:
            error("kode_unit", _("Kode unit wajib diisi."))
        elif unit is None:
            error("kode_unit", _("Unit dengan kode %(code)s tidak ada.") % {"code": code})
        elif not unit.is_active:
            error("kode_unit", _("Unit %(code)s sudah tidak aktif.") % {"code": code})
        period_text = record.get("periode", "").strip().lower()
        period: Period | None = None
        if period_text not in ANNUAL_WORDS:
            period = periods.get(period_text)
            if period is None:
                error(
                    "periode",
                    _("Periode %(p)s tidak ada di tahun %(y)s; kosongkan untuk predikat tahunan.")
                    % {"p": record.get("periode", ""), "y": year.year},
                )
        grade_text = record.get("predikat", "").strip().lower()
        grade = grades.get(grade_text) or grades.get(grade_text.replace(" ", "_"), "")
        if not grade_text:
            error("predikat", _("Predikat wajib diisi; tidak ada nilai bawaan."))
        elif not grade:
            error(
                "predikat",
                _(
                    "Predikat %(g)s tidak dikenal (Istimewa, Baik, Butuh Perbaikan, Kurang, "
                    "Sangat Kurang)."
                )
                % {"g": record.get("predikat", "")},
            )
        source_text = record.get("sumber", "").strip().lower()
        source = sources.get(source_text, "")
        if not source_text:
            error("sumber", _("Sumber wajib diisi (SAKIP/LKjIP atau pimpinan)."))
        elif not source:
            error(
                "sumber",
                _("Sumber %(s)s tidak dikenal (SAKIP/LKjIP atau pimpinan).")
                % {"s": record.get("sumber", "")},
            )
        note = record.get("catatan", "")
        if len(note) > NOTE_LIMIT:
            error("catatan", _("Catatan paling banyak %(n)s karakter.") % {"n": NOTE_LIMIT})
        if unit is not None and (period is not None or period_text in ANNUAL_WORDS):
            key = (unit.pk, period.pk if period is not None else None)
            if key in seen:
                error(
                    "kode_unit",
                    _("Unit dan periode ini sudah ada di baris %(n)s.") % {"n": seen[key]},
                )
            else:
                seen[key] = number
        if errors:
            plan.errors += errors
        elif unit is not None:
            plan.rows.append(GradeImportRow(number, unit, period, grade, source, note))
    return plan
