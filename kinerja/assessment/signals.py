"""What assessment tells later stages, without depending on them.

- `annual_closed`: the annual close job computed the year's predikat for an
  agency (kwargs: agency, year, actor). Follow-up builds its candidates lists.

And what it answers planning (kinerja/planning/events.py) and monitoring
(kinerja/monitoring/events.py):

- `calendar_acted_on`: the periods of a year in which evaluations were finalised (None for
  the annual evaluation), within a unit's subtree when given, so that a closed window in which
  results were finalised keeps its dates.
- `days_off_wanted`: the agency's own days off (AgencyDayOff), which the reminders count as
  non-working days.
- `reminders_due`: the raters' evaluation windows opened and about to close, and admin BKD's
  units without an organisation grade (services/reminders.py).
"""

from django.dispatch import Signal, receiver

from kinerja.monitoring.events import days_off_wanted, reminders_due
from kinerja.planning.events import calendar_acted_on

from .models import AgencyDayOff, Evaluation
from .services.reminders import window_reminders

annual_closed = Signal()


@receiver(calendar_acted_on, dispatch_uid="assessment.finalised_windows")
def finalised_windows(sender, *, year, unit=None, **kwargs):
    evaluations = Evaluation.objects.filter(year=year, status__in=Evaluation.LOCKED)
    if unit is not None:
        evaluations = evaluations.filter(unit__path__startswith=unit.path)
    return set(evaluations.values_list("period_id", flat=True).distinct())


@receiver(days_off_wanted, dispatch_uid="assessment.agency_days_off")
def agency_days_off(sender, *, agency_id, years, **kwargs):
    return set(
        AgencyDayOff.objects.filter(agency_id=agency_id, date__year__in=list(years)).values_list(
            "date", flat=True
        )
    )


@receiver(reminders_due, dispatch_uid="assessment.window_reminders")
def remind_windows(sender, *, agency, year, today, days_off, calendars, **kwargs):
    if year is None:
        return []
    return window_reminders(
        agency=agency, year=year, today=today, days_off=days_off, calendars=calendars
    )
