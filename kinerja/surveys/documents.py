"""Generated documents: SVG charts (server-side, no JS), QR codes, PDFs and the Excel export."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from openpyxl import Workbook

from kinerja.lib.exports import append

from .elements import QUESTIONNAIRE
from .models import ELEMENT_FIELDS


def bar_chart(rows, *, maximum, label_width=190, width=560, bar_height=22, places=2):
    """A horizontal bar chart as inline SVG. `rows` are (label, value or None)."""
    gap = 8
    chart = width - label_width - 60
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart" style="max-width:{width}px">'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        text_y = y + bar_height * 0.7
        parts.append(
            f'<text x="{label_width - 6}" y="{text_y:.1f}" text-anchor="end" '
            f'font-size="13">{escape(str(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{chart}" height="{bar_height}" '
            f'fill="#f3f6f9" stroke="#d6dbe1"/>'
        )
        if value is not None:
            bar = chart * float(value) / float(maximum)
            shown = number_format(value, places)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
                f'fill="#0b5cad"><title>{escape(str(label))}: {shown}</title></rect>'
            )
        else:
            shown = "—"
        parts.append(
            f'<text x="{label_width + chart + 6}" y="{text_y:.1f}" font-size="13">{shown}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def element_chart(summary):
    if summary.result is None:
        rows = [(_short(e), None) for e in QUESTIONNAIRE]
    else:
        rows = [(_short(e), summary.result.nrr[e.code]) for e in QUESTIONNAIRE]
    return bar_chart(rows, maximum=4, label_width=300, width=640, places=3)


def _short(element, limit=34):
    label = f"{element.code} {element.name}"
    return label if len(label) <= limit else label[: limit - 1] + "…"


def trend_chart(points):
    rows = [(p.name, s.result.converted if s.result else None) for p, s in points]
    return bar_chart(rows, maximum=100) if rows else ""


def qr_data_uri(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def pdf_response_bytes(template, context, *, base_url):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def responses_workbook(responses, *, service):
    """Raw responses as .xlsx bytes (write-only workbook: memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Jawaban")
    append(
        sheet,
        [
            "ID",
            "Layanan",
            "Periode",
            "Waktu",
            *[e.code for e in QUESTIONNAIRE],
            "Usia",
            "Jenis kelamin",
            "Pendidikan",
            "Pekerjaan",
            "Saran dan masukan",
            "Ditampilkan",
            "Tanda",
            "Alasan tanda",
            "Pengaduan",
            "Tindak lanjut",
        ],
    )
    n = 0
    for r in responses:
        n += 1
        append(
            sheet,
            [
                r.pk,
                service.name,
                r.period.name,
                timezone.localtime(r.submitted_at).replace(tzinfo=None),
                *[getattr(r, f) for f in ELEMENT_FIELDS],
                r.get_age_group_display(),
                r.get_sex_display(),
                r.get_education_display(),
                r.get_occupation_display(),
                r.comment,
                "ya" if r.moderation == "visible" else "tidak",
                r.flag,
                r.flag_reason,
                r.get_complaint_status_display() if r.is_complaint else "",
                r.complaint_answer,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), n
