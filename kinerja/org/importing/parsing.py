"""Reading a workbook or a CSV into rows: per sheet, a list of (row number,
{column: text}). Nothing is checked against the data here (see `plan`)."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .files import FileRejected
from .layout import COLUMNS, KINDS, SHEET_NAMES

# One data row: column name -> the cell as text (a `FloatNip` for a NIP typed
# as a number, a date for a date cell of "tmt_jabatan").
Record = dict[str, Any]
OnRows = Callable[[int], None]


@dataclass
class RowError:
    kind: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": SHEET_NAMES.get(self.kind, ""),
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Parsed:
    rows: dict[str, list[tuple[int, Record]]] = field(
        default_factory=lambda: {k: [] for k in KINDS}
    )
    errors: list[RowError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(v) for v in self.rows.values())


class FloatNip(str):
    """A NIP typed into a numeric cell: digits already lost."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _header_key(value: Any) -> str:
    return _cell_text(value).lower().replace(" ", "_").strip("*")


def _read_table(
    kind: str, rows_iter: Iterator[Sequence[Any]], parsed: Parsed, progress: OnRows | None = None
) -> None:
    """rows_iter yields tuples of raw cell values, header first."""
    expected = [c.name for c in COLUMNS[kind]]
    try:
        header = next(rows_iter)
    except StopIteration:
        parsed.errors.append(RowError(kind, 1, "", _("Baris judul kolom tidak ada.")))
        return
    keys = [_header_key(v) for v in header]
    unknown = [k for k in keys if k and k not in expected]
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in keys]
    duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
    if unknown or missing or duplicated:
        parts = []
        if missing:
            parts.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
        if duplicated:
            parts.append(_("kolom ganda: %(cols)s") % {"cols": ", ".join(duplicated)})
        message = _("Judul kolom salah (%(parts)s). Gunakan templat.") % {"parts": "; ".join(parts)}
        parsed.errors.append(RowError(kind, 1, "", message))
        return
    index = [(i, k) for i, k in enumerate(keys) if k]
    out = parsed.rows[kind]
    for number, raw in enumerate(rows_iter, start=2):
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        record: Record = {}
        for i, key in index:
            value = raw[i] if i < len(raw) else None
            if key == "nip" and isinstance(value, float):
                record[key] = FloatNip(value)
            elif key == "tmt_jabatan" and isinstance(value, dt.datetime | dt.date):
                record[key] = value.date() if isinstance(value, dt.datetime) else value
            else:
                record[key] = _cell_text(value)
        out.append((number, record))
        if progress and len(out) % 2000 == 0:
            progress(len(out))


def parse_xlsx(path: Path, progress: OnRows | None = None) -> Parsed:
    from openpyxl import load_workbook

    parsed = Parsed()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to open means "not a spreadsheet"
        raise FileRejected(
            _("Berkas .xlsx tidak bisa dibuka sebagai spreadsheet Excel."), code="not_xlsx"
        ) from None
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        found = [k for k in KINDS if SHEET_NAMES[k].lower() in names]
        if not found:
            raise FileRejected(
                _("Berkas tidak berisi lembar Unit, Jabatan, atau Pegawai. Gunakan templat."),
                code="no_sheets",
            )
        for kind in found:
            sheet = workbook[names[SHEET_NAMES[kind].lower()]]
            _read_table(kind, sheet.iter_rows(values_only=True), parsed, progress)
    finally:
        workbook.close()
    _require_rows(parsed)
    return parsed


def parse_csv(path: Path, kind: str, progress: OnRows | None = None) -> Parsed:
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
    first_line = text.lstrip().splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    parsed = Parsed()
    try:
        _read_table(kind, iter(reader), parsed, progress)
    except csv.Error as exc:
        raise FileRejected(
            _("Berkas .csv rusak di baris %(row)d.") % {"row": reader.line_num}, code="csv"
        ) from exc
    _require_rows(parsed)
    return parsed


def _require_rows(parsed: Parsed) -> None:
    if not parsed.errors and parsed.row_count == 0:
        raise FileRejected(
            _("Berkas tidak berisi baris data (hanya judul kolom atau kosong)."), code="no_rows"
        )


def parse_file(
    path: Path, file_format: str, csv_kind: str = "", progress: OnRows | None = None
) -> Parsed:
    if file_format == "xlsx":
        return parse_xlsx(path, progress)
    return parse_csv(path, csv_kind, progress)
