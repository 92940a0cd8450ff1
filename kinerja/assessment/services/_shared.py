"""What the assessment services share: the day
an action happens on, the evaluation as stored, a notice to an employee, and
the check of a rating code."""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.monitoring.models import Notification
from kinerja.monitoring.notify import notify_employee
from kinerja.org.models import Employee

from ..models import Evaluation, Notice, RatingChoice

# The working-day deadlines of the lampiran (docs/domain.md §1) are the year's calendar:
# `evaluation.year.workday_rules` (defaults in kinerja/rules/calendar.py, WorkdayRules).
# The seven core values (BerAKHLAK), 1..7.
VALUES = range(1, 8)

# {"rating": code, "feedback" | "comment" | "evidence": text} for one RHK or core value.
RatingInput = Mapping[str, str]


def day_of(today: dt.date | None) -> dt.date:
    """The day the action happens on: `today` when a test or job gives it."""
    return today or timezone.localdate()


def load_evaluation(evaluation: Evaluation) -> Evaluation:
    """The stored state (callers may hold a stale instance), locked until the
    caller's transaction ends: of two simultaneous actions on one evaluation
    (two appeals, two finalisations) the second sees the first's result and gets
    the same clear refusal as when they come one after the other."""
    return (
        Evaluation.objects.select_related(
            "year", "period", "skp", "skp__position", "skp__rater_position", "employee", "rater"
        )
        .select_for_update(of=("self",))
        .get(pk=evaluation.pk)
    )


def notify(evaluation: Evaluation, text: str, employee: Employee | None = None) -> None:
    """A notice on the page of the evaluated employee (or of `employee`)."""
    Notice.objects.create(
        agency_id=evaluation.agency_id,
        employee_id=(employee.pk if employee else evaluation.employee_id),
        evaluation=evaluation,
        text=text[:300],
    )


def tell(employee: Employee | None, kind: str, text: str, url: str, agency_id: int) -> None:
    """A notification (kinerja.monitoring.notify) to the employee's account,
    besides the notice on the evaluation page: the bell and the e-mail."""
    notify_employee(employee, kind=kind, text=text, url=url, agency_id=agency_id)


KIND_EVALUATION = Notification.Kind.EVALUATION
KIND_APPEAL = Notification.Kind.APPEAL


def check_rating(value: str, what: str) -> None:
    if value not in RatingChoice.values:
        raise ValidationError(_("Rating %(what)s tidak dikenal.") % {"what": what})
