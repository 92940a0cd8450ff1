"""Checks on an uploaded file before anything parses it, and where the
uploaded files are kept (PRIVATE_ROOT/imports/, under random names)."""

import re
import zipfile
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import ImportRun

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_RATIO = 200  # per member bigger than 1 MB uncompressed


class FileRejected(ValidationError):
    """The whole file is refused (wrong type, too big, zip bomb, empty...)."""


def max_unzipped_bytes() -> int:
    # A real 20,000-row workbook unzips to ~10 MB; this leaves a wide margin.
    return getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)


def check_file(path: Path | str, original_name: str | None) -> str:
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


def _check_xlsx(path: Path) -> None:
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


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(path: Path, file_format: str) -> int:
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


def imports_dir() -> Path:
    path = Path(settings.PRIVATE_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(run: ImportRun) -> Path:
    return imports_dir() / run.stored_name


def rows_cache_path(run: ImportRun) -> Path:
    """The parsed rows of a clean dry run, so that applying skips the parsing."""
    return imports_dir() / f"{run.stored_name}.rows.json"


def delete_stored_file(run: ImportRun) -> None:
    if run.stored_name:
        stored_path(run).unlink(missing_ok=True)
        rows_cache_path(run).unlink(missing_ok=True)
        run.stored_name = ""
        ImportRun.objects.filter(pk=run.pk).update(stored_name="")
