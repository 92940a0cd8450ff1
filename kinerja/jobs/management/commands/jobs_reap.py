"""Mark running jobs whose process died (no heartbeat for JOBS_STALE_SECONDS)
as failed. Production runs it every minute (cron or Celery beat); the job page
and every new job run the same check."""

from django.core.management.base import BaseCommand

from kinerja.jobs.runner import reap_stale


class Command(BaseCommand):
    help = "Tandai proses latar yang prosesnya mati sebagai gagal."

    def handle(self, *args, **options):
        self.stdout.write(f"{reap_stale()} proses ditandai gagal.")
