"""`manage.py assessment_escalate`: flag appeals (keberatan) not decided within 7
working days and escalate them to admin BKD, for every active agency. Idempotent;
run it daily (cron) or call services.appeal_escalate_lapsed from a reminder job."""

from django.core.management.base import BaseCommand

from kinerja.assessment.services import appeal_escalate_lapsed
from kinerja.org.models import Agency


class Command(BaseCommand):
    help = "Teruskan keberatan yang melewati batas waktu keputusan ke admin BKD."

    def handle(self, *args, **options):
        total = 0
        for agency in Agency.objects.filter(is_active=True):
            total += appeal_escalate_lapsed(agency=agency)
        self.stdout.write(f"{total} keberatan diteruskan ke admin BKD.")
