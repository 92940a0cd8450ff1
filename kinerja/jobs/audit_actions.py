"""Audit actions recorded by the background jobs (see kinerja.audit.registry).
The job's kind is in the event's target ("planning.open_year #12 done")."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "job.queued": _("Proses latar diantrekan"),
    "job.done": _("Proses latar selesai"),
    "job.failed": _("Proses latar gagal"),
}
