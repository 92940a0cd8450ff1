"""Checking and storing evidence files (bukti dukung).

A file is accepted by what it *is*, not by what it is called: the first bytes
are sniffed (PDF, PNG, JPEG, GIF, WebP, OOXML office documents, legacy OLE2
office documents), anything that looks like HTML, a script or an executable is
refused whatever its name, and the extension must agree with the detected type.
Files are stored under a random name in PRIVATE_ROOT/evidence/<agency>/ and are
only served by a permission-checked view as an attachment.
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 8192
NAME_MAX = 120

# detected kind -> (content type, allowed extensions)
KINDS = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpeg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"pptx"},
    ),
    "ole2": ("application/x-ole-storage", {"doc", "xls", "ppt"}),
}
OLE2_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
OLE2_TYPES["ppt"] = "application/vnd.ms-powerpoint"
ALLOWED_EXTENSIONS = sorted({ext for _ct, exts in KINDS.values() for ext in exts})
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DANGEROUS_PREFIXES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
DANGEROUS_MARKUP = (b"<html", b"<!doctype", b"<script", b"<?php", b"<svg", b"<body", b"<iframe")


def max_bytes():
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(n):
    return f"{n / (1024 * 1024):.0f}" if n >= 1024 * 1024 else f"{n / (1024 * 1024):.2f}"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def sanitize_name(name):
    """Basename only (both separators), no control or path characters, at most
    NAME_MAX characters keeping the extension. Never empty."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "", name).strip().lstrip(".").strip()
    if not name:
        name = "berkas"
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1] + "." + ext
        else:
            name = name[:NAME_MAX]
    return name


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _ooxml_kind(upload):
    """docx/xlsx/pptx are zips with [Content_Types].xml and their main folder."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, folder in OOXML_FOLDERS.items():
        if any(n.startswith(folder) for n in names):
            return kind
    return None


def detect(upload, head):
    """The kind of the file from its content, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    guess = filetype.guess(head)
    if guess is not None:
        for kind in ("png", "jpeg", "gif", "webp"):
            if guess.mime == KINDS[kind][0]:
                return kind
    return None


def _looks_dangerous(head):
    if head.startswith(DANGEROUS_PREFIXES):
        return True
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in start for marker in DANGEROUS_MARKUP)


def check_upload(upload):
    """Validate an uploaded file; returns a CheckedFile or raises ValidationError.
    The size is checked before any byte is read."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is None:
        raise ValidationError(_("Ukuran berkas tidak diketahui."))
    if size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(limit)}
        )
    if size == 0:
        raise ValidationError(_("Berkas kosong."))
    name = sanitize_name(upload.name)
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    head = _read_head(upload)
    if not head:
        raise ValidationError(_("Berkas kosong."))
    if _looks_dangerous(head):
        raise ValidationError(
            _(
                "Berkas ini berisi halaman web, skrip, atau program, bukan dokumen; "
                "tidak dapat diterima."
            )
        )
    kind = detect(upload, head)
    if kind is None:
        raise ValidationError(
            _(
                "Jenis berkas tidak diizinkan. Gunakan PDF, gambar (PNG, JPEG, GIF, WebP), "
                "atau dokumen perkantoran (DOCX, XLSX, PPTX, DOC, XLS, PPT)."
            )
        )
    content_type, extensions = KINDS[kind]
    if ext not in extensions:
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan ekstensinya (.%(ext)s); isinya %(kind)s.")
            % {"ext": ext or "-", "kind": kind.upper() if kind != "ole2" else "DOC/XLS/PPT"}
        )
    if kind == "ole2":
        content_type = OLE2_TYPES[ext]
    return CheckedFile(name=name, content_type=content_type, size=size)


def evidence_dir(agency_id, folder="evidence"):
    """PRIVATE_ROOT/<folder>/<agency>/: "evidence" for bukti dukung; other apps that
    take files with the same checks (an appeal's evidence) keep their own folder."""
    return Path(settings.PRIVATE_ROOT) / folder / str(int(agency_id))


def store(upload, agency_id, folder="evidence"):
    """Write the file under a random name; returns (stored_name, sha256)."""
    directory = evidence_dir(agency_id, folder)
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    digest = hashlib.sha256()
    upload.seek(0)
    with open(directory / stored_name, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return stored_name, digest.hexdigest()


def stored_path(evidence, folder="evidence"):
    path = evidence_dir(evidence.agency_id, folder) / evidence.stored_name
    if not re.fullmatch(r"[0-9a-f]{32}", evidence.stored_name or ""):
        raise FileNotFoundError(evidence.stored_name)
    return path


class LimitedUploadHandler(FileUploadHandler):
    """First upload handler of the evidence views: a file over the limit is
    skipped while streaming (never stored in memory or on disk); the view then
    finds `request.upload_too_large` and says so."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_bytes()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def install_limit(request):
    """Call before request.POST/FILES is first read (views are csrf_exempt and
    check CSRF themselves afterwards, as Django's documentation describes)."""
    request.upload_handlers.insert(0, LimitedUploadHandler(request))


def too_large_error():
    return ValidationError(
        _("Berkas terlalu besar; batasnya %(limit)s MB.") % {"limit": _mb(max_bytes())}
    )
