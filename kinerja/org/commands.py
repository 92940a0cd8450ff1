"""The shape of the daily scheduled commands (send_reminders, sync_ikm_realisasi,
assessment_escalate): every active agency or one (`--agency <code>`), on today
or a given day (`--date YYYY-MM-DD`). Each command implements `run_for`."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from .models import Agency


class AgencyDailyCommand(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--agency", help="kode instansi (bawaan: semua yang aktif)")
        parser.add_argument("--date", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args: Any, agency: str | None = None, date: str | None = None, **options):
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
            self.run_for(item, day)

    def run_for(self, agency: Agency, day: dt.date) -> None:
        raise NotImplementedError
