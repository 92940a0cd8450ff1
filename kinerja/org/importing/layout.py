"""The import's layout: the sheets, their columns (also in the downloadable
template's "Petunjuk" sheet) and the template workbook itself."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import OrgUnit, Position

if TYPE_CHECKING:
    from openpyxl import Workbook

UNIT, JABATAN, PEGAWAI = "unit", "jabatan", "pegawai"
KINDS = (UNIT, JABATAN, PEGAWAI)
SHEET_NAMES = {UNIT: "Unit", JABATAN: "Jabatan", PEGAWAI: "Pegawai"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str | Promise
    allowed: str = ""


def choices_text(choices: Iterable[tuple[str, Any]]) -> str:
    return ", ".join(str(value) for value, _label in choices)


BOOL_TEXT = "ya / tidak"
COLUMNS = {
    UNIT: [
        Column("kode", True, gettext_lazy("Kode unit, unik di instansi (maks. 40 karakter).")),
        Column("nama", True, gettext_lazy("Nama unit kerja.")),
        Column("jenis", True, gettext_lazy("Jenis unit."), choices_text(OrgUnit.Kind.choices)),
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
        Column("jenis", True, gettext_lazy("Jenis jabatan."), choices_text(Position.Kind.choices)),
        Column(
            "jenjang",
            False,
            gettext_lazy("Jenjang, wajib untuk jabatan fungsional dan kosong untuk lainnya."),
            choices_text(Position.Jenjang.choices),
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
TEXT_COLUMNS = {"nip", "kode", "kode_induk", "kode_unit", "kode_atasan", "kode_jabatan", "telepon"}


def template_workbook() -> "Workbook":
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
