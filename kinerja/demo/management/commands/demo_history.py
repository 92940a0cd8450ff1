"""`manage.py demo_history [--today YYYY-MM-DD]`: the demo agency's history (two
closed performance years before today's year, and today's year at the stage of
its calendar), once. Run after `demo_data`;
a second run changes nothing. `--today` fixes the date (tests)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from kinerja.demo.build import build_history
from kinerja.org.demo import DEMO_CODE
from kinerja.org.models import Agency


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: {value} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Buat riwayat demo: dua tahun penilaian yang sudah ditutup dan tahun berjalan."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, default=None, help="YYYY-MM-DD (tests)")

    def handle(self, *args, today=None, **options):
        if not Agency.objects.filter(code=DEMO_CODE).exists():
            raise CommandError("Jalankan dulu: manage.py demo_data")
        started = time.perf_counter()
        result = build_history(today=today)
        took = time.perf_counter() - started
        for number in result.built:
            self.stdout.write(f"Riwayat demo {number}: dibuat.")
        for number in result.skipped:
            self.stdout.write(f"Riwayat demo {number}: sudah ada.")
        self.stdout.write(f"Riwayat demo selesai ({took:.1f} s).")
