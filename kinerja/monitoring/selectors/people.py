"""The SKP in force, raters and the org chart, and the employees to choose from."""

import datetime as dt
from collections.abc import Collection

from django.db.models import QuerySet

from kinerja.org.access import superior_of
from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear, Skp
from kinerja.planning.selectors import current_year

from ..models import Feedback
from ._common import _skp_in_force, _today


def current_skp(employee: Employee | None, today: dt.date | None = None) -> Skp | None:
    """The employee's SKP in force (not closed) of the current year."""
    if employee is None:
        return None
    year = current_year(employee.agency_id, today)
    if year is None:
        return None
    return _skp_in_force(employee, year)


def rater_of(employee: Employee, today: dt.date | None = None) -> Employee | None:
    """Pejabat penilai: the rater recorded on the current SKP, else the
    superior in the org chart today."""
    skp = current_skp(employee, today)
    if skp is not None and skp.rater_id:
        return skp.rater
    return superior_of(employee, on=_today(today))


def is_rater(me: Employee | None, employee: Employee | None, today: dt.date | None = None) -> bool:
    if me is None or employee is None or me.pk == employee.pk:
        return False
    rater = rater_of(employee, today)
    if rater is not None and rater.pk == me.pk:
        return True
    current = superior_of(employee, on=_today(today))
    return current is not None and current.pk == me.pk


def is_above(me: Employee, employee: Employee) -> bool:
    """Whether `me` holds a position above the employee's in the org chart."""
    if not employee.position_id or not me.position_id or employee.position_id == me.position_id:
        return False
    theirs, mine = employee.position, me.position
    return theirs is not None and mine is not None and theirs.path.startswith(mine.path)


def feedback_source(author: Employee, employee: Employee, today: dt.date) -> str:
    """Who the author is to the employee (art. 18): themselves, their rater, a
    subordinate, a peer under the same superior, or another party."""
    if author.pk == employee.pk:
        return Feedback.Source.SELF
    if is_rater(author, employee, today):
        return Feedback.Source.SUPERIOR
    mine = superior_of(author, on=today)
    if mine is not None and mine.pk == employee.pk:
        return Feedback.Source.SUBORDINATE
    theirs = superior_of(employee, on=today)
    if mine is not None and theirs is not None and mine.pk == theirs.pk:
        return Feedback.Source.PEER
    return Feedback.Source.OTHER


def direct_reports(me: Employee | None, year: PerformanceYear | None) -> list[Skp]:
    """SKP of the employees `me` rates in the year (one query)."""
    if me is None or year is None:
        return []
    return list(
        Skp.objects.filter(year=year, rater=me)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("employee", "position")
        .order_by("employee__name", "pk")
    )


def direct_report_employees(me: Employee | None) -> list[Employee]:
    """The employees `me` rates in the current year: whom they coach and meet."""
    if me is None:
        return []
    return [skp.employee for skp in direct_reports(me, current_year(me.agency_id))]


def employee_queryset() -> QuerySet[Employee]:
    return Employee.objects.select_related("user", "position", "unit")


def agency_employees(agency_id: int) -> QuerySet[Employee]:
    """Employees of the agency (with their position), to choose from in a form."""
    return Employee.objects.filter(agency_id=agency_id).select_related("position")


def employees_by_ids(agency_id: int, ids: Collection[int]) -> list[Employee]:
    """The agency's employees among `ids` (others are ignored)."""
    return list(Employee.objects.filter(agency_id=agency_id, pk__in=ids or [0]))


def employees_with_user(ids: Collection[int]) -> QuerySet[Employee]:
    """Employees with their user account, to notify them."""
    return Employee.objects.filter(pk__in=ids).select_related("user")
