"""Import of units, positions and employees from .xlsx or .csv: file checks,
parsing and validation. Pure reads: nothing here writes to the database (the
writes are in `import_jobs.py`), and nothing takes a request.

The layout (also in the downloadable template's "Petunjuk" sheet)
------------------------------------------------------------------
An .xlsx workbook with up to three sheets, named exactly "Unit", "Jabatan" and
"Pegawai" (other sheets, such as "Petunjuk", are ignored). Row 1 holds the
column names below (any order, case-insensitive); data starts on row 2; blank
rows are skipped. A .csv file holds ONE kind (units, positions or employees),
chosen on the upload form, with the same columns; it may be UTF-8 (with or
without BOM) or Windows-1252, separated by "," or ";". A CSV of positions or
employees refers to units/positions that must already exist (or be in the same
file, for a position's superior).

Unit:    kode*, nama*, jenis*, kode_induk, unit_mandiri
Jabatan: kode*, nama*, jenis*, jenjang, kode_unit*, kode_atasan, kepala_unit
Pegawai: nip*, nama*, gelar_depan, gelar_belakang, status* (PNS/PPPK), golongan,
         pangkat, kode_jabatan*, kode_unit, email, telepon, tmt_jabatan,
         kata_sandi_awal

Semantics
- Upsert: units and positions by `kode` within the agency, employees by NIP.
  Rows absent from the file are left alone (the import never deletes).
  A row describes the whole record: an empty optional cell empties the field.
- `kode_induk` / `kode_atasan` / `kode_unit` / `kode_jabatan` may name a row of
  the same file or an existing record of the agency; otherwise the row is an
  error ("missing superior", "unknown unit"). Cycles are errors.
- Employees: `kode_unit` defaults to the position's unit. A new employee gets
  an account (username = NIP). `kata_sandi_awal` (optional) sets that new
  account's initial password, checked against the password rules; without it
  the account has no usable password until an admin sets one. It is never
  applied to an existing account, so re-running a file changes nothing. The
  uploaded file is deleted once applied (it may hold passwords).
- A changed position is a definitive move starting `tmt_jabatan` (default:
  today): the previous assignment ends the day before, so history is kept;
  `tmt_jabatan` must be after the current assignment's start. For a new
  employee it is the start of the first assignment and of activity.
- An inactive employee (stopped) is an error: the import does not reactivate.
- Dates: a date cell, or text "2026-07-01", "01-07-2026", "01/07/2026".
  Yes/no: ya/tidak, y/t, 1/0, true/false. Choice columns accept the code
  ("jpt_pratama") or the label ("JPT Pratama").
- NIP must be text: an 18-digit number typed into a numeric cell loses digits
  in Excel, so a float NIP is refused with a hint; the template formats the
  column as text.

Files are checked by content before parsing: size (settings.IMPORT_MAX_BYTES),
empty file, extension vs content (`filetype` sniffing and the zip structure),
and for .xlsx the zip's directory is inspected BEFORE openpyxl opens it: the
declared uncompressed total and per-member compression ratio must be sane
(zip bombs), and the OOXML parts "[Content_Types].xml" and "xl/workbook.xml"
must exist (a .docx or random zip renamed .xlsx is refused). Python's zipfile
never inflates past a member's declared size, so the declared sizes bound the
work. All messages are Indonesian and name the sheet, row and column.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import filetype
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Employee, OrgUnit, Position, PositionAssignment, User
from .nip import parse_nip

UNIT, JABATAN, PEGAWAI = "unit", "jabatan", "pegawai"
KINDS = (UNIT, JABATAN, PEGAWAI)
SHEET_NAMES = {UNIT: "Unit", JABATAN: "Jabatan", PEGAWAI: "Pegawai"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    allowed: str = ""


def _choices_text(choices):
    return ", ".join(str(value) for value, _label in choices)


BOOL_TEXT = "ya / tidak"
COLUMNS = {
    UNIT: [
        Column("kode", True, gettext_lazy("Kode unit, unik di instansi (maks. 40 karakter).")),
        Column("nama", True, gettext_lazy("Nama unit kerja.")),
        Column("jenis", True, gettext_lazy("Jenis unit."), _choices_text(OrgUnit.Kind.choices)),
        Column(
            "kode_induk",
            False,
            gettext_lazy(
                "Kode unit induk (di berkas ini atau yang sudah ada). Kosong: unit puncak."
            ),
        ),
        Column(
            "unit_mandiri",
            False,
            gettext_lazy("Unit yang langsung di bawah pimpinan instansi (OPD, UPT mandiri)."),
            BOOL_TEXT,
        ),
    ],
    JABATAN: [
        Column("kode", True, gettext_lazy("Kode jabatan, unik di instansi.")),
        Column("nama", True, gettext_lazy("Nama jabatan.")),
        Column("jenis", True, gettext_lazy("Jenis jabatan."), _choices_text(Position.Kind.choices)),
        Column(
            "jenjang",
            False,
            gettext_lazy("Jenjang, wajib untuk jabatan fungsional dan kosong untuk lainnya."),
            _choices_text(Position.Jenjang.choices),
        ),
        Column("kode_unit", True, gettext_lazy("Kode unit tempat jabatan berada.")),
        Column(
            "kode_atasan",
            False,
            gettext_lazy("Kode jabatan atasan langsung. Kosong: jabatan puncak."),
        ),
        Column("kepala_unit", False, gettext_lazy("Jabatan ini kepala unitnya."), BOOL_TEXT),
    ],
    PEGAWAI: [
        Column("nip", True, gettext_lazy("NIP 18 angka, ditulis sebagai teks.")),
        Column("nama", True, gettext_lazy("Nama tanpa gelar.")),
        Column("gelar_depan", False, gettext_lazy("Gelar depan, mis. dr.")),
        Column("gelar_belakang", False, gettext_lazy("Gelar belakang, mis. S.Kom.")),
        Column("status", True, gettext_lazy("Status kepegawaian."), "PNS, PPPK"),
        Column(
            "golongan",
            False,
            gettext_lazy("Golongan/ruang PNS (mis. III/b) atau golongan PPPK (mis. IX)."),
        ),
        Column("pangkat", False, gettext_lazy("Pangkat, mis. Penata Muda Tingkat I.")),
        Column("kode_jabatan", True, gettext_lazy("Kode jabatan yang diduduki.")),
        Column(
            "kode_unit", False, gettext_lazy("Kode unit kerja. Kosong: unit tempat jabatannya.")
        ),
        Column("email", False, gettext_lazy("Alamat email.")),
        Column("telepon", False, gettext_lazy("Nomor telepon.")),
        Column(
            "tmt_jabatan",
            False,
            gettext_lazy(
                "Tanggal mulai jabatan (mis. 2026-07-01). Jika jabatan berubah, jabatan lama "
                "berakhir sehari sebelumnya. Kosong: hari ini."
            ),
        ),
        Column(
            "kata_sandi_awal",
            False,
            gettext_lazy(
                "Kata sandi awal untuk akun BARU saja (min. 12 karakter). Kosong: admin "
                "menetapkan kata sandi nanti. Berkas dihapus setelah diterapkan."
            ),
        ),
    ],
}
# Fields compared to tell "changed" from "unchanged" (model field names).
UNIT_FIELDS = ["name", "kind", "parent", "is_independent"]
POSITION_FIELDS = ["name", "kind", "jenjang", "unit", "superior", "is_unit_head"]
EMPLOYEE_FIELDS = [
    "name",
    "front_title",
    "back_title",
    "status",
    "golongan",
    "pangkat",
    "position",
    "unit",
    "email",
    "phone",
]
MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 50
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_RATIO = 200  # per member bigger than 1 MB uncompressed
GOLONGAN_PNS = re.compile(r"^(I|II|III|IV)/[a-e]$")
GOLONGAN_PPPK = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$")
TEXT_COLUMNS = {"nip", "kode", "kode_induk", "kode_unit", "kode_atasan", "kode_jabatan", "telepon"}
PHONE = re.compile(r"^[0-9+()\-. ]{4,30}$")


class FileRejected(ValidationError):
    """The whole file is refused (wrong type, too big, zip bomb, empty...)."""


@dataclass
class RowError:
    kind: str
    row: int
    column: str
    message: str

    def as_dict(self):
        return {
            "sheet": SHEET_NAMES.get(self.kind, ""),
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Parsed:
    rows: dict = field(default_factory=lambda: {k: [] for k in KINDS})  # kind → [(row, {col: v})]
    errors: list = field(default_factory=list)

    @property
    def row_count(self):
        return sum(len(v) for v in self.rows.values())


# --- File checks ----------------------------------------------------------------


def max_unzipped_bytes():
    # A real 20,000-row workbook unzips to ~10 MB; this leaves a wide margin.
    return getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)


def check_file(path, original_name):
    """Return "xlsx" or "csv", or raise FileRejected with the reason."""
    path = Path(path)
    size = path.stat().st_size
    suffix = Path(original_name or "").suffix.lower()
    if size == 0:
        raise FileRejected(_("Berkas kosong (0 byte)."), code="empty")
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRejected(
            _("Berkas terlalu besar: %(size)s MB, maksimal %(max)s MB.")
            % {
                "size": round(size / 1048576, 1),
                "max": round(settings.IMPORT_MAX_BYTES / 1048576, 1),
            },
            code="too_big",
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    if suffix == ".xlsx":
        _check_xlsx(path)
        return "xlsx"
    if suffix == ".csv":
        kind = filetype.guess(head)
        if kind is not None or b"\x00" in head:
            raise FileRejected(
                _("Berkas .csv ini bukan teks (isinya %(kind)s). Simpan ulang sebagai CSV.")
                % {"kind": kind.extension if kind else _("biner")},
                code="wrong_type",
            )
        return "csv"
    if suffix == ".xls":
        raise FileRejected(
            _("Format .xls (Excel lama) tidak didukung. Simpan ulang sebagai .xlsx."),
            code="wrong_type",
        )
    raise FileRejected(
        _("Jenis berkas tidak didukung (%(ext)s). Unggah berkas .xlsx atau .csv.")
        % {"ext": suffix or _("tanpa ekstensi")},
        code="wrong_type",
    )


def _check_xlsx(path):
    if not zipfile.is_zipfile(path):
        raise FileRejected(
            _("Berkas ini bukan .xlsx yang sah: isinya bukan arsip Excel."), code="not_xlsx"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(
            _("Berkas ini bukan .xlsx yang sah: arsipnya rusak."), code="not_xlsx"
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRejected(_("Berkas .xlsx berisi terlalu banyak bagian."), code="zip_bomb")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > max_unzipped_bytes() or (member.file_size > 1048576 and ratio > MAX_ZIP_RATIO):
            raise FileRejected(
                _(
                    "Berkas .xlsx ini ditolak: isinya membengkak terlalu besar saat dibuka "
                    "(kemungkinan zip bomb)."
                ),
                code="zip_bomb",
            )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRejected(
            _("Berkas ini bukan spreadsheet Excel: bagian xl/workbook.xml tidak ada."),
            code="not_xlsx",
        )


# --- Parsing ---------------------------------------------------------------------


def _cell_text(value):
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


def _header_key(value):
    return _cell_text(value).lower().replace(" ", "_").strip("*")


def _read_table(kind, rows_iter, parsed, progress=None):
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
        record = {}
        for i, key in index:
            value = raw[i] if i < len(raw) else None
            if key == "nip" and isinstance(value, float):
                record[key] = _FloatNip(value)
            elif key == "tmt_jabatan" and isinstance(value, dt.datetime | dt.date):
                record[key] = value if type(value) is dt.date else value.date()
            else:
                record[key] = _cell_text(value)
        out.append((number, record))
        if progress and len(out) % 2000 == 0:
            progress(len(out))


class _FloatNip(str):
    """A NIP typed into a numeric cell: digits already lost."""


def parse_xlsx(path, progress=None) -> Parsed:
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


def parse_csv(path, kind, progress=None) -> Parsed:
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


def _require_rows(parsed):
    if not parsed.errors and parsed.row_count == 0:
        raise FileRejected(
            _("Berkas tidak berisi baris data (hanya judul kolom atau kosong)."), code="no_rows"
        )


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(path, file_format):
    """Roughly how many rows, cheaply (for the progress bar): the sheets'
    declared dimensions, or the CSV's line count."""
    try:
        if file_format == "csv":
            return Path(path).read_bytes().count(b"\n")
        total = 0
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    with archive.open(name) as fh:
                        match = DIMENSION.search(fh.read(4096))
                    total += int(match.group(1)) if match else 0
        return total
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0


