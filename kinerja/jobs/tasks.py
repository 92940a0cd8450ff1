"""Celery entry point for production (JOBS_BACKEND=celery)."""

from kinerja.celery import app

from .runner import run


@app.task(name="kinerja.jobs.run", acks_late=True)
def run_job(job_id: int) -> None:
    run(job_id)
