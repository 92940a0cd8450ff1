"""Write the IKM of every IKI linked to a survey into its realisasi, for each performance
period that is running (or still in its evaluation window) on the date. Production runs this
daily (cron or Celery beat); it is idempotent: a second run writes the same values."""

from django.db.models import Q

from kinerja.org.commands import AgencyDailyCommand
from kinerja.planning.models import Period
from kinerja.surveys.services import ikm_realisasi_sync


class Command(AgencyDailyCommand):
    help = (
        "Salin IKM layanan/unit ke realisasi IKI yang ditautkan, untuk setiap periode kinerja "
        "yang berjalan (atau masih dalam masa evaluasi) pada tanggal acuan. Dijalankan setiap "
        "hari di produksi (cron); aman dijalankan berulang."
    )

    def run_for(self, agency, day):
        periods = Period.objects.filter(agency=agency, start__lte=day).filter(
            Q(end__gte=day) | Q(window_end__gte=day)
        )
        for period in periods.order_by("start", "pk"):
            written = ikm_realisasi_sync(agency=agency, period=period)
            self.stdout.write(f"{agency.code} {period.label}: {written} realisasi ditulis")
