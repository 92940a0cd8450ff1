"""Security headers on every response: a Content-Security-Policy without inline
scripts, frame-ancestors 'none', Referrer-Policy, Permissions-Policy; HSTS in
production (test_health/check --deploy covers the production settings); and no
template carries an inline script or event handler that the policy would block."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/masuk/", "/", "/org/profil/", "/api/docs/", "/api/schema/", "/healthz", "/nothing/"]


def policy(response):
    header = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_headers(path, world, login):
    response = login(world.user("staff")).get(path)
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_private_download_keeps_its_sandbox_policy(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kinerja.monitoring import uploads
    from kinerja.monitoring.models import Evidence, Realisasi
    from kinerja.planning.models import Period
    from kinerja.testing import performance_year, staff_iki

    settings.PRIVATE_ROOT = str(tmp_path)
    year = performance_year(world, 2026, periods=True)
    realisasi = Realisasi.objects.create(
        agency=world.agency,
        iki=staff_iki(world, year),
        period=Period.objects.filter(year=year).first(),
        employee=world.staff,
        value=1,
    )
    pdf = b"%PDF-1.4\n%%EOF\n"
    stored, digest = uploads.store(SimpleUploadedFile("b.pdf", pdf), world.agency.pk)
    evidence = Evidence.objects.create(
        agency=world.agency,
        realisasi=realisasi,
        owner=world.staff,
        kind="file",
        stored_name=stored,
        original_name="b.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=digest,
    )
    response = login(world.user("staff")).get(f"/pantau/bukti/{evidence.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in ROOT.rglob("templates/**/*.html"):
        if "/pdf/" in path.as_posix() or path.name.endswith("_pdf.html"):
            continue  # rendered to PDF by WeasyPrint, never served as HTML
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert found == []


def test_the_checks_see_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert HANDLER.search('<select onchange="this.form.submit()">')
    assert not HANDLER.search('<select data-autosubmit name="one">')
