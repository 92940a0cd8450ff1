"""Send the due reminders of every active agency (or one). Production runs
this periodically (cron or Celery beat, e.g. every morning); it is idempotent,
so running it twice a day sends nothing twice."""

from kinerja.monitoring.reminders import send_reminders
from kinerja.org.commands import AgencyDailyCommand


class Command(AgencyDailyCommand):
    help = "Kirim pengingat yang jatuh tempo (notifikasi dan e-mail)."

    def run_for(self, agency, day):
        result = send_reminders(agency=agency, today=day)
        self.stdout.write(
            f"{agency.code}: {result['due']} jatuh tempo, {result['created']} baru, "
            f"{result['emailed']} e-mail"
        )
