"""Backup and restore: a populated agency round-trips (row counts, file
checksums, an evidence download from the restored installation), and restore
refuses a non-empty target or a damaged archive."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from kinerja.monitoring import uploads
from kinerja.monitoring.models import Evidence, Realisasi
from kinerja.ops.backup import read_manifest
from kinerja.planning.models import Period
from kinerja.testing import performance_year, staff_iki

ROOT = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def populated(world, settings, tmp_path):
    """world.agency with a year, the staff's IKI, a realisasi and one evidence file."""
    settings.PRIVATE_ROOT = str(tmp_path / "private")
    year = performance_year(world, 2026, periods=True)
    iki = staff_iki(world, year)
    period = Period.objects.filter(year=year).order_by("number").first()
    realisasi = Realisasi.objects.create(
        agency=world.agency, iki=iki, period=period, employee=world.staff, value=3
    )
    upload = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    stored, digest = uploads.store(upload, world.agency.pk)
    evidence = Evidence.objects.create(
        agency=world.agency,
        realisasi=realisasi,
        owner=world.staff,
        kind=Evidence.Kind.FILE,
        stored_name=stored,
        original_name="bukti.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=digest,
    )
    return evidence


def _target_database(tmp_path):
    """(DATABASE_URL of an empty database like the test one, cleanup)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    s = connection.settings_dict
    name = f"{s['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    server = f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


CHECK = """
import json
from django.test import Client
from kinerja.monitoring.models import Evidence, Realisasi
from kinerja.org.models import Employee, User
from kinerja.planning.models import Skp
evidence = Evidence.objects.get()
client = Client()
client.force_login(User.objects.get(pk=evidence.realisasi.employee.user_id))
response = client.get(f"/pantau/bukti/{evidence.pk}/unduh/")
body = b"".join(response.streaming_content) if response.status_code == 200 else b""
print(json.dumps({
    "employees": Employee.objects.count(),
    "skp": Skp.objects.count(),
    "realisasi": Realisasi.objects.count(),
    "status": response.status_code,
    "body": body.decode("latin-1"),
}))
"""


def _manage(*args, env, **kw):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        **kw,
    )


def test_a_populated_agency_round_trips(populated, tmp_path, world, settings):
    from kinerja.org.models import Employee
    from kinerja.planning.models import Skp

    archive = tmp_path / "kinerja.tar"
    call_command("backup", output=str(archive))
    manifest = read_manifest(archive)
    file_member = f"private/evidence/{populated.agency_id}/{populated.stored_name}"
    assert manifest["members"][file_member] == {
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
    }
    assert manifest["vendor"] == connection.vendor

    url, drop = _target_database(tmp_path)
    restored_root = tmp_path / "restored-private"
    env = {**os.environ, "DATABASE_URL": url, "PRIVATE_ROOT": str(restored_root)}
    try:
        result = _manage("restore", str(archive), env=env)
        assert result.returncode == 0, result.stderr
        check = _manage("shell", "-c", CHECK, env=env)
        assert check.returncode == 0, check.stderr
        found = json.loads(check.stdout.strip().splitlines()[-1])
        again = _manage("restore", str(archive), env=env)
    finally:
        drop()
    assert found == {
        "employees": Employee.objects.count(),
        "skp": Skp.objects.count(),
        "realisasi": 1,
        "status": 200,
        "body": PDF.decode("latin-1"),
    }
    restored = restored_root / "evidence" / str(populated.agency_id) / populated.stored_name
    assert hashlib.sha256(restored.read_bytes()).hexdigest() == hashlib.sha256(PDF).hexdigest()
    # A second restore into what is now a full database is refused.
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_refuses_a_non_empty_database(populated, tmp_path):
    archive = tmp_path / "kinerja.tar"
    call_command("backup", output=str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_a_damaged_archive(populated, tmp_path):
    archive = tmp_path / "kinerja.tar"
    call_command("backup", output=str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name.startswith("private/"):
                data = data.replace(b"%%EOF", b"%%XXX")
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    url, drop = _target_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "PRIVATE_ROOT": str(tmp_path / "r")}
    try:
        result = _manage("restore", str(damaged), env=env)
    finally:
        drop()
    assert result.returncode != 0
    assert "checksum mismatch: private/" in result.stderr
    assert not (tmp_path / "r").exists()
