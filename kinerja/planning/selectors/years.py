"""Performance years, and what the admin BKD pages of a year list."""

import datetime as dt

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinerja.jobs.models import Job
from kinerja.org.models import OrgUnit

from ..models import OrgGoal, PerformanceYear, Period, Skp


def years(agency_id: int) -> QuerySet[PerformanceYear]:
    return PerformanceYear.objects.filter(agency_id=agency_id).order_by("-year")


def current_year(agency_id: int, today: dt.date | None = None) -> PerformanceYear | None:
    """The open year containing today, else the latest open one, else the latest."""
    today = today or timezone.localdate()
    qs = years(agency_id)
    return (
        qs.filter(status=PerformanceYear.Status.OPEN, start__lte=today, end__gte=today).first()
        or qs.filter(status=PerformanceYear.Status.OPEN).first()
        or qs.first()
    )


def year_summary(year: PerformanceYear) -> dict[str, int]:
    """The year's SKP counted by status, for the admin's year page: one query."""
    return dict(
        Skp.objects.filter(year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def year_periods(year: PerformanceYear) -> list[Period]:
    return list(year.periods.all())


def year_jobs(year: PerformanceYear) -> QuerySet[Job]:
    """The latest planning jobs of the year (opening it, unit PDFs)."""
    return Job.objects.filter(
        agency_id=year.agency_id, kind__startswith="planning.", params__year=year.pk
    )[:5]


def year_goals(year: PerformanceYear) -> QuerySet[OrgGoal]:
    return year.goals.select_related("unit")


def agency_unit_or_404(agency_id: int, pk: int | str | None) -> OrgUnit | None:
    """A unit of the agency chosen on a page (none chosen: None)."""
    if pk is None or pk == "":
        return None
    return get_object_or_404(OrgUnit, pk=pk, agency_id=agency_id)


def tree_unit(agency_id: int, path: str, *, chosen: str = "") -> OrgUnit | None:
    """The unit below `path` (the whole agency for "/") that the pohon kinerja
    is narrowed to: the one `chosen` on the page (its id), if it is there."""
    if not chosen.isdigit():
        return None
    units = OrgUnit.objects.filter(agency_id=agency_id, path__startswith=path)
    return units.filter(pk=chosen).only("pk", "path", "name").first()