def parse_file(path, file_format, csv_kind="", progress=None) -> Parsed:
    if file_format == "xlsx":
        return parse_xlsx(path, progress)
    return parse_csv(path, csv_kind, progress)


# --- Validation and the plan -------------------------------------------------------


@dataclass
class Change:
    kind: str
    row: int
    key: str
    obj: object  # unsaved/new or existing model instance (already modified)
    before: dict | None  # None for new rows
    after: dict
    refs: dict = field(default_factory=dict)  # code references resolved at write time


@dataclass
class Plan:
    agency: object
    today: dt.date
    errors: list = field(default_factory=list)
    units: list = field(default_factory=list)  # [Change] new or changed
    positions: list = field(default_factory=list)
    employees: list = field(default_factory=list)
    passwords: dict = field(default_factory=dict)  # nip → initial password (new accounts)
    moves: dict = field(default_factory=dict)  # nip → (start, open assignment or None)
    counts: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors


def _norm_choice(value, choices):
    """Accept a code ("jpt_pratama") or a label ("JPT Pratama"), case-insensitively."""
    key = value.strip().lower()
    for code, label in choices:
        if key in (code, str(label).lower(), str(label).lower().replace(" ", "_")):
            return code
    return None


TRUE = {"ya", "y", "1", "true", "benar"}
FALSE = {"tidak", "t", "0", "false", "salah", "", "tdk", "n", "no"}


