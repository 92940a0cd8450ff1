"""Reads of the monitoring pages, the API and the services (docs/domain.md §3).
A read never writes. Each page's rows come from here with their
`select_related`/`prefetch_related`, so the query count stays fixed: the
dashboards run the same number of queries whatever the team's or the agency's
size (tested at two sizes)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TypedDict

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from kinerja.org.access import Access, superior_of
from kinerja.org.models import Employee, OrgUnit, User
from kinerja.planning.models import Iki, PerformanceYear, Period, Rhk, Skp
from kinerja.planning.selectors import current_year

from . import charts
from .models import (
    ActionPlanStep,
    AgreedAction,
    CoachingSession,
    DailyLog,
    Dialogue,
    Evidence,
    Feedback,
    FeedbackRequest,
    Notification,
    NotificationPreference,
    ProjectReport,
    Realisasi,
    RhkTakeover,
)

HEATMAP_WEEKS = 12
STREAM_SIZE = 30
RECENT_DAYS = 14
COLLEAGUES_MAX = 500


def _attach(row: models.Model, **values: object) -> None:
    """Values computed for a page, read by its template as attributes of the row
    (as a queryset's `annotate` would)."""
    row.__dict__.update(values)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- access ---------------------------------------------------------------------------


def employee_q(access: Access, prefix: str = "") -> Q:
    """Rows about an employee (`<prefix>employee`) that the user may see:
    their own, their chart below them, the unit they head, admin BKD all."""
    return access.employee_filter(f"{prefix}employee__")


def evidence_q(access: Access) -> Q:
    return access.employee_filter("owner__")


def feedback_q(access: Access) -> Q:
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, author_id=access.employee.pk)
    return q


def dialogue_q(access: Access) -> Q:
    if access.agency_id is None:
        return Q(pk__in=[])
    if access.is_admin:
        return Q(agency_id=access.agency_id)
    if access.employee is None:
        return Q(pk__in=[])
    me = access.employee.pk
    return Q(agency_id=access.agency_id) & (
        Q(superior_id=me)
        | Q(
            pk__in=Dialogue.participants.through.objects.filter(employee_id=me).values(
                "dialogue_id"
            )
        )
    )


def agreed_action_q(access: Access) -> Q:
    """Agreed actions the user owns (or may see the owner of), and those of the
    dialogues they lead."""
    q = access.employee_filter("owner__")
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, dialogue__superior_id=access.employee.pk)
    return q


def coaching_q(access: Access) -> Q:
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, coach_id=access.employee.pk)
    return q


def rhk_q(access: Access, prefix: str = "") -> Q:
    q = access.employee_filter(f"{prefix}skp__employee__")
    if access.employee is not None:
        q |= Q(
            **{f"{prefix}agency_id": access.agency_id, f"{prefix}skp__rater_id": access.employee.pk}
        )
    return q


def same_agency_q(access: Access) -> Q:
    return Q(agency_id=access.agency_id) if access.agency_id else Q(pk__in=[])


# --- SKP, raters and the org chart ----------------------------------------------------


