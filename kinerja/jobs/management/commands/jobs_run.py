"""Run one queued job in this process (operations: a job whose dispatch was
lost; tests: a job in a process that can be killed)."""

from django.core.management.base import BaseCommand, CommandError

from kinerja.jobs.models import Job
from kinerja.jobs.runner import run


class Command(BaseCommand):
    help = "Jalankan satu proses latar yang menunggu, di proses ini."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"Proses #{job_id} tidak ditemukan.")
        if job.status != Job.Status.QUEUED:
            raise CommandError(f"Proses #{job_id} tidak menunggu ({job.status}).")
        run(job_id)
        job.refresh_from_db()
        self.stdout.write(f"Proses #{job_id}: {job.status}")
