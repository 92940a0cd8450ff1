"""Validation of every row against the file and the agency's data, and the
plan of what would change. Reads only, in a fixed number of queries: the
writes are in `apply`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Agency, Employee, OrgUnit, Position, PositionAssignment, User
from ..nip import NipInfo, parse_nip
from .layout import EMPLOYEE_FIELDS, JABATAN, KINDS, PEGAWAI, UNIT
from .parsing import FloatNip, Parsed, Record, RowError
from .validation import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    PHONE,
    SheetErrors,
    check_choice,
    check_length,
    find_cycles,
    parse_bool,
    parse_date,
    report_duplicate,
)

MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 50
# The agency's codes by primary key (a missing link, None, has no code).
CodeById = dict[int | None, str]
# The codes of a sheet's rows: True for a valid row, False for a row with
# errors (so that rows naming it get a precise message).
InFile = dict[str | None, bool]


@dataclass
class Change:
    kind: str
    row: int
    key: str
    instance: Any  # a new (unsaved) or existing model instance, already modified
    before: dict[str, Any] | None  # None for new rows
    after: dict[str, Any]
    refs: dict[str, str | None] = field(default_factory=dict)  # codes resolved at write time

    def code(self, name: str) -> str:
        """A reference every row of its sheet has (a position's unit...)."""
        value = self.refs[name]
        assert value is not None, name
        return value


@dataclass
class Plan:
    agency: Agency
    today: dt.date
    errors: list[RowError] = field(default_factory=list)
    units: list[Change] = field(default_factory=list)  # new or changed
    positions: list[Change] = field(default_factory=list)
    employees: list[Change] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)  # nip → initial password (new accounts)
    # nip → (start, open assignment or None)
    moves: dict[str, tuple[dt.date, PositionAssignment | None]] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def build_plan(agency: Agency, parsed: Parsed, *, today: dt.date | None = None) -> Plan:
    """Validate every row against the file and the agency's data and work out
    what would change. Reads only, in a fixed number of queries."""
    today = today or timezone.localdate()
    plan = Plan(agency=agency, today=today, errors=list(parsed.errors))
    units = {u.code: u for u in OrgUnit.objects.filter(agency=agency)}
    unit_code_by_id: CodeById = {u.pk: code for code, u in units.items()}
    positions = {p.code: p for p in Position.objects.filter(agency=agency)}
    position_code_by_id: CodeById = {p.pk: code for code, p in positions.items()}
    file_units = _plan_units(plan, parsed.rows[UNIT], units, unit_code_by_id)
    file_positions = _plan_positions(
        plan, parsed.rows[JABATAN], positions, position_code_by_id, units, file_units
    )
    _plan_employees(plan, parsed.rows[PEGAWAI], units, positions, file_units, file_positions)
    plan.errors.sort(key=lambda e: (KINDS.index(e.kind), e.row))
    return plan


def _new_counts() -> dict[str, int]:
    return {"baru": 0, "berubah": 0, "tetap": 0}


def _code_and_name(
    sheet: SheetErrors, seen: dict[str, int], row: int, record: Record, label: str
) -> tuple[str | None, bool]:
    """A unit's or position's code, and whether the row is wrong. No code (a
    missing, too long or repeated one) leaves the row out of the plan, but
    its other cells are still checked, so that every error of a row is
    reported at once."""
    code: str | None = record.get("kode", "")
    if not code:
        sheet.error(row, "kode", _("Wajib diisi."))
        code = None
    elif not check_length(sheet, row, record, "kode", 40) or report_duplicate(
        sheet, seen, code, row, "kode", label
    ):
        code = None
    bad = code is None
    if not record.get("nama"):
        sheet.error(row, "nama", _("Wajib diisi."))
        bad = True
    bad |= not check_length(sheet, row, record, "nama", 200)
    return code, bad