def _skp_in_force(employee: Employee, year: PerformanceYear) -> Skp | None:
    return (
        Skp.objects.filter(employee=employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("year", "rater")
        .first()
    )


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


# --- periods --------------------------------------------------------------------------


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
    """A period is closed when its evaluation window has ended or its year is closed."""
    return period.year.status == PerformanceYear.Status.CLOSED or today > period.window_end


def period_open(period: Period, today: dt.date) -> bool:
    """Realisasi may be entered from the first day of the period to the end of
    its evaluation window, unless the year is closed."""
    return period.start <= today and not period_closed(period, today)


def open_periods(year: PerformanceYear | None, today: dt.date) -> list[Period]:
    if year is None:
        return []
    return [p for p in year.periods.all().select_related("year") if period_open(p, today)]


# --- RHK, action plans, takeovers, reports --------------------------------------------


def rhks_of_skp(skp: Skp | None) -> list[Rhk]:
    if skp is None:
        return []
    return list(Rhk.objects.filter(skp=skp).order_by("kind", "order", "pk"))


def current_rhks(employee: Employee) -> list[Rhk]:
    """The RHK of the employee's SKP in force: what a daily log or a request for
    feedback may be about."""
    return rhks_of_skp(current_skp(employee))


def agency_rhks(agency_id: int) -> QuerySet[Rhk]:
    """RHK of the agency, to choose from in a form (the services check whose)."""
    return Rhk.objects.select_related("skp").filter(agency_id=agency_id)


def rhk_detail_queryset() -> QuerySet[Rhk]:
    return Rhk.objects.select_related(
        "skp", "skp__employee", "skp__year", "parent"
    ).prefetch_related(Prefetch("ikis", queryset=Iki.objects.order_by("order", "pk")))


def action_plan_step_queryset() -> QuerySet[ActionPlanStep]:
    return ActionPlanStep.objects.select_related("rhk__skp__employee")


def is_taken_over(rhk: Rhk) -> bool:
    return RhkTakeover.objects.filter(rhk=rhk).exists()


def takeovers_for_skp(skp: Skp) -> list[RhkTakeover]:
    """RHK of this SKP that the superior took over (art. 20), with the note:
    for the evaluation. One query."""
    return list(
        RhkTakeover.objects.filter(rhk__skp=skp)
        .select_related("rhk", "by")
        .order_by("rhk__kind", "rhk__order", "rhk_id")
    )


def is_team_member(employee: Employee, rhk: Rhk) -> bool:
    """The RHK's owner, or an owner of an RHK that intervenes in it."""
    return (
        rhk.skp.employee_id == employee.pk
        or rhk.interventions.filter(skp__employee=employee).exists()
    )


def project_report_of(rhk: Rhk, author: Employee) -> ProjectReport | None:
    return ProjectReport.objects.filter(rhk=rhk, author=author).first()


# --- realisasi, evidence, logs, feedback ----------------------------------------------


def realisasi_queryset() -> QuerySet[Realisasi]:
    return Realisasi.objects.select_related(
        "employee", "iki", "iki__rhk", "iki__rhk__skp", "period", "period__year"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def realisasi_by_period(iki: Iki) -> dict[int, Realisasi]:
    """The IKI's realisasi by period id, with their evidence (two queries)."""
    rows = Realisasi.objects.filter(iki=iki).prefetch_related("evidence")
    return {r.period_id: r for r in rows}


def realisasi_of(iki: Iki, period: Period) -> Realisasi | None:
    return Realisasi.objects.filter(iki=iki, period=period).first()


def iki_queryset() -> QuerySet[Iki]:
    return Iki.objects.select_related("rhk", "rhk__skp", "rhk__skp__year", "rhk__skp__employee")


def evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("owner", "realisasi", "log")


def evidence_file_queryset() -> QuerySet[Evidence]:
    """Evidence stored as a file, with what its download records."""
    return Evidence.objects.select_related("owner", "agency").filter(kind=Evidence.Kind.FILE)


def daily_log_queryset() -> QuerySet[DailyLog]:
    return DailyLog.objects.all()


def daily_log_detail_queryset() -> QuerySet[DailyLog]:
    return DailyLog.objects.select_related("employee", "rhk").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def daily_logs_of(employee: Employee, limit: int = 60) -> list[DailyLog]:
    """The employee's latest logs with their evidence and feedback (three queries)."""
    return list(
        daily_log_detail_queryset().filter(employee=employee).order_by("-date", "-pk")[:limit]
    )


def thread(feedbacks: list[Feedback]) -> list[Feedback]:
    """Top-level feedback with `children` (replies in order)."""
    by_parent: dict[int | None, list[Feedback]] = defaultdict(list)
    for fb in feedbacks:
        by_parent[fb.parent_id].append(fb)
    for fb in feedbacks:
        _attach(fb, children=by_parent.get(fb.pk, []))
    return by_parent.get(None, [])


def feedback_queryset() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("employee")


def feedback_request_for(me: Employee, pk: int) -> FeedbackRequest | None:
    """A request for feedback addressed to `me`."""
    return FeedbackRequest.objects.filter(agency_id=me.agency_id, pk=pk, asked=me).first()


class FeedbackOverview(TypedDict):
    thread: list[Feedback]
    given: list[Feedback]
    requests: list[FeedbackRequest]
    colleagues: list[Employee]


def feedback_overview(me: Employee) -> FeedbackOverview:
    """The feedback page: the threads about `me` (newest first), what they gave,
    what they were asked for, and whom they may ask (four queries)."""
    about_me = list(
        Feedback.objects.filter(employee=me)
        .select_related("author", "rhk", "log", "realisasi__iki")
        .order_by("created_at", "pk")
    )
    return {
        "thread": list(reversed(thread(about_me))),
        "given": list(
            Feedback.objects.filter(author=me, parent__isnull=True)
            .select_related("employee")
            .order_by("-created_at", "-pk")[:30]
        ),
        "requests": list(
            FeedbackRequest.objects.filter(asked=me, answered_at=None).select_related("employee")
        ),
        "colleagues": list(
            Employee.objects.filter(agency_id=me.agency_id, is_active=True)
            .exclude(pk=me.pk)
            .only("pk", "name", "front_title", "back_title")
            .order_by("name")[:COLLEAGUES_MAX]
        ),
    }


# --- progress -------------------------------------------------------------------------


def capaian(iki: Iki, value: Decimal | None) -> Decimal | None:
    """Percentage of the target reached (None when not computable)."""
    if value is None:
        return None
    target = iki.target_max if iki.target_max is not None else iki.target_min
    if target is None or target == 0:
        return None
    if iki.lower_is_better:
        if value == 0:
            return Decimal(100)
        return (target / value * 100).quantize(Decimal("0.1"))
    return (value / target * 100).quantize(Decimal("0.1"))


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def progress_table(
    rhks: list[Rhk], periods: list[Period], realisasi: Iterable[Realisasi]
) -> list[Rhk]:
    """Attach to each IKI its per-period cells and to each RHK a chart."""
    by_key = {(r.iki_id, r.period_id): r for r in realisasi}
    for rhk in rhks:
        series: list[list[Decimal | None]] = []
        for iki in rhk.ikis.all():
            cells, reached_by_period = [], []
            for period in periods:
                r = by_key.get((iki.pk, period.pk))
                reached = capaian(iki, r.value if r is not None else None)
                cells.append({"period": period, "realisasi": r, "capaian": reached})
                reached_by_period.append(reached)
            _attach(iki, cells=cells)
            series.append(reached_by_period)
        # RHK progress: the mean capaian of its IKI per period.
        points: list[Decimal | None] = []
        for i, _period in enumerate(periods):
            values = [v for s in series if (v := s[i]) is not None]
            points.append(_mean(values))
        _attach(rhk, chart=charts.line_chart([p.label for p in periods], points))
    return rhks


class RhkPage(TypedDict):
    periods: list[Period]
    steps: list[ActionPlanStep]
    takeover: RhkTakeover | None
    reports: list[ProjectReport]
    thread: list[Feedback]


def rhk_page(rhk: Rhk) -> RhkPage:
    """The RHK's page: progress per period (attached to the RHK), its action
    plan, takeover, reports and the feedback on it (six queries)."""
    periods = periods_of_year(rhk.skp.year_id)
    progress_table([rhk], periods, list(Realisasi.objects.filter(iki__rhk=rhk)))
    return {
        "periods": periods,
        "steps": list(ActionPlanStep.objects.filter(rhk=rhk).order_by("due", "pk")),
        "takeover": RhkTakeover.objects.filter(rhk=rhk).select_related("by").first(),
        "reports": list(rhk.reports.select_related("author")),
        "thread": thread(
            list(
                Feedback.objects.filter(rhk=rhk, realisasi=None, log=None)
                .select_related("author")
                .order_by("created_at", "pk")
            )
        ),
    }


# --- dashboards -----------------------------------------------------------------------


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


# --- notifications, coaching, dialogues -----------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications(user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


def notification_preferences(user: User) -> list[tuple[str, str | Promise, bool]]:
    """(kind, label, by e-mail) of every kind of notification; e-mail is on
    unless the user switched it off."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True)
    )
    return [(kind, label, kind not in off) for kind, label in Notification.Kind.choices]


def coaching_list(access: Access) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.filter(coaching_q(access))
        .select_related("employee", "coach")
        .order_by("-date", "-pk")[:100]
    )


def coaching_session_queryset() -> QuerySet[CoachingSession]:
    return CoachingSession.objects.select_related("employee", "coach")


def has_coaching(employee: Employee) -> bool:
    """Whether any coaching, mentoring or counselling was recorded for the employee."""
    return CoachingSession.objects.filter(employee=employee).exists()


def dialogue_list(access: Access) -> list[Dialogue]:
    return list(
        Dialogue.objects.filter(dialogue_q(access))
        .select_related("superior")
        .prefetch_related("participants")
        .order_by("-scheduled_at", "-pk")[:100]
    )


def dialogue_queryset() -> QuerySet[Dialogue]:
    return Dialogue.objects.select_related("superior").prefetch_related("participants")


def is_participant(employee: Employee, dialogue: Dialogue) -> bool:
    return dialogue.participants.filter(pk=employee.pk).exists()


def dialogue_actions(dialogue: Dialogue, today: dt.date | None = None) -> list[AgreedAction]:
    """The dialogue's agreed actions with their owners, overdue ones marked."""
    today = _today(today)
    actions = list(dialogue.actions.select_related("owner"))
    for action in actions:
        _attach(action, is_overdue=action.done_at is None and action.due < today)
    return actions


def agreed_action_queryset() -> QuerySet[AgreedAction]:
    return AgreedAction.objects.select_related("dialogue", "owner")


# --- for the evaluation (kinerja.assessment) ------------------------------------------


class RhkSummary(TypedDict):
    realisasi: list[Realisasi]
    evidence: list[Evidence]
    feedback: list[Feedback]
    capaian: Decimal | None
    takeover: RhkTakeover | None


def rhk_summary(rhk: Rhk, period: Period | None = None) -> RhkSummary:
    """For the evaluation (kinerja.assessment): the realisasi of the RHK's IKI in
    `period` (None: every period of the year), their evidence, the feedback on
    the RHK and its results, the mean capaian, and the takeover note if the
    superior took the RHK over (art. 20). Four queries."""
    realisasi_qs = Realisasi.objects.filter(iki__rhk=rhk).select_related("iki", "period")
    if period is not None:
        realisasi_qs = realisasi_qs.filter(period=period)
    realisasi = list(realisasi_qs.order_by("period__number", "iki__order", "iki_id"))
    evidence = list(Evidence.objects.filter(realisasi__in=[r.pk for r in realisasi]).order_by("pk"))
    feedback = list(
        Feedback.objects.filter(
            Q(rhk=rhk) | Q(realisasi__iki__rhk=rhk) | Q(log__rhk=rhk), parent__isnull=True
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    values = [c for c in (capaian(r.iki, r.value) for r in realisasi) if c is not None]
    takeover = RhkTakeover.objects.filter(rhk=rhk).select_related("by").first()
    return {
        "realisasi": realisasi,
        "evidence": evidence,
        "feedback": feedback,
        "capaian": mean.quantize(Decimal("0.1")) if (mean := _mean(values)) is not None else None,
        "takeover": takeover,
    }
