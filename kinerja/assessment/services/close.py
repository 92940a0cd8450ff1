"""Starting the annual close (docs/domain.md §4, "Annual close"): refused before the last
period's evaluation window has opened unless admin BKD records why; the job does the work
(kinerja/assessment/jobs.py, `annual_close`)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.authz import require_admin
from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue
from kinerja.org.models import User
from kinerja.planning.models import PerformanceYear
from kinerja.rules.calendar import check_annual_close

from .. import selectors
from ._shared import day_of


@transaction.atomic
def annual_close_start(
    *, actor: User, year: PerformanceYear, reason: str = "", today: dt.date | None = None
) -> Job:
    """Enqueues the annual close of the year, with what it will leave without a result."""
    require_admin(actor, year.agency_id)
    today = day_of(today)
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup."))
    opens = selectors.last_window_opens(year)
    for problem in check_annual_close(today=today, last_window_start=opens, reason=reason):
        raise ValidationError(
            _(
                "Penutupan tahunan belum dapat dijalankan: jendela evaluasi periode terakhir "
                "baru dibuka %(d)s. Bila tetap harus dijalankan sekarang, tuliskan alasannya."
            )
            % {"d": f"{problem.params['date']:%d-%m-%Y}"}
        )
    early = opens is not None and today < opens
    gaps = selectors.close_gaps(year)
    job = enqueue(
        "assessment.annual_close",
        agency=year.agency,
        user=actor,
        params={"year": year.pk, "reason": reason.strip(), "early": early},
    )
    record(
        "assessment.annual_close.start",
        actor=actor,
        agency=year.agency,
        target=year,
        after={"job": job.pk, "early": early, "reason": reason.strip(), **gaps.as_dict()},
    )
    return job
