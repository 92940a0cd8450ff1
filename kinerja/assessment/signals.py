"""What assessment tells later stages, without depending on them.

- `annual_closed`: the annual close job computed the year's predikat for an
  agency (kwargs: agency, year, actor). Follow-up builds its candidates lists.

And what it answers planning (kinerja/planning/events.py):

- `calendar_acted_on`: the periods of a year in which evaluations were finalised (None for
  the annual evaluation), within a unit's subtree when given, so that a closed window in which
  results were finalised keeps its dates.
"""

from django.dispatch import Signal, receiver

from kinerja.planning.events import calendar_acted_on

from .models import Evaluation

annual_closed = Signal()


@receiver(calendar_acted_on, dispatch_uid="assessment.finalised_windows")
def finalised_windows(sender, *, year, unit=None, **kwargs):
    evaluations = Evaluation.objects.filter(year=year, status__in=Evaluation.LOCKED)
    if unit is not None:
        evaluations = evaluations.filter(unit__path__startswith=unit.path)
    return set(evaluations.values_list("period_id", flat=True).distinct())
