"""Documents of follow-up records (award decrees, sanction letters, training certificates):
PDF or images only, checked by content and size, stored under a random name in
PRIVATE_ROOT/followup/<agency>/ and served only by a permission-checked view; and the
follow-up report as PDF and Excel."""

import hashlib
import io
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kinerja.followup.selectors import candidate_history_now
from kinerja.lib.exports import append
from kinerja.monitoring.uploads import check_upload

ALLOWED_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_bytes():
    return int(getattr(settings, "FOLLOWUP_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_document(upload):
    """A CheckedFile for a PDF or image, or ValidationError (nothing is stored)."""
    limit = max_bytes()
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(
            _("Dokumen terlalu besar; batasnya %(limit)s MB.") % {"limit": limit // (1024 * 1024)}
        )
    checked = check_upload(upload)
    if checked.content_type not in ALLOWED_TYPES:
        raise ValidationError(_("Dokumen harus berupa PDF atau gambar (PNG, JPEG, GIF, WebP)."))
    return checked


def _dir(agency_id):
    return Path(settings.PRIVATE_ROOT) / "followup" / str(int(agency_id))


def store_document(upload, agency_id):
    """Check and write the file; returns the model fields to set."""
    checked = check_document(upload)
    directory = _dir(agency_id)
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    digest = hashlib.sha256()
    upload.seek(0)
    with open(directory / stored, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return {
        "document_name": checked.name,
        "document_stored": stored,
        "document_type": checked.content_type,
        "document_size": checked.size,
    }


def document_path(obj):
    if not re.fullmatch(r"[0-9a-f]{32}", obj.document_stored or ""):
        raise FileNotFoundError(obj.document_stored)
    return _dir(obj.agency_id) / obj.document_stored


def report_pdf(context, *, base_url):
    from weasyprint import HTML

    html = render_to_string("followup/report_pdf.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()


def report_xlsx(context):
    """One sheet per section of the report."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Kandidat"
    append(ws, [_("Hasil"), _("NIP"), _("Nama"), _("Unit kerja"), _("Status"), _("Riwayat")])
    for c in context["candidates"]:
        history = ", ".join(f"{y}: {p}" for y, p in candidate_history_now(c))
        append(
            ws,
            [
                c.get_outcome_display(),
                c.employee.nip,
                c.employee.full_name,
                c.employee.unit.name,
                c.get_status_display(),
                history,
            ],
        )
    ws = wb.create_sheet("Penghargaan")
    append(ws, [_("NIP"), _("Nama"), _("Jenis"), _("Dasar"), _("Tanggal")])
    for a in context["awards"]:
        append(ws, [a.employee.nip, a.employee.full_name, a.get_kind_display(), a.basis, a.date])
    ws = wb.create_sheet("Sanksi")
    append(ws, [_("NIP"), _("Nama"), _("Jenis"), _("Dasar hukum"), _("Mulai"), _("Status")])
    for s in context["sanctions"]:
        append(
            ws,
            [
                s.employee.nip,
                s.employee.full_name,
                s.get_kind_display(),
                s.legal_basis,
                s.start,
                s.get_status_display(),
            ],
        )
    ws = wb.create_sheet("JP")
    append(ws, [_("NIP"), _("Nama"), _("Unit kerja"), _("JP"), _("Kekurangan")])
    for e in context["shortfall"]:
        append(ws, [e.nip, e.full_name, e.unit.name, e.jp, context["min_jp"] - e.jp])
    ws = wb.create_sheet("Angka kredit")
    append(ws, [_("NIP"), _("Nama"), _("Tahun"), _("Jenjang"), _("Predikat"), _("Bulan"), "AK"])
    for r in context["credit_points"]:
        append(
            ws,
            [
                r.employee.nip,
                r.employee.full_name,
                r.year,
                r.jenjang,
                r.get_predikat_display(),
                r.months,
                float(r.points),
            ],
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