def _link_parents(
    sheet: SheetErrors,
    candidates: dict[str, tuple[Any, ...]],
    parent_of: dict[str, str | None],
    existing: Iterable[str],
    seen: dict[str, int],
    *,
    column: str,
    row_is_wrong: str,
    not_found: str,
    cycle: str,
) -> dict[str, tuple[Any, ...]]:
    """The candidates whose parent (unit induk, jabatan atasan: the code in
    `column`) is in the file or the agency's data and on no cycle, each with
    the parent's code appended. `parent_of` starts as the agency's links."""
    valid = {}
    for code, candidate in candidates.items():
        row, record = candidate[0], candidate[1]
        parent = record.get(column, "") or None
        if parent is not None and parent not in candidates and parent not in existing:
            # In the file but its row has errors of its own, or nowhere.
            message = row_is_wrong if parent in seen else not_found
            sheet.error(row, column, message % {"code": parent})
            continue
        parent_of[code] = parent
        valid[code] = (*candidate, parent)
    for code in sorted(find_cycles(parent_of) & set(valid), key=lambda c: valid[c][0]):
        sheet.error(valid[code][0], column, cycle % {"code": code})
        del valid[code]
    return valid


def _check_unknown_parents(
    sheet: SheetErrors,
    wrong: list[tuple[int, Record]],
    seen: dict[str, int],
    existing: Iterable[str],
    *,
    column: str,
    not_found: str,
) -> None:
    """For rows already wrong for another reason: also report a parent (unit
    induk, jabatan atasan) that is nowhere, so that the row's errors come at once."""
    existing = set(existing)
    for row, record in wrong:
        parent = record.get(column, "") or None
        if parent is not None and parent not in seen and parent not in existing:
            sheet.error(row, column, not_found % {"code": parent})


def _plan_units(
    plan: Plan,
    rows: list[tuple[int, Record]],
    units: dict[str, OrgUnit],
    unit_code_by_id: CodeById,
) -> InFile:
    sheet = SheetErrors(plan.errors, UNIT)
    seen: dict[str, int] = {}
    file_units: dict[str, tuple[Any, ...]] = {}
    wrong: list[tuple[int, Record]] = []
    for row, cells in rows:
        code, bad = _code_and_name(sheet, seen, row, cells, _("Kode unit"))
        kind = check_choice(
            sheet,
            row,
            cells,
            "jenis",
            OrgUnit.Kind.choices,
            _('Jenis unit "%(value)s" tidak dikenal. Pilihan: %(choices)s.'),
        )
        bad |= kind is None
        independent = parse_bool(cells.get("unit_mandiri", ""))
        if independent is None:
            sheet.error(row, "unit_mandiri", _("Isi dengan ya atau tidak."))
            bad = True
        if code is not None and not bad:
            file_units[code] = (row, cells, kind, independent)
        else:
            wrong.append((row, cells))
    # Parents: in the file or in the database.
    valid = _link_parents(
        sheet,
        file_units,
        {code: unit_code_by_id.get(u.parent_id) for code, u in units.items()},
        units,
        seen,
        column="kode_induk",
        row_is_wrong=_("Unit induk %(code)s ada di berkas tetapi barisnya salah."),
        not_found=_("Unit induk dengan kode %(code)s tidak ada di berkas maupun di data instansi."),
        cycle=_("Struktur melingkar: unit %(code)s menjadi induk bagi dirinya sendiri."),
    )
    _check_unknown_parents(
        sheet,
        wrong,
        seen,
        units,
        column="kode_induk",
        not_found=_("Unit induk dengan kode %(code)s tidak ada di berkas maupun di data instansi."),
    )
    counts = _new_counts()
    for code, (row, cells, kind, independent, parent) in valid.items():
        existing = units.get(code)
        after = {
            "name": cells["nama"],
            "kind": kind,
            "parent": parent,
            "is_independent": independent,
        }
        if existing is None:
            new = OrgUnit(agency=plan.agency, code=code, name=after["name"], kind=kind)
            new.is_independent = independent
            plan.units.append(Change(UNIT, row, code, new, None, after, {"parent": parent}))
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
    in_file: InFile = {code: code in valid for code in seen}
    return in_file


