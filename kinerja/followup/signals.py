"""Follow-up reacts to the annual close: the candidates lists (and the year's
angka kredit) are built by the idempotent "followup.candidates" job."""

from django.dispatch import receiver

from kinerja.assessment.signals import annual_closed
from kinerja.jobs.services import enqueue


@receiver(annual_closed, dispatch_uid="followup.candidates_after_close")
def candidates_after_close(sender, *, agency, year, actor, **kwargs):
    enqueue("followup.candidates", agency=agency, user=actor, params={"year": year.pk})
