"""Planning follows org changes (kinerja.org.signals): a new position means a
new SKP from that date, leaving closes the SKP. History is never lost."""

from django.dispatch import receiver

from kinerja.jobs.services import enqueue
from kinerja.org.signals import employee_left, employees_placed

from . import services
from .models import PerformanceYear, Skp


@receiver(employees_placed, dispatch_uid="planning.follow_placements")
def follow_placements(sender, *, agency, placements, actor, **kwargs):
    years = list(PerformanceYear.objects.filter(agency=agency, status=PerformanceYear.Status.OPEN))
    if not years or not placements:
        return
    with_skp = set(
        Skp.objects.filter(
            year__in=years, employee_id__in=[employee.pk for employee, _start in placements]
        ).values_list("employee_id", flat=True)
    )
    newcomers = False
    for employee, start in placements:
        if employee.pk not in with_skp:
            newcomers = True
        elif any(year.start <= start <= year.end for year in years):
            services.skp_handle_move(actor=actor, employee=employee, start=start)
    if newcomers:
        # Joiners get their draft from the set-based, idempotent year opening.
        for year in years:
            enqueue("planning.open_year", agency=agency, user=actor, params={"year": year.pk})


@receiver(employee_left, dispatch_uid="planning.follow_leaving")
def follow_leaving(sender, *, employee, end, actor, **kwargs):
    services.skp_handle_leave(actor=actor, employee=employee, end=end)
