"""`manage.py assessment_escalate`: flag appeals (keberatan) not decided within 7
working days and escalate them to admin BKD, and tell admin BKD of evaluations still
not finalised after the rater's superior's deadline, for every active agency.
Idempotent; run it daily (cron)."""

from django.core.management.base import BaseCommand

from kinerja.assessment.services import appeal_escalate_lapsed, superior_lapses_notify
from kinerja.org.models import Agency


class Command(BaseCommand):
    help = "Teruskan keberatan yang melewati batas waktu keputusan ke admin BKD."

    def handle(self, *args, **options):
        total = lapses = 0
        for agency in Agency.objects.filter(is_active=True):
            total += appeal_escalate_lapsed(agency=agency)
            lapses += superior_lapses_notify(agency=agency)
        self.stdout.write(f"{total} keberatan diteruskan ke admin BKD.")
        self.stdout.write(f"{lapses} pemberitahuan batas atasan pejabat penilai.")
