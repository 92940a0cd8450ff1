"""Write the IKM of every IKI linked to a survey into its realisasi, for each performance
period that is running (or still in its evaluation window) on the date. Production runs this
daily (cron or Celery beat); it is idempotent: a second run writes the same values."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from kinerja.org.models import Agency
from kinerja.planning.models import Period
from kinerja.surveys.services import ikm_realisasi_sync


class Command(BaseCommand):
    help = (
        "Salin IKM layanan/unit ke realisasi IKI yang ditautkan, untuk setiap periode kinerja "
        "yang berjalan (atau masih dalam masa evaluasi) pada tanggal acuan. Dijalankan setiap "
        "hari di produksi (cron); aman dijalankan berulang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="kode instansi (bawaan: semua yang aktif)")
        parser.add_argument("--date", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args, agency=None, date=None, **options):
        agencies = Agency.objects.filter(is_active=True).order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise CommandError(f"Instansi {agency!r} tidak ditemukan.")
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Tanggal tidak valid: {date!r}") from exc
        for item in agencies:
            periods = Period.objects.filter(agency=item, start__lte=day).filter(
                Q(end__gte=day) | Q(window_end__gte=day)
            )
            for period in periods.order_by("start", "pk"):
                written = ikm_realisasi_sync(agency=item, period=period)
                self.stdout.write(f"{item.code} {period.label}: {written} realisasi ditulis")
