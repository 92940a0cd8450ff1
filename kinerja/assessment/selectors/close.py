"""What the annual close will leave without a final result (docs/domain.md §4, "Annual
close"): shown to admin BKD before the close is confirmed and returned by the close job."""

import datetime as dt
from dataclasses import dataclass

from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.planning.selectors.calendar import agency_calendar

from ..models import Evaluation

#: SKP statuses that can be evaluated: set (ditetapkan), or set and closed on a move. An
#: employee whose SKP of the year never got there has nothing to be rated against.
SKP_SET = (Skp.Status.DISETUJUI, Skp.Status.DITUTUP)


@dataclass(frozen=True)
class CloseGaps:
    """Active employees of the agency and why some have no final result for the year."""

    employees: int
    with_result: int
    no_skp: int
    skp_not_approved: int
    not_rated: int
    not_finalised: int

    @property
    def without_result(self) -> int:
        return self.no_skp + self.skp_not_approved + self.not_rated + self.not_finalised

    def as_dict(self) -> dict[str, int]:
        return {
            "employees": self.employees,
            "with_result": self.with_result,
            "without_result": self.without_result,
            "no_skp": self.no_skp,
            "skp_not_approved": self.skp_not_approved,
            "not_rated": self.not_rated,
            "not_finalised": self.not_finalised,
        }


def close_gaps(year: PerformanceYear) -> CloseGaps:
    """Per active employee, the evaluation that gives the year's result: the annual one, or
    with annual_source "last_period" the last period's when there is no annual one yet. No
    SKP in the year: `no_skp`; SKP never set (still a draft, submitted or returned):
    `skp_not_approved`, whatever evaluation rows exist, since there is nothing to rate
    against; no such evaluation or it is not rated: `not_rated`; rated but not finalised:
    `not_finalised`. Four queries whatever the agency's size."""
    employees = Employee.objects.filter(agency_id=year.agency_id, is_active=True).count()
    with_skp: set[int] = set()
    with_set_skp: set[int] = set()
    for employee_id, status in (
        Skp.objects.filter(year=year, employee__is_active=True)
        .values_list("employee_id", "status")
        .distinct()
    ):
        with_skp.add(employee_id)
        if status in SKP_SET:
            with_set_skp.add(employee_id)
    rows = Evaluation.objects.filter(year=year, employee__is_active=True, period__isnull=True)
    if year.annual_source == PerformanceYear.AnnualSource.LAST_PERIOD:
        last = Period.objects.filter(year=year).order_by("-number").first()
        rows = rows | Evaluation.objects.filter(period=last, employee__is_active=True)
    best: dict[int, int] = {}  # 2 finalised, 1 rated, 0 not rated
    for employee_id, hasil, status in rows.values_list("employee_id", "hasil", "status"):
        rank = 2 if status in Evaluation.LOCKED else (1 if hasil else 0)
        best[employee_id] = max(rank, best.get(employee_id, 0))
    ranks = [best.get(employee_id, 0) for employee_id in with_set_skp]
    return CloseGaps(
        employees=employees,
        with_result=ranks.count(2),
        no_skp=employees - len(with_skp),
        skp_not_approved=len(with_skp) - len(with_set_skp),
        not_rated=ranks.count(0),
        not_finalised=ranks.count(1),
    )


def last_window_opens(year: PerformanceYear) -> dt.date | None:
    """The day the last period's evaluation window opens on the agency's calendar."""
    last = agency_calendar(year).last_period
    return last.evaluation.start if last is not None else None
