"""Evidence upload validation: by content, by size, safe names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.monitoring import uploads

from .factories import PDF_BYTES, PNG_BYTES


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class HugeDeclaredFile(SimpleUploadedFile):
    """Claims 200 MB without allocating it; reading it is a test failure."""

    def __init__(self):
        super().__init__("video.pdf", b"", content_type="application/pdf")
        self.size = 200 * 1024 * 1024

    def read(self, *args, **kwargs):
        raise AssertionError("the size must be checked before reading")


def check(name, content):
    return uploads.check_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "laporan.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "halaman web, skrip, atau program",
        ),
        ("laporan.pdf", b"  \n<html><body>hi</body></html>", "halaman web, skrip, atau program"),
        ("laporan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "program"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "program"),
        ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "program"),
        ("run.pdf", b"#!/bin/sh\nrm -rf /\n", "program"),
        ("gambar.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "halaman web"),
        ("catatan.txt", b"hanya teks biasa", "Jenis berkas tidak diizinkan"),
        ("laporan.pdf", b"", "Berkas kosong."),
        ("foto.pdf", PNG_BYTES, "tidak sesuai dengan ekstensinya (.pdf)"),
        ("laporan.png", PDF_BYTES, "tidak sesuai dengan ekstensinya (.png)"),
        ("laporan.docx", b"PK\x03\x04not really a zip", "Jenis berkas tidak diizinkan"),
    ],
)
def test_forbidden_files_are_refused(name, content, message):
    with pytest.raises(ValidationError) as exc:
        check(name, content)
    assert message in exc.value.messages[0]


def test_200_mb_is_refused_before_reading():
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(HugeDeclaredFile())
    assert exc.value.messages == ["Berkas terlalu besar (200 MB); batasnya 10 MB."]


def test_size_limit_boundary(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    assert check("a.pdf", PDF_BYTES).size == len(PDF_BYTES)
    with pytest.raises(ValidationError):
        check("a.pdf", PDF_BYTES + b" ")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("laporan.pdf", PDF_BYTES, "application/pdf"),
        ("foto.PNG", PNG_BYTES, "image/png"),
        (
            "notulen.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("lama.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 500, "application/msword"),
    ],
)
def test_valid_files_are_accepted(name, content, content_type):
    checked = check(name, content)
    assert checked.content_type == content_type
    assert checked.name == name
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("C:\\Users\\dewi\\laporan.pdf", "laporan.pdf"),
        ("lap<or>an|?.pdf", "laporan.pdf"),
        ("\x00\x1f.pdf", "pdf"),
        ("", "berkas"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_are_sanitised(raw, clean):
    assert uploads.sanitize_name(raw) == clean


def test_streaming_handler_skips_an_oversized_file():
    from django.core.files.uploadhandler import SkipFile

    class Request:
        pass

    request = Request()
    handler = uploads.LimitedUploadHandler(request, limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"123456", 5)
    assert request.upload_too_large is True
