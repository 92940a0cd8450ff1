"""The periods of a year and whether realisasi may be entered in one."""

import datetime as dt

from kinerja.planning.models import PerformanceYear, Period
from kinerja.planning.selectors.calendar import default_realisasi


def period_for_date(agency_id: int, date: dt.date) -> Period | None:
    return (
        Period.objects.filter(agency_id=agency_id, start__lte=date, end__gte=date)
        .select_related("year")
        .first()
    )


def current_period(year: PerformanceYear | None, today: dt.date) -> Period | None:
    """The period of the year that contains today."""
    if year is None:
        return None
    return (
        Period.objects.filter(year=year, start__lte=today, end__gte=today)
        .select_related("year")
        .first()
    )


def periods_of_year(year_id: int) -> list[Period]:
    return list(Period.objects.filter(year=year_id).select_related("year"))


def period_closed(period: Period, today: dt.date) -> bool:
    """A period is closed when its realisasi window on the agency's calendar has ended (by
    default with its evaluation window) or its year is closed. A unit's own dates are
    applied where realisasi is saved (services `require_period_open`)."""
    _start, end = default_realisasi(period)
    return period.year.status == PerformanceYear.Status.CLOSED or today > end


def period_open(period: Period, today: dt.date) -> bool:
    """Realisasi may be entered within the period's realisasi window (by default from its
    first day to the end of its evaluation window), unless the year is closed."""
    start, _end = default_realisasi(period)
    return start <= today and not period_closed(period, today)


def open_periods(year: PerformanceYear | None, today: dt.date) -> list[Period]:
    if year is None:
        return []
    return [p for p in year.periods.all().select_related("year") if period_open(p, today)]