def _plan_positions(
    plan: Plan,
    rows: list[tuple[int, Record]],
    positions: dict[str, Position],
    position_code_by_id: CodeById,
    units: dict[str, OrgUnit],
    file_units: InFile,
) -> InFile:
    sheet = SheetErrors(plan.errors, JABATAN)
    unit_code_by_id: CodeById = {u.pk: code for code, u in units.items()}
    seen: dict[str, int] = {}
    candidates: dict[str, tuple[Any, ...]] = {}
    wrong: list[tuple[int, Record]] = []
    for row, cells in rows:
        code, bad = _code_and_name(sheet, seen, row, cells, _("Kode jabatan"))
        kind = check_choice(
            sheet,
            row,
            cells,
            "jenis",
            Position.Kind.choices,
            _('Jenis jabatan "%(value)s" tidak dikenal. Pilihan: %(choices)s.'),
        )
        bad |= kind is None
        jenjang: str | None = ""
        if cells.get("jenjang"):
            jenjang = check_choice(
                sheet,
                row,
                cells,
                "jenjang",
                Position.Jenjang.choices,
                _('Jenjang "%(value)s" tidak dikenal. Pilihan: %(choices)s.'),
            )
            bad |= jenjang is None
        if kind == Position.Kind.FUNGSIONAL and not cells.get("jenjang"):
            sheet.error(row, "jenjang", _("Jabatan fungsional harus punya jenjang."))
            bad = True
        elif kind and kind != Position.Kind.FUNGSIONAL and cells.get("jenjang"):
            sheet.error(row, "jenjang", _("Jenjang hanya untuk jabatan fungsional."))
            bad = True
        unit_code = cells.get("kode_unit", "")
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
        head = parse_bool(cells.get("kepala_unit", ""))
        if head is None:
            sheet.error(row, "kepala_unit", _("Isi dengan ya atau tidak."))
            bad = True
        if code is not None and not bad:
            candidates[code] = (row, cells, kind, jenjang or "", unit_code, head)
        else:
            wrong.append((row, cells))
    valid = _link_parents(
        sheet,
        candidates,
        {code: position_code_by_id.get(p.superior_id) for code, p in positions.items()},
        positions,
        seen,
        column="kode_atasan",
        row_is_wrong=_("Jabatan atasan %(code)s ada di berkas tetapi barisnya salah."),
        not_found=_(
            "Jabatan atasan dengan kode %(code)s tidak ada di berkas maupun di data instansi."
        ),
        cycle=_("Struktur melingkar: jabatan %(code)s menjadi atasan bagi dirinya sendiri."),
    )
    _check_unknown_parents(
        sheet,
        wrong,
        seen,
        positions,
        column="kode_atasan",
        not_found=_(
            "Jabatan atasan dengan kode %(code)s tidak ada di berkas maupun di data instansi."
        ),
    )
    counts = _new_counts()
    for code, (row, cells, kind, jenjang, unit_code, head, superior) in valid.items():
        after = {
            "name": cells["nama"],
            "kind": kind,
            "jenjang": jenjang,
            "unit": unit_code,
            "superior": superior,
            "is_unit_head": head,
        }
        refs = {"unit": unit_code, "superior": superior}
        existing = positions.get(code)
        if existing is None:
            new = Position(
                agency=plan.agency,
                code=code,
                name=after["name"],
                kind=kind,
                jenjang=jenjang,
                is_unit_head=head,
            )
            plan.positions.append(Change(JABATAN, row, code, new, None, after, refs))
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
    in_file: InFile = {code: code in valid for code in seen}
    return in_file


def _existing_by_nip(nips: Iterable[str]) -> tuple[dict[str, Employee], set[str]]:
    """Employees and bare accounts for these NIPs, across agencies (NIP is
    national): chunked so SQLite's parameter limit is never reached."""
    employees: dict[str, Employee] = {}
    usernames: set[str] = set()
    nips = list(nips)
    for i in range(0, len(nips), 900):
        chunk = nips[i : i + 900]
        for employee in Employee.objects.filter(nip__in=chunk):
            employees[employee.nip] = employee
        usernames.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    return employees, usernames