def _parse_bool(value):
    key = value.strip().lower()
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    return None


def _parse_date(value):
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _Rows:
    """Collects errors for one sheet."""

    def __init__(self, plan, kind):
        self.plan, self.kind = plan, kind

    def error(self, row, column, message):
        self.plan.errors.append(RowError(self.kind, row, column, message))


def _check_len(sheet, row, record, column, limit):
    if len(record.get(column, "")) > limit:
        sheet.error(row, column, _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": limit})
        return False
    return True


def _find_cycles(parent_of):
    """parent_of: {code: parent_code or None}. Returns the set of codes on a cycle."""
    state, on_cycle = {}, set()
    for start in parent_of:
        trail, node = [], start
        while node is not None and node in parent_of and node not in state:
            state[node] = start
            trail.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == start:
            on_cycle.update(trail[trail.index(node) :])
    return on_cycle


def build_plan(agency, parsed, *, today=None) -> Plan:
    """Validate every row against the file and the agency's data and work out
    what would change. Reads only, in a fixed number of queries."""
    today = today or timezone.localdate()
    plan = Plan(agency=agency, today=today, errors=list(parsed.errors))
    units = {u.code: u for u in OrgUnit.objects.filter(agency=agency)}
    unit_code_by_id = {u.pk: code for code, u in units.items()}
    positions = {p.code: p for p in Position.objects.filter(agency=agency)}
    position_code_by_id = {p.pk: code for code, p in positions.items()}
    file_units = _plan_units(plan, parsed.rows[UNIT], units, unit_code_by_id)
    file_positions = _plan_positions(
        plan, parsed.rows[JABATAN], positions, position_code_by_id, units, file_units
    )
    _plan_employees(plan, parsed.rows[PEGAWAI], units, positions, file_units, file_positions)
    plan.errors.sort(key=lambda e: (KINDS.index(e.kind), e.row))
    return plan


def _duplicate(sheet, seen, key, row, column, label):
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


def _plan_units(plan, rows, units, unit_code_by_id):
    sheet = _Rows(plan, UNIT)
    seen, file_units = {}, {}
    for row, r in rows:
        code = r.get("kode", "")
        bad = False
        if not code:
            sheet.error(row, "kode", _("Wajib diisi."))
            continue
        if not _check_len(sheet, row, r, "kode", 40):
            continue
        if _duplicate(sheet, seen, code, row, "kode", _("Kode unit")):
            continue
        if not r.get("nama"):
            sheet.error(row, "nama", _("Wajib diisi."))
            bad = True
        bad |= not _check_len(sheet, row, r, "nama", 200)
        kind = _norm_choice(r.get("jenis", ""), OrgUnit.Kind.choices)
        if kind is None:
            sheet.error(
                row,
                "jenis",
                _('Jenis unit "%(value)s" tidak dikenal. Pilihan: %(choices)s.')
                % {"value": r.get("jenis", ""), "choices": _choices_text(OrgUnit.Kind.choices)},
            )
            bad = True
        independent = _parse_bool(r.get("unit_mandiri", ""))
        if independent is None:
            sheet.error(row, "unit_mandiri", _("Isi dengan ya atau tidak."))
            bad = True
        if not bad:
            file_units[code] = (row, r, kind, independent)
    # Parents: in the file or in the database.
    parent_of = {code: unit_code_by_id.get(u.parent_id) for code, u in units.items()}
    valid = {}
    for code, (row, r, kind, independent) in file_units.items():
        parent = r.get("kode_induk", "") or None
        if parent is not None and parent not in file_units and parent not in units:
            if parent in seen:  # in the file but its row has errors of its own
                message = _("Unit induk %(code)s ada di berkas tetapi barisnya salah.")
            else:
                message = _(
                    "Unit induk dengan kode %(code)s tidak ada di berkas maupun di data instansi."
                )
            sheet.error(row, "kode_induk", message % {"code": parent})
            continue
        parent_of[code] = parent
        valid[code] = (row, r, kind, independent, parent)
    for code in sorted(_find_cycles(parent_of) & set(valid), key=lambda c: valid[c][0]):
        sheet.error(
            valid[code][0],
            "kode_induk",
            _("Struktur melingkar: unit %(code)s menjadi induk bagi dirinya sendiri.")
            % {"code": code},
        )
        del valid[code]
    counts = {"baru": 0, "berubah": 0, "tetap": 0}
    for code, (row, r, kind, independent, parent) in valid.items():
        existing = units.get(code)
        after = {
            "name": r["nama"],
            "kind": kind,
            "parent": parent,
            "is_independent": independent,
        }
        if existing is None:
            obj = OrgUnit(agency=plan.agency, code=code, name=after["name"], kind=kind)
            obj.is_independent = independent
            plan.units.append(Change(UNIT, row, code, obj, None, after, {"parent": parent}))
            counts["baru"] += 1
            continue
        before = {
            "name": existing.name,
            "kind": existing.kind,
            "parent": unit_code_by_id.get(existing.parent_id),
            "is_independent": existing.is_independent,
        }
        if before == after:
            counts["tetap"] += 1
            continue
        existing.name, existing.kind = after["name"], kind
        existing.is_independent = independent
        plan.units.append(Change(UNIT, row, code, existing, before, after, {"parent": parent}))
        counts["berubah"] += 1
    plan.counts[UNIT] = counts
    # code → row is valid; rows with errors stay "in the file" so that rows
    # naming them get a precise message instead of "not found".
    return {code: code in valid for code in seen}


def _plan_positions(plan, rows, positions, position_code_by_id, units, file_units):
    sheet = _Rows(plan, JABATAN)
    unit_code_by_id = {u.pk: code for code, u in units.items()}
    seen, candidates = {}, {}
    for row, r in rows:
        code = r.get("kode", "")
        if not code:
            sheet.error(row, "kode", _("Wajib diisi."))
            continue
        if not _check_len(sheet, row, r, "kode", 40):
            continue
        if _duplicate(sheet, seen, code, row, "kode", _("Kode jabatan")):
            continue
        bad = False
        if not r.get("nama"):
            sheet.error(row, "nama", _("Wajib diisi."))
            bad = True
        bad |= not _check_len(sheet, row, r, "nama", 200)
        kind = _norm_choice(r.get("jenis", ""), Position.Kind.choices)
        if kind is None:
            sheet.error(
                row,
                "jenis",
                _('Jenis jabatan "%(value)s" tidak dikenal. Pilihan: %(choices)s.')
                % {"value": r.get("jenis", ""), "choices": _choices_text(Position.Kind.choices)},
            )
            bad = True
        jenjang = ""
        if r.get("jenjang"):
            jenjang = _norm_choice(r["jenjang"], Position.Jenjang.choices)
            if jenjang is None:
                sheet.error(
                    row,
                    "jenjang",
                    _('Jenjang "%(value)s" tidak dikenal. Pilihan: %(choices)s.')
                    % {
                        "value": r["jenjang"],
                        "choices": _choices_text(Position.Jenjang.choices),
                    },
                )
                bad = True
        if kind == Position.Kind.FUNGSIONAL and not r.get("jenjang"):
            sheet.error(row, "jenjang", _("Jabatan fungsional harus punya jenjang."))
            bad = True
        elif kind and kind != Position.Kind.FUNGSIONAL and r.get("jenjang"):
            sheet.error(row, "jenjang", _("Jenjang hanya untuk jabatan fungsional."))
            bad = True
        unit_code = r.get("kode_unit", "")
        if not unit_code:
            sheet.error(row, "kode_unit", _("Wajib diisi."))
            bad = True
        elif unit_code in file_units and not file_units[unit_code]:
            sheet.error(
                row,
                "kode_unit",
                _("Unit kerja %(code)s ada di berkas tetapi barisnya salah.") % {"code": unit_code},
            )
            bad = True
        elif unit_code not in units and unit_code not in file_units:
            sheet.error(
                row,
                "kode_unit",
                _("Unit kerja dengan kode %(code)s tidak ditemukan.") % {"code": unit_code},
            )
            bad = True
        head = _parse_bool(r.get("kepala_unit", ""))
        if head is None:
            sheet.error(row, "kepala_unit", _("Isi dengan ya atau tidak."))
            bad = True
        if not bad:
            candidates[code] = (row, r, kind, jenjang or "", unit_code, head)
    superior_of = {code: position_code_by_id.get(p.superior_id) for code, p in positions.items()}
    valid = {}
    for code, (row, r, kind, jenjang, unit_code, head) in candidates.items():
        superior = r.get("kode_atasan", "") or None
        if superior is not None and superior not in candidates and superior not in positions:
            if superior in seen:  # in the file but the row has errors of its own
                message = _("Jabatan atasan %(code)s ada di berkas tetapi barisnya salah.")
            else:
                message = _(
                    "Jabatan atasan dengan kode %(code)s tidak ada di berkas maupun di data "
                    "instansi."
                )
            sheet.error(row, "kode_atasan", message % {"code": superior})
            continue
        superior_of[code] = superior
        valid[code] = (row, r, kind, jenjang, unit_code, head, superior)
    for code in sorted(_find_cycles(superior_of) & set(valid), key=lambda c: valid[c][0]):
        sheet.error(
            valid[code][0],
            "kode_atasan",
            _("Struktur melingkar: jabatan %(code)s menjadi atasan bagi dirinya sendiri.")
            % {"code": code},
        )
        del valid[code]
    counts = {"baru": 0, "berubah": 0, "tetap": 0}
    for code, (row, r, kind, jenjang, unit_code, head, superior) in valid.items():
        after = {
            "name": r["nama"],
            "kind": kind,
            "jenjang": jenjang,
            "unit": unit_code,
            "superior": superior,
            "is_unit_head": head,
        }
        refs = {"unit": unit_code, "superior": superior}
        existing = positions.get(code)
        if existing is None:
            obj = Position(
                agency=plan.agency,
                code=code,
                name=after["name"],
                kind=kind,
                jenjang=jenjang,
                is_unit_head=head,
            )
            plan.positions.append(Change(JABATAN, row, code, obj, None, after, refs))
            counts["baru"] += 1
            continue
        before = {
            "name": existing.name,
            "kind": existing.kind,
            "jenjang": existing.jenjang,
            "unit": unit_code_by_id.get(existing.unit_id),
            "superior": position_code_by_id.get(existing.superior_id),
            "is_unit_head": existing.is_unit_head,
        }
        if before == after:
            counts["tetap"] += 1
            continue
        existing.name, existing.kind, existing.jenjang = after["name"], kind, jenjang
        existing.is_unit_head = head
        plan.positions.append(Change(JABATAN, row, code, existing, before, after, refs))
        counts["berubah"] += 1
    plan.counts[JABATAN] = counts
    return {code: (code in valid) for code in seen}


def _existing_by_nip(nips):
    """Employees and bare accounts for these NIPs, across agencies (NIP is
    national): chunked so SQLite's parameter limit is never reached."""
    employees, usernames = {}, set()
    nips = list(nips)
    for i in range(0, len(nips), 900):
        chunk = nips[i : i + 900]
        for employee in Employee.objects.filter(nip__in=chunk):
            employees[employee.nip] = employee
        usernames.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    return employees, usernames


def _plan_employees(plan, rows, units, positions, file_units, file_positions):
    sheet = _Rows(plan, PEGAWAI)
    unit_code_by_id = {u.pk: code for code, u in units.items()}
    position_code_by_id = {p.pk: code for code, p in positions.items()}
    position_unit = {code: unit_code_by_id.get(p.unit_id) for code, p in positions.items()}
    for change in plan.positions:
        position_unit[change.key] = change.refs["unit"]
    seen, candidates = {}, []
    for row, r in rows:
        raw_nip = r.get("nip", "")
        if isinstance(raw_nip, _FloatNip):
            sheet.error(
                row,
                "nip",
                _(
                    "NIP tertulis sebagai angka sehingga digitnya hilang. "
                    "Format kolom NIP sebagai Teks."
                ),
            )
            continue
        if not raw_nip:
            sheet.error(row, "nip", _("Wajib diisi."))
            continue
        try:
            info = parse_nip(raw_nip, today=plan.today)
        except ValidationError as exc:
            sheet.error(row, "nip", exc.messages[0])
            continue
        if _duplicate(sheet, seen, info.nip, row, "nip", "NIP"):
            continue
        candidates.append((row, r, info))
    existing, usernames = _existing_by_nip(info.nip for _row, _r, info in candidates)
    open_assignments = {
        a.employee_id: a
        for a in PositionAssignment.objects.filter(
            agency=plan.agency, kind=PositionAssignment.Kind.DEFINITIF, end__isnull=True
        ).order_by("start", "pk")
    }
    counts = {"baru": 0, "berubah": 0, "tetap": 0}
    for row, r, info in candidates:
        bad = False

        def err(column, message, row=row):
            nonlocal bad
            sheet.error(row, column, message)
            bad = True

        if not r.get("nama"):
            err("nama", _("Wajib diisi."))
        for column, limit in (
            ("nama", 200),
            ("gelar_depan", 40),
            ("gelar_belakang", 60),
            ("pangkat", 60),
        ):
            if len(r.get(column, "")) > limit:
                err(column, _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": limit})
        status = {"pns": "pns", "pppk": "pppk"}.get(r.get("status", "").strip().lower())
        if status is None:
            err("status", _("Status harus PNS atau PPPK."))
        elif status == "pns" and info.is_pppk:
            err("status", _("NIP ini berkode PPPK (bulan TMT 21) tetapi status tertulis PNS."))
        elif status == "pppk" and not info.is_pppk:
            err("status", _("Status PPPK tetapi NIP ini berkode PNS (bulan TMT bukan 21)."))
        golongan = r.get("golongan", "")
        if golongan and status:
            pattern = GOLONGAN_PNS if status == "pns" else GOLONGAN_PPPK
            if not pattern.match(golongan):
                err(
                    "golongan",
                    _('Golongan "%(value)s" tidak sah untuk %(status)s (contoh: %(example)s).')
                    % {
                        "value": golongan,
                        "status": status.upper(),
                        "example": "III/b" if status == "pns" else "IX",
                    },
                )
        position_code = r.get("kode_jabatan", "")
        if not position_code:
            err("kode_jabatan", _("Wajib diisi."))
        elif position_code in file_positions and not file_positions[position_code]:
            err(
                "kode_jabatan",
                _("Jabatan %(code)s ada di berkas tetapi barisnya salah.")
                % {"code": position_code},
            )
        elif position_code not in positions and position_code not in file_positions:
            err(
                "kode_jabatan",
                _("Jabatan dengan kode %(code)s tidak ditemukan.") % {"code": position_code},
            )
        unit_code = r.get("kode_unit", "") or position_unit.get(position_code)
        if r.get("kode_unit") and file_units.get(unit_code) is False:
            err(
                "kode_unit",
                _("Unit kerja %(code)s ada di berkas tetapi barisnya salah.") % {"code": unit_code},
            )
        elif r.get("kode_unit") and unit_code not in units and unit_code not in file_units:
            err(
                "kode_unit",
                _("Unit kerja dengan kode %(code)s tidak ditemukan.") % {"code": unit_code},
            )
        email = r.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                err("email", _("Alamat email tidak sah."))
        phone = r.get("telepon", "")
        if phone and not PHONE.match(phone):
            err("telepon", _("Nomor telepon tidak sah."))
        start = None
        if r.get("tmt_jabatan"):
            start = _parse_date(r["tmt_jabatan"])
            if start is None:
                err("tmt_jabatan", _("Tanggal tidak sah (contoh: 2026-07-01)."))
            elif start < info.birth_date or start > plan.today + dt.timedelta(days=366):
                err("tmt_jabatan", _("Tanggal di luar rentang yang masuk akal."))
        employee = existing.get(info.nip)
        if employee is not None and employee.agency_id != plan.agency.pk:
            err("nip", _("NIP %(nip)s sudah terdaftar di instansi lain.") % {"nip": info.nip})
            continue
        if employee is not None and not employee.is_active:
            err(
                "nip",
                _("Pegawai dengan NIP %(nip)s sudah tidak aktif; impor tidak mengaktifkan kembali.")
                % {"nip": info.nip},
            )
            continue
        password = r.get("kata_sandi_awal", "")
        if employee is None and info.nip in usernames:
            err("nip", _("Akun dengan nama pengguna %(nip)s sudah ada.") % {"nip": info.nip})
        if employee is None and password:
            try:
                validate_password(password, User(username=info.nip))
            except ValidationError as exc:
                # Never echo the password itself.
                err("kata_sandi_awal", " ".join(exc.messages))
        if bad:
            continue
        after = {
            "name": r["nama"],
            "front_title": r.get("gelar_depan", ""),
            "back_title": r.get("gelar_belakang", ""),
            "status": status,
            "golongan": golongan,
            "pangkat": r.get("pangkat", ""),
            "position": position_code,
            "unit": unit_code,
            "email": email,
            "phone": phone,
        }
        refs = {"position": position_code, "unit": unit_code}
        if employee is None:
            obj = Employee(
                agency=plan.agency,
                nip=info.nip,
                gender=info.gender,
                birth_date=info.birth_date,
                active_from=start or plan.today,
                **{k: v for k, v in after.items() if k not in ("position", "unit")},
            )
            plan.employees.append(Change(PEGAWAI, row, info.nip, obj, None, after, refs))
            plan.moves[info.nip] = (start or plan.today, None)
            if password:
                plan.passwords[info.nip] = password
            counts["baru"] += 1
            continue
        before = {
            name: getattr(employee, name)
            for name in EMPLOYEE_FIELDS
            if name not in ("position", "unit")  # by code, without a query per row
        }
        before["position"] = position_code_by_id.get(employee.position_id)
        before["unit"] = unit_code_by_id.get(employee.unit_id)
        if before == after:
            counts["tetap"] += 1
            continue
        if (before["position"], before["unit"]) != (position_code, unit_code):
            current = open_assignments.get(employee.pk)
            move_start = start or plan.today
            if current is not None and move_start <= current.start:
                sheet.error(
                    row,
                    "tmt_jabatan",
                    _(
                        "TMT jabatan baru (%(new)s) harus sesudah TMT jabatan sekarang "
                        "(%(current)s)."
                    )
                    % {"new": move_start.isoformat(), "current": current.start.isoformat()},
                )
                continue
            plan.moves[info.nip] = (move_start, current)
        for name, value in after.items():
            if name not in ("position", "unit"):
                setattr(employee, name, value)
        plan.employees.append(Change(PEGAWAI, row, info.nip, employee, before, after, refs))
        counts["berubah"] += 1
    plan.counts[PEGAWAI] = counts


def preview(plan) -> dict:
    """A JSON-able summary for the page: counts per kind and the first changes."""
    samples = {}
    for kind, changes in ((UNIT, plan.units), (JABATAN, plan.positions), (PEGAWAI, plan.employees)):
        items = []
        for change in changes[:PREVIEW_ROWS]:
            if change.before is None:
                fields = [[k, None, v] for k, v in change.after.items()]
            else:
                fields = [
                    [k, change.before.get(k), v]
                    for k, v in change.after.items()
                    if change.before.get(k) != v
                ]
            items.append(
                {
                    "row": change.row,
                    "key": change.key,
                    "action": "baru" if change.before is None else "berubah",
                    "fields": fields,
                }
            )
        samples[kind] = items
    counts = {k: plan.counts.get(k, {"baru": 0, "berubah": 0, "tetap": 0}) for k in KINDS}
    return {"counts": counts, "samples": samples, "passwords": len(plan.passwords)}


def errors_json(errors):
    return [e.as_dict() for e in errors[:MAX_STORED_ERRORS]]


# --- The template ------------------------------------------------------------------


def template_workbook():
    """An empty workbook in the documented layout with a "Petunjuk" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = "Petunjuk"
    bold = Font(bold=True)
    guide.append([_("Petunjuk impor data unit kerja, jabatan, dan pegawai")])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Isi lembar Unit, Jabatan, dan Pegawai mulai baris 2. Jangan ubah judul kolom."),
        _("Kolom bertanda * wajib diisi. Lembar yang tidak dipakai boleh dibiarkan kosong."),
        _(
            "Data dicocokkan dengan kode (unit, jabatan) dan NIP (pegawai): baris yang sudah ada "
            "diperbarui, yang belum ada ditambahkan, yang tidak ada di berkas tidak diubah."
        ),
        _("Sel kosong pada kolom tidak wajib mengosongkan data tersebut."),
        _("Tulis NIP sebagai teks (kolom NIP di templat ini sudah berformat teks)."),
        _(
            "Setelah diunggah, berkas diperiksa dulu (uji coba) dan tidak ada yang disimpan "
            "sampai Anda menekan Terapkan. Jika ada satu kesalahan, tidak ada yang disimpan."
        ),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Lembar"), _("Kolom"), _("Wajib"), _("Keterangan"), _("Nilai yang boleh")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for kind in KINDS:
        for column in COLUMNS[kind]:
            guide.append(
                [
                    SHEET_NAMES[kind],
                    column.name,
                    _("ya") if column.required else _("tidak"),
                    str(column.help),
                    column.allowed,
                ]
            )
    for letter, width in zip("ABCDE", (10, 18, 8, 80, 60), strict=True):
        guide.column_dimensions[letter].width = width
    for kind in KINDS:
        sheet = wb.create_sheet(SHEET_NAMES[kind])
        sheet.append([c.name for c in COLUMNS[kind]])
        for i, column in enumerate(COLUMNS[kind]):
            cell = sheet.cell(row=1, column=i + 1)
            cell.font = bold
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
            if column.name in TEXT_COLUMNS:
                sheet.column_dimensions[letter].number_format = "@"
            if column.allowed and len(column.allowed) < 250:
                validation = DataValidation(
                    type="list",
                    formula1='"' + column.allowed.replace(" / ", ",").replace(", ", ",") + '"',
                    allow_blank=not column.required,
                )
                validation.add(f"{letter}2:{letter}5001")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    return wb
