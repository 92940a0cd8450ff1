"""System checks of the jobs app."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility, deploy=True)
def jobs_backend_check(app_configs, **kwargs):
    """In production, jobs never run inside web workers: a worker killed or
    recycled by gunicorn would take a half-done job with it."""
    if getattr(settings, "PRODUCTION", False) and settings.JOBS_BACKEND == "thread":
        return [
            Error(
                "JOBS_BACKEND=thread runs background jobs inside the web workers.",
                hint="Set JOBS_BACKEND=celery and run `celery -A kinerja worker` (README).",
                id="kinerja.E001",
            )
        ]
    return []