def _nip_info(
    sheet: SheetErrors, seen: dict[str, int], row: int, cells: Record, today: dt.date
) -> NipInfo | None:
    """The facts of the row's NIP, or None after recording why it is wrong."""
    raw_nip = cells.get("nip", "")
    if isinstance(raw_nip, FloatNip):
        sheet.error(
            row,
            "nip",
            _(
                "NIP tertulis sebagai angka sehingga digitnya hilang. "
                "Format kolom NIP sebagai Teks."
            ),
        )
        return None
    if not raw_nip:
        sheet.error(row, "nip", _("Wajib diisi."))
        return None
    try:
        info = parse_nip(raw_nip, today=today)
    except ValidationError as exc:
        sheet.error(row, "nip", exc.messages[0])
        return None
    if report_duplicate(sheet, seen, info.nip, row, "nip", "NIP"):
        return None
    return info


def _plan_employees(
    plan: Plan,
    rows: list[tuple[int, Record]],
    units: dict[str, OrgUnit],
    positions: dict[str, Position],
    file_units: InFile,
    file_positions: InFile,
) -> None:
    sheet = SheetErrors(plan.errors, PEGAWAI)
    unit_code_by_id: CodeById = {u.pk: code for code, u in units.items()}
    position_code_by_id: CodeById = {p.pk: code for code, p in positions.items()}
    position_unit: dict[str, str | None] = {
        code: unit_code_by_id.get(p.unit_id) for code, p in positions.items()
    }
    for change in plan.positions:
        position_unit[change.key] = change.refs["unit"]
    seen: dict[str, int] = {}
    # Every row, with its NIP's facts, or None when the NIP is wrong (the row's
    # other cells are still checked, so that all its errors are reported).
    candidates: list[tuple[int, Record, NipInfo | None]] = []
    for row, cells in rows:
        candidates.append((row, cells, _nip_info(sheet, seen, row, cells, plan.today)))
    existing, usernames = _existing_by_nip(
        info.nip for _row, _r, info in candidates if info is not None
    )
    open_assignments = {
        a.employee_id: a
        for a in PositionAssignment.objects.filter(
            agency=plan.agency, kind=PositionAssignment.Kind.DEFINITIF, end__isnull=True
        ).order_by("start", "pk")
    }
    counts = _new_counts()
    for row, cells, info in candidates:
        bad = info is None

        def err(column: str, message: str, row: int = row) -> None:
            nonlocal bad
            sheet.error(row, column, message)
            bad = True

        if not cells.get("nama"):
            err("nama", _("Wajib diisi."))
        for column, limit in (
            ("nama", 200),
            ("gelar_depan", 40),
            ("gelar_belakang", 60),
            ("pangkat", 60),
        ):
            if len(cells.get(column, "")) > limit:
                err(column, _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": limit})
        status = {"pns": "pns", "pppk": "pppk"}.get(cells.get("status", "").strip().lower())
        if status is None:
            err("status", _("Status harus PNS atau PPPK."))
        elif info is None:
            pass  # the NIP's own error is reported; its PPPK code is unknown
        elif status == "pns" and info.is_pppk:
            err("status", _("NIP ini berkode PPPK (bulan TMT 21) tetapi status tertulis PNS."))
        elif status == "pppk" and not info.is_pppk:
            err("status", _("Status PPPK tetapi NIP ini berkode PNS (bulan TMT bukan 21)."))
        golongan = cells.get("golongan", "")
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
        position_code = cells.get("kode_jabatan", "")
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
        unit_code = cells.get("kode_unit", "") or position_unit.get(position_code)
        if cells.get("kode_unit") and file_units.get(unit_code) is False:
            err(
                "kode_unit",
                _("Unit kerja %(code)s ada di berkas tetapi barisnya salah.") % {"code": unit_code},
            )
        elif cells.get("kode_unit") and unit_code not in units and unit_code not in file_units:
            err(
                "kode_unit",
                _("Unit kerja dengan kode %(code)s tidak ditemukan.") % {"code": unit_code},
            )
        email = cells.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                err("email", _("Alamat email tidak sah."))
        phone = cells.get("telepon", "")
        if phone and not PHONE.match(phone):
            err("telepon", _("Nomor telepon tidak sah."))
        start = None
        if cells.get("tmt_jabatan"):
            start = parse_date(cells["tmt_jabatan"])
            if start is None:
                err("tmt_jabatan", _("Tanggal tidak sah (contoh: 2026-07-01)."))
            elif (
                info is not None and start < info.birth_date
            ) or start > plan.today + dt.timedelta(days=366):
                err("tmt_jabatan", _("Tanggal di luar rentang yang masuk akal."))
        nip = info.nip if info is not None else str(cells.get("nip", ""))
        employee = existing.get(nip) if info is not None else None
        usable = employee is not None
        if employee is not None and employee.agency_id != plan.agency.pk:
            err("nip", _("NIP %(nip)s sudah terdaftar di instansi lain.") % {"nip": nip})
            usable = False
        elif employee is not None and not employee.is_active:
            err(
                "nip",
                _("Pegawai dengan NIP %(nip)s sudah tidak aktif; impor tidak mengaktifkan kembali.")
                % {"nip": nip},
            )
            usable = False
        password = cells.get("kata_sandi_awal", "")
        if employee is None and info is not None and nip in usernames:
            err("nip", _("Akun dengan nama pengguna %(nip)s sudah ada.") % {"nip": nip})
        if employee is None and password:
            try:
                validate_password(password, User(username=nip))
            except ValidationError as exc:
                # Never echo the password itself.
                err("kata_sandi_awal", " ".join(exc.messages))
        move: tuple[dt.date, PositionAssignment | None] | None = None
        if usable and employee is not None and position_code:
            old_codes = (
                position_code_by_id.get(employee.position_id),
                unit_code_by_id.get(employee.unit_id),
            )
            if old_codes != (position_code, unit_code):
                current = open_assignments.get(employee.pk)
                move_start = start or plan.today
                if current is not None and move_start <= current.start:
                    err(
                        "tmt_jabatan",
                        _(
                            "TMT jabatan baru (%(new)s) harus sesudah TMT jabatan sekarang "
                            "(%(current)s)."
                        )
                        % {"new": move_start.isoformat(), "current": current.start.isoformat()},
                    )
                move = (move_start, current)
        if bad or info is None:
            continue
        after = {
            "name": cells["nama"],
            "front_title": cells.get("gelar_depan", ""),
            "back_title": cells.get("gelar_belakang", ""),
            "status": status,
            "golongan": golongan,
            "pangkat": cells.get("pangkat", ""),
            "position": position_code,
            "unit": unit_code,
            "email": email,
            "phone": phone,
        }
        refs = {"position": position_code, "unit": unit_code}
        if employee is None:
            new = Employee(
                agency=plan.agency,
                nip=info.nip,
                gender=info.gender,
                birth_date=info.birth_date,
                active_from=start or plan.today,
                **{k: v for k, v in after.items() if k not in ("position", "unit")},
            )
            plan.employees.append(Change(PEGAWAI, row, info.nip, new, None, after, refs))
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
        if move is not None:
            plan.moves[info.nip] = move
        for name, value in after.items():
            if name not in ("position", "unit"):
                setattr(employee, name, value)
        plan.employees.append(Change(PEGAWAI, row, info.nip, employee, before, after, refs))
        counts["berubah"] += 1
    plan.counts[PEGAWAI] = counts


def preview(plan: Plan) -> dict[str, Any]:
    """A JSON-able summary for the page: counts per kind and the first changes."""
    samples: dict[str, list[dict[str, Any]]] = {}
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
    counts = {k: plan.counts.get(k, _new_counts()) for k in KINDS}
    return {"counts": counts, "samples": samples, "passwords": len(plan.passwords)}


def errors_json(errors: list[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors[:MAX_STORED_ERRORS]]
