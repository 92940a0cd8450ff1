"""Celery entry point for production (JOBS_BACKEND=celery)."""

from kinerja.celery import app


@app.task(name="kinerja.jobs.run", acks_late=True)
def run_job(job_id):
    from .services import run

    run(job_id)
