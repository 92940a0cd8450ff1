"""`manage.py restore ARCHIVE`: bring a backup back into an empty database and
an empty PRIVATE_ROOT (kinerja/ops/backup.py). Refuses anything non-empty."""

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan arsip cadangan ke basis data dan PRIVATE_ROOT yang kosong."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(Path(archive))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except subprocess.CalledProcessError as exc:
            raise CommandError(exc.stderr.decode(errors="replace")[-2000:]) from exc
        files = sum(1 for name in manifest["members"] if name.startswith("private/"))
        self.stdout.write(
            f"Dipulihkan: cadangan {manifest['created_at']}, basis data dan {files} berkas."
        )
