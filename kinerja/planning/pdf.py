"""Printed SKP (WeasyPrint): one HTML template per official format, a QR code
pointing to the public verification page, and a unit's SKP merged in one PDF."""

import base64
import io
from datetime import date

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kinerja.rules.planning import MONTHS

from . import selectors
from .models import Skp, SkpVersion

TEMPLATES = {
    "A.1.1": "planning/pdf/a11.html",
    "A.1.2": "planning/pdf/a12.html",
    "A.1.6": "planning/pdf/a16.html",
    "A.1.7": "planning/pdf/a17.html",
}

TITLES = {
    "A.1.1": (
        "PENDEKATAN HASIL KERJA KUALITATIF",
        "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    ),
    "A.1.2": (
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
    ),
    "A.1.6": (
        "PENDEKATAN HASIL KERJA KUALITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
    ),
    "A.1.7": (
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
    ),
}


def qr_data_uri(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _period(content):
    """ "1 JANUARI SD 31 DESEMBER TAHUN 2026", as the official forms print it."""

    def day(iso):
        d = date.fromisoformat(iso)
        return f"{d.day} {MONTHS[d.month - 1].upper()}"

    return f"{day(content['valid_from'])} SD {day(content['valid_until'])} TAHUN {content['year']}"


def render_html(content, *, version=None, verify_url="", place="", printed_on=None):
    code = content["format"]
    rhk = content["rhk"]
    context = {
        "c": content,
        "period": _period(content),
        "title": TITLES[code],
        "groups_list": [
            ("A. UTAMA", [r for r in rhk if r["kind"] == "utama"]),
            ("B. TAMBAHAN", [r for r in rhk if r["kind"] == "tambahan"]),
        ],
        "version": version,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url) if verify_url else "",
        "place": place,
        "printed_on": printed_on,
    }
    return render_to_string(TEMPLATES[code], context)


def write_pdf(html_parts):
    """One PDF from one or more rendered SKP documents."""
    from weasyprint import HTML

    documents = [HTML(string=html).render() for html in html_parts]
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()


def skp_html(skp: Skp, *, base_url: str, version: SkpVersion | None = None) -> str:
    """The HTML of an SKP: the approved version when there is one (so the
    printed hash is the stored one), else the live draft marked KONSEP."""
    if version is None and skp.status == Skp.Status.DISETUJUI:
        version = selectors.latest_version(skp)
    content = version.content if version else selectors.skp_content(skp)
    verify = f"{base_url}{reverse('planning:verify', args=[version.token])}" if version else ""
    return render_html(
        content,
        version=version,
        verify_url=verify,
        place=skp.agency.signature_place,
        printed_on=timezone.localdate(),
    )
