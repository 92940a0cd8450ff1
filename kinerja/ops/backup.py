"""Backup and restore of a whole installation: the database and PRIVATE_ROOT
(evidence, documents, pending imports) together, in one archive.

The archive is a tar file with
- `manifest.json`: format version, when, the database vendor, the applied
  migrations, and the sha256 and size of every member;
- `database.dump` (PostgreSQL, `pg_dump --format=custom`, one consistent
  snapshot) or `database.sqlite3` (SQLite's online backup API);
- `private/...`: the files of PRIVATE_ROOT.

The database is dumped first and the files copied after: files are written
before the rows that point to them are committed, so every file the dump
refers to is in the archive (a file added meanwhile is harmless).

Restore goes into an EMPTY database and an empty PRIVATE_ROOT only, after
checking every checksum of the manifest; it never overwrites data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal or failure with a message for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return path


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _dump_database(target: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        out = target / "database.dump"
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _program("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--file",
                str(out),
                db["NAME"],
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        return out.name
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(out)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return out.name
    raise BackupError(f"unsupported database: {connection.vendor}")


@dataclass
class BackupResult:
    path: Path
    files: int
    bytes: int


def backup(output: Path) -> BackupResult:
    """Write the archive to `output` (a .tar file)."""
    private_root = Path(settings.PRIVATE_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        database_member = _dump_database(staging)
        members: dict[str, dict[str, Any]] = {}
        members[database_member] = {
            "sha256": _sha256(staging / database_member),
            "size": (staging / database_member).stat().st_size,
        }
        files = []
        if private_root.exists():
            for path in sorted(p for p in private_root.rglob("*") if p.is_file()):
                name = "private/" + path.relative_to(private_root).as_posix()
                members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                files.append((path, name))
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connection.vendor,
            "database": database_member,
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder(connection).migration_qs.values_list(
                    "app", "name"
                )
            ),
            "members": members,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(staging / database_member, arcname=database_member)
            for path, name in files:
                archive.add(path, arcname=name)
        partial.replace(output)  # never a half-written archive under the real name
    total = sum(m["size"] for m in members.values())
    return BackupResult(path=output, files=len(files), bytes=total)


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _private_root_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def _safe_members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for info in archive.getmembers():
        name = info.name
        if not info.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"unsafe member in the archive: {name!r}")
        members[name] = info
    return members


def read_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path, "r") as archive:
        members = _safe_members(archive)
        if "manifest.json" not in members:
            raise BackupError("not a Kinerja backup: manifest.json is missing")
        handle = archive.extractfile(members["manifest.json"])
        assert handle is not None
        manifest = json.load(handle)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(path: Path) -> dict[str, Any]:
    """Restore the archive into the configured (empty) database and (empty)
    PRIVATE_ROOT. Returns the manifest."""
    manifest = read_manifest(path)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['vendor']} database, this installation uses "
            f"{connection.vendor}"
        )
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into an empty database")
    private_root = Path(settings.PRIVATE_ROOT)
    if not _private_root_is_empty(private_root):
        raise BackupError(f"PRIVATE_ROOT ({private_root}) is not empty")
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        with tarfile.open(path, "r") as archive:
            members = _safe_members(archive)
            for name, expected in manifest["members"].items():
                if name not in members:
                    raise BackupError(f"the archive lacks {name}")
                archive.extract(members[name], staging, filter="data")
                if _sha256(staging / name) != expected["sha256"]:
                    raise BackupError(f"checksum mismatch: {name}")
        _restore_database(staging / manifest["database"])
        source = staging / "private"
        if source.exists():
            private_root.mkdir(parents=True, exist_ok=True)
            for item in source.iterdir():
                shutil.move(str(item), private_root / item.name)
    return manifest


def _restore_database(dump: Path) -> None:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _program("pg_restore"),
                *args,
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                db["NAME"],
                str(dump),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
