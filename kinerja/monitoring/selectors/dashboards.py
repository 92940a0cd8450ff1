"""The employee's, the team's and the units' dashboards, each in a fixed number
of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kinerja.org.access import Access
from kinerja.org.models import Employee, OrgUnit
from kinerja.planning.models import Iki, PerformanceYear, Period, Rhk, Skp
from kinerja.planning.selectors import current_year

from .. import charts
from ..models import (
    ActionPlanStep,
    AgreedAction,
    DailyLog,
    Evidence,
    Feedback,
    FeedbackRequest,
    Realisasi,
)
from ._common import _attach, _skp_in_force, _today
from .people import direct_reports
from .periods import current_period, period_open
from .realisasi import progress_table

HEATMAP_WEEKS = 12


STREAM_SIZE = 30


RECENT_DAYS = 14


class EmployeeDashboard(TypedDict):
    year: PerformanceYear | None
    skp: Skp | None
    rhks: list[Rhk]
    periods: list[Period]
    open_periods: list[Period]
    missing: list[tuple[Period, Iki]]
    feedback: list[Feedback]
    actions: list[AgreedAction]
    requests: list[FeedbackRequest]
    returned: list[Evidence]
    recent_logs: Sequence[DailyLog]
    today: dt.date


def employee_dashboard(employee: Employee, today: dt.date | None = None) -> EmployeeDashboard:
    """Everything on the employee's page, in a fixed number of queries."""
    today = _today(today)
    year = current_year(employee.agency_id, today)
    skp = None
    rhks: list[Rhk] = []
    periods: list[Period] = []
    missing: list[tuple[Period, Iki]] = []
    if year is not None:
        skp = _skp_in_force(employee, year)
        periods = list(Period.objects.filter(year=year).select_related("year"))
    opened = [p for p in periods if period_open(p, today)]
    if skp is not None:
        rhks = list(
            Rhk.objects.filter(skp=skp)
            .select_related("takeover")
            .prefetch_related(
                Prefetch("ikis", queryset=Iki.objects.order_by("order", "pk")),
                Prefetch(
                    "steps",
                    queryset=ActionPlanStep.objects.filter(done_at__isnull=True).order_by(
                        "due", "pk"
                    ),
                ),
            )
            .order_by("kind", "order", "pk")
        )
        realisasi = list(
            Realisasi.objects.filter(employee=employee, period__year=year).only(
                "pk", "iki_id", "period_id", "value", "narrative"
            )
        )
        progress_table(rhks, periods, realisasi)
        done = {(r.iki_id, r.period_id) for r in realisasi}
        missing = [
            (period, iki)
            for period in opened
            for rhk in rhks
            for iki in rhk.ikis.all()
            if (iki.pk, period.pk) not in done
        ]
    actions = list(
        AgreedAction.objects.filter(owner=employee, done_at__isnull=True)
        .select_related("dialogue")
        .order_by("due", "pk")
    )
    for action in actions:
        _attach(action, is_overdue=action.due < today)
    return {
        "year": year,
        "skp": skp,
        "rhks": rhks,
        "periods": periods,
        "open_periods": opened,
        "missing": missing,
        "feedback": list(
            Feedback.objects.filter(employee=employee, parent__isnull=True)
            .exclude(author=employee)
            .select_related("author", "rhk", "log", "realisasi")
            .order_by("-created_at", "-pk")[:10]
        ),
        "actions": actions,
        "requests": list(
            FeedbackRequest.objects.filter(asked=employee, answered_at__isnull=True)
            .select_related("employee", "rhk")
            .order_by("created_at")
        ),
        "returned": list(
            Evidence.objects.filter(owner=employee, status=Evidence.Status.INSUFFICIENT)
            .select_related("realisasi__iki", "realisasi__period", "log", "reviewed_by")
            .order_by("-reviewed_at")
        ),
        "recent_logs": list(
            DailyLog.objects.filter(employee=employee)
            .select_related("rhk")
            .annotate(n_evidence=Count("evidence", distinct=True))
            .order_by("-date", "-pk")[:5]
        ),
        "today": today,
    }


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _count_by(rows: QuerySet, key: str) -> dict[int, int]:
    """{key value: number of rows} in one aggregate query."""
    return dict(rows.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


class TeamDashboard(TypedDict):
    year: PerformanceYear | None
    period: Period | None
    team: list[Skp]
    stream: Sequence[DailyLog]
    silent: list[Skp]
    today: dt.date


def team_dashboard(me: Employee, today: dt.date | None = None) -> TeamDashboard:
    """The superior's page: per direct report the logs of the last 14 days,
    realisasi coverage of the open period, realisasi without evidence, overdue
    agreed actions; a stream of the team's logs; a heat map per person (from one
    aggregate query over the last HEATMAP_WEEKS weeks)."""
    today = _today(today)
    year = current_year(me.agency_id, today)
    skps = direct_reports(me, year)
    ids = [s.employee_id for s in skps]
    period = current_period(year, today)
    first_day = today - dt.timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    per_day: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for employee_id, date, n in (
        DailyLog.objects.filter(employee_id__in=ids, date__gte=first_day, date__lte=today)
        .values_list("employee_id", "date")
        .annotate(n=Count("pk"))
        .values_list("employee_id", "date", "n")
    ):
        per_day[employee_id][date] = n
    ikis = _count_by(Iki.objects.filter(rhk__skp__in=[s.pk for s in skps]), "rhk__skp__employee_id")
    filled: dict[int, int] = {}
    no_evidence: dict[int, int] = {}
    if period is not None:
        rows = (
            Realisasi.objects.filter(period=period, employee_id__in=ids)
            .annotate(has_ev=Exists(Evidence.objects.filter(realisasi_id=OuterRef("pk"))))
            .values_list("employee_id", "has_ev")
        )
        for employee_id, has_ev in rows:
            filled[employee_id] = filled.get(employee_id, 0) + 1
            if not has_ev:
                no_evidence[employee_id] = no_evidence.get(employee_id, 0) + 1
    overdue = _count_by(
        AgreedAction.objects.filter(owner_id__in=ids, done_at__isnull=True, due__lt=today),
        "owner_id",
    )
    recent_from = today - dt.timedelta(days=RECENT_DAYS - 1)
    silent = []
    for skp in skps:
        days = per_day.get(skp.employee_id, {})
        recent_logs = sum(n for d, n in days.items() if d >= recent_from)
        if not recent_logs:
            silent.append(skp)
        n_iki = ikis.get(skp.employee_id, 0)
        n_filled = filled.get(skp.employee_id, 0)
        _attach(
            skp,
            recent_logs=recent_logs,
            n_iki=n_iki,
            n_filled=n_filled,
            n_no_evidence=no_evidence.get(skp.employee_id, 0),
            n_overdue=overdue.get(skp.employee_id, 0),
            coverage=_percent(n_filled, n_iki),
            heatmap=charts.heatmap(days, first_day, today),
        )
    stream = list(
        DailyLog.objects.filter(employee_id__in=ids)
        .select_related("employee", "rhk")
        .annotate(
            n_evidence=Count("evidence", distinct=True),
            n_feedback=Count("feedback", distinct=True),
        )
        .order_by("-date", "-pk")[:STREAM_SIZE]
    )
    return {
        "year": year,
        "period": period,
        "team": skps,
        "stream": stream,
        "silent": silent,
        "today": today,
    }


class UnitDashboard(TypedDict, total=False):
    year: PerformanceYear | None
    period: Period | None
    units: list[OrgUnit]
    allowed: bool
    coverage: int | None


def _any_of(parts: Iterable[Q]) -> Q:
    q = Q(pk__in=[])
    for part in parts:
        q |= part
    return q


def unit_dashboard(access: Access, today: dt.date | None = None) -> UnitDashboard:
    """Realisation coverage by unit for the open period: units the user heads
    (admin BKD: the whole agency). Four queries."""
    today = _today(today)
    year = current_year(access.agency_id, today) if access.agency_id else None
    period = current_period(year, today)
    if access.is_admin:
        units_q = Q(agency_id=access.agency_id)
    elif access.head_unit_paths:
        units_q = Q(agency_id=access.agency_id) & Q(
            pk__in=OrgUnit.objects.filter(
                _any_of(Q(path__startswith=p) for p in access.head_unit_paths)
            ).values("pk")
        )
    else:
        return {"year": year, "period": period, "units": [], "allowed": False}
    units = list(OrgUnit.objects.filter(units_q).order_by("path"))
    unit_ids = [u.pk for u in units]
    skp_base = Skp.objects.filter(year=year, unit_id__in=unit_ids).exclude(
        status=Skp.Status.DITUTUP
    )
    employees = _count_by(skp_base, "unit_id")
    ikis = _count_by(Iki.objects.filter(rhk__skp__in=skp_base), "rhk__skp__unit_id")
    filled: dict[int, int] = {}
    if period is not None:
        filled = _count_by(
            Realisasi.objects.filter(period=period, iki__rhk__skp__in=skp_base),
            "iki__rhk__skp__unit_id",
        )
    rows = []
    total_iki = total_filled = 0
    for unit in units:
        n_employees = employees.get(unit.pk, 0)
        n_iki = ikis.get(unit.pk, 0)
        n_filled = filled.get(unit.pk, 0)
        _attach(
            unit,
            n_employees=n_employees,
            n_iki=n_iki,
            n_filled=n_filled,
            coverage=_percent(n_filled, n_iki),
        )
        if n_employees:
            rows.append(unit)
            total_iki += n_iki
            total_filled += n_filled
    return {
        "year": year,
        "period": period,
        "units": rows,
        "allowed": True,
        "coverage": _percent(total_filled, total_iki),
    }
