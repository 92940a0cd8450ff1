"""Send the daily digest e-mails of every active agency (or one): one e-mail per user who
chose the digest, with their notifications not yet e-mailed. Production runs it once a day
(cron or Celery beat); it is idempotent: a second run the same day sends nothing."""

from kinerja.monitoring.digest import send_digests
from kinerja.org.commands import AgencyDailyCommand


class Command(AgencyDailyCommand):
    help = "Kirim ringkasan harian notifikasi lewat e-mail."

    def run_for(self, agency, day):
        result = send_digests(agency=agency, today=day)
        self.stdout.write(f"{agency.code}: {result['users']} e-mail, {result['items']} notifikasi")
