"""Send the due reminders of every active agency (or one). Production runs
this periodically (cron or Celery beat, e.g. every morning); it is idempotent,
so running it twice a day sends nothing twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kinerja.monitoring.reminders import send_reminders
from kinerja.org.models import Agency


class Command(BaseCommand):
    help = "Kirim pengingat yang jatuh tempo (notifikasi dan e-mail)."

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
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"Tanggal tidak valid: {date!r}") from exc
        for item in agencies:
            result = send_reminders(agency=item, today=today)
            self.stdout.write(
                f"{item.code}: {result['due']} jatuh tempo, {result['created']} baru, "
                f"{result['emailed']} e-mail"
            )
