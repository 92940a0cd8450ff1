"""`manage.py backup [--output PATH]`: one consistent archive of the database
and PRIVATE_ROOT with a manifest of checksums (kinerja/ops/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinerja.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan PRIVATE_ROOT ke satu arsip."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="berkas arsip (bawaan: var/backup/kinerja-<waktu>.tar)",
        )

    def handle(self, *args, output=None, **options):
        path = Path(output or f"var/backup/kinerja-{timezone.now():%Y%m%d-%H%M%S}.tar")
        try:
            result = backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.path}: basis data dan {result.files} berkas, {result.bytes} bita"
        )
