"""Reads of the monitoring pages and API. Dashboards run a fixed number of
queries whatever the team's or the agency's size (tested at two sizes)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from kinerja.org.access import superior_of
from kinerja.org.models import OrgUnit
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
    Realisasi,
    RhkTakeover,
)

HEATMAP_WEEKS = 12
STREAM_SIZE = 30
RECENT_DAYS = 14

# --- access ---------------------------------------------------------------------------


def employee_q(access, prefix=""):
    """Rows about an employee (`<prefix>employee`) that the user may see:
    their own, their chart below them, the unit they head, admin BKD all."""
    return access.employee_filter(f"{prefix}employee__")


def evidence_q(access):
    return access.employee_filter("owner__")


def feedback_q(access):
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, author_id=access.employee.pk)
    return q


def dialogue_q(access):
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


def coaching_q(access):
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, coach_id=access.employee.pk)
    return q


def rhk_q(access, prefix=""):
    q = access.employee_filter(f"{prefix}skp__employee__")
    if access.employee is not None:
        q |= Q(
            **{f"{prefix}agency_id": access.agency_id, f"{prefix}skp__rater_id": access.employee.pk}
        )
    return q


def same_agency_q(access):
    return Q(agency_id=access.agency_id) if access.agency_id else Q(pk__in=[])


# --- SKP, raters and periods ----------------------------------------------------------


def current_skp(employee, today=None):
    """The employee's SKP in force (not closed) of the current year."""
    if employee is None:
        return None
    year = current_year(employee.agency_id, today)
    if year is None:
        return None
    return (
        Skp.objects.filter(employee=employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("year", "rater")
        .first()
    )


def rater_of(employee, today=None):
    """Pejabat penilai: the rater recorded on the current SKP, else the
    superior in the org chart today."""
    skp = current_skp(employee, today)
    if skp is not None and skp.rater_id:
        return skp.rater
    return superior_of(employee, on=today or timezone.localdate())


def is_rater(me, employee, today=None):
    if me is None or employee is None or me.pk == employee.pk:
        return False
    rater = rater_of(employee, today)
    if rater is not None and rater.pk == me.pk:
        return True
    current = superior_of(employee, on=today or timezone.localdate())
    return current is not None and current.pk == me.pk


def period_for_date(agency_id, date):
    return (
        Period.objects.filter(agency_id=agency_id, start__lte=date, end__gte=date)
        .select_related("year")
        .first()
    )


def period_closed(period, today):
    """A period is closed when its evaluation window has ended or its year is closed."""
    return period.year.status == PerformanceYear.Status.CLOSED or today > period.window_end


def period_open(period, today):
    """Realisasi may be entered from the first day of the period to the end of
    its evaluation window, unless the year is closed."""
    return period.start <= today and not period_closed(period, today)


def open_periods(year, today):
    if year is None:
        return []
    return [p for p in year.periods.all().select_related("year") if period_open(p, today)]


def takeovers_for_skp(skp):
    """RHK of this SKP that the superior took over (art. 20), with the note:
    for the evaluation. One query."""
    return list(
        RhkTakeover.objects.filter(rhk__skp=skp)
        .select_related("rhk", "by")
        .order_by("rhk__kind", "rhk__order", "rhk_id")
    )


# --- objects with their relations -----------------------------------------------------


def realisasi_queryset():
    return Realisasi.objects.select_related(
        "employee", "iki", "iki__rhk", "iki__rhk__skp", "period", "period__year"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def log_queryset():
    return DailyLog.objects.select_related("employee", "rhk").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("reviewed_by")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("author")),
    )


def iki_queryset():
    return Iki.objects.select_related("rhk", "rhk__skp", "rhk__skp__year", "rhk__skp__employee")


def thread(feedbacks):
    """Top-level feedback with `children` (replies in order)."""
    by_parent = defaultdict(list)
    for fb in feedbacks:
        by_parent[fb.parent_id].append(fb)
    for fb in feedbacks:
        fb.children = by_parent.get(fb.pk, [])
    return by_parent.get(None, [])


# --- progress -------------------------------------------------------------------------


def capaian(iki, value):
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


def progress_table(rhks, periods, realisasi):
    """Attach to each IKI its per-period cells and to each RHK a chart."""
    by_key = {(r.iki_id, r.period_id): r for r in realisasi}
    for rhk in rhks:
        series = []
        for iki in rhk.ikis.all():
            iki.cells = []
            for period in periods:
                r = by_key.get((iki.pk, period.pk))
                iki.cells.append(
                    {"period": period, "realisasi": r, "capaian": capaian(iki, r and r.value)}
                )
            series.append([c["capaian"] for c in iki.cells])
        # RHK progress: the mean capaian of its IKI per period.
        points = []
        for i, _period in enumerate(periods):
            values = [s[i] for s in series if s[i] is not None]
            points.append(sum(values) / len(values) if values else None)
        rhk.chart = charts.line_chart([p.label for p in periods], points)
    return rhks


# --- dashboards -----------------------------------------------------------------------


def employee_dashboard(employee, today=None):
    """Everything on the employee's page, in a fixed number of queries."""
    today = today or timezone.localdate()
    year = current_year(employee.agency_id, today)
    data = {
        "year": year,
        "skp": None,
        "rhks": [],
        "periods": [],
        "open_periods": [],
        "missing": [],
    }
    if year is not None:
        skp = (
            Skp.objects.filter(employee=employee, year=year)
            .exclude(status=Skp.Status.DITUTUP)
            .select_related("rater")
            .first()
        )
        data["skp"] = skp
        periods = list(Period.objects.filter(year=year).select_related("year"))
        data["periods"] = periods
        data["open_periods"] = [p for p in periods if period_open(p, today)]
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
            data["rhks"] = progress_table(rhks, periods, realisasi)
            done = {(r.iki_id, r.period_id) for r in realisasi}
            data["missing"] = [
                (period, iki)
                for period in data["open_periods"]
                for rhk in rhks
                for iki in rhk.ikis.all()
                if (iki.pk, period.pk) not in done
            ]
    data["feedback"] = list(
        Feedback.objects.filter(employee=employee, parent__isnull=True)
        .exclude(author=employee)
        .select_related("author", "rhk", "log", "realisasi")
        .order_by("-created_at", "-pk")[:10]
    )
    data["actions"] = list(
        AgreedAction.objects.filter(owner=employee, done_at__isnull=True)
        .select_related("dialogue")
        .order_by("due", "pk")
    )
    data["requests"] = list(
        FeedbackRequest.objects.filter(asked=employee, answered_at__isnull=True)
        .select_related("employee", "rhk")
        .order_by("created_at")
    )
    data["returned"] = list(
        Evidence.objects.filter(owner=employee, status=Evidence.Status.INSUFFICIENT)
        .select_related("realisasi__iki", "realisasi__period", "log", "reviewed_by")
        .order_by("-reviewed_at")
    )
    data["recent_logs"] = list(
        DailyLog.objects.filter(employee=employee)
        .select_related("rhk")
        .annotate(n_evidence=Count("evidence", distinct=True))
        .order_by("-date", "-pk")[:5]
    )
    data["today"] = today
    for action in data["actions"]:
        action.is_overdue = action.due < today
    return data


def direct_reports(me, year):
    """SKP of the employees `me` rates in the year (one query)."""
    if me is None or year is None:
        return []
    return list(
        Skp.objects.filter(year=year, rater=me)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("employee", "position")
        .order_by("employee__name", "pk")
    )


def team_dashboard(me, today=None):
    """The superior's page: per direct report the logs of the last 14 days,
    realisasi coverage of the open period, realisasi without evidence, overdue
    agreed actions; a stream of the team's logs; a heat map per person (from one
    aggregate query over the last HEATMAP_WEEKS weeks)."""
    today = today or timezone.localdate()
    year = current_year(me.agency_id, today)
    skps = direct_reports(me, year)
    ids = [s.employee_id for s in skps]
    period = (
        Period.objects.filter(year=year, start__lte=today, end__gte=today)
        .select_related("year")
        .first()
        if year
        else None
    )
    first_day = today - dt.timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    per_day = defaultdict(dict)
    for employee_id, date, n in (
        DailyLog.objects.filter(employee_id__in=ids, date__gte=first_day, date__lte=today)
        .values_list("employee_id", "date")
        .annotate(n=Count("pk"))
        .values_list("employee_id", "date", "n")
    ):
        per_day[employee_id][date] = n
    ikis = dict(
        Iki.objects.filter(rhk__skp__in=[s.pk for s in skps])
        .values_list("rhk__skp__employee_id")
        .annotate(n=Count("pk"))
        .values_list("rhk__skp__employee_id", "n")
    )
    filled, no_evidence = {}, {}
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
    overdue = dict(
        AgreedAction.objects.filter(owner_id__in=ids, done_at__isnull=True, due__lt=today)
        .values_list("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    recent_from = today - dt.timedelta(days=RECENT_DAYS - 1)
    for skp in skps:
        days = per_day.get(skp.employee_id, {})
        skp.recent_logs = sum(n for d, n in days.items() if d >= recent_from)
        skp.n_iki = ikis.get(skp.employee_id, 0)
        skp.n_filled = filled.get(skp.employee_id, 0)
        skp.n_no_evidence = no_evidence.get(skp.employee_id, 0)
        skp.n_overdue = overdue.get(skp.employee_id, 0)
        skp.coverage = round(100 * skp.n_filled / skp.n_iki) if skp.n_iki else None
        skp.heatmap = charts.heatmap(days, first_day, today)
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
        "silent": [s for s in skps if not s.recent_logs],
        "today": today,
    }


def unit_dashboard(access, today=None):
    """Realisation coverage by unit for the open period: units the user heads
    (admin BKD: the whole agency). Four queries."""
    today = today or timezone.localdate()
    year = current_year(access.agency_id, today) if access.agency_id else None
    period = (
        Period.objects.filter(year=year, start__lte=today, end__gte=today)
        .select_related("year")
        .first()
        if year
        else None
    )
    if access.is_admin:
        units_q = Q(agency_id=access.agency_id)
    elif access.head_unit_paths:
        units_q = Q(agency_id=access.agency_id) & Q(
            pk__in=OrgUnit.objects.filter(
                _or([Q(path__startswith=p) for p in access.head_unit_paths])
            ).values("pk")
        )
    else:
        return {"year": year, "period": period, "units": [], "allowed": False}
    units = list(OrgUnit.objects.filter(units_q).order_by("path"))
    unit_ids = [u.pk for u in units]
    skp_base = Skp.objects.filter(year=year, unit_id__in=unit_ids).exclude(
        status=Skp.Status.DITUTUP
    )
    employees = dict(
        skp_base.values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    ikis = dict(
        Iki.objects.filter(rhk__skp__in=skp_base)
        .values_list("rhk__skp__unit_id")
        .annotate(n=Count("pk"))
        .values_list("rhk__skp__unit_id", "n")
    )
    filled = {}
    if period is not None:
        filled = dict(
            Realisasi.objects.filter(period=period, iki__rhk__skp__in=skp_base)
            .values_list("iki__rhk__skp__unit_id")
            .annotate(n=Count("pk"))
            .values_list("iki__rhk__skp__unit_id", "n")
        )
    rows = []
    for unit in units:
        unit.n_employees = employees.get(unit.pk, 0)
        unit.n_iki = ikis.get(unit.pk, 0)
        unit.n_filled = filled.get(unit.pk, 0)
        unit.coverage = round(100 * unit.n_filled / unit.n_iki) if unit.n_iki else None
        if unit.n_employees:
            rows.append(unit)
    total_iki = sum(u.n_iki for u in rows)
    total_filled = sum(u.n_filled for u in rows)
    return {
        "year": year,
        "period": period,
        "units": rows,
        "allowed": True,
        "coverage": round(100 * total_filled / total_iki) if total_iki else None,
    }


def _or(parts):
    q = Q(pk__in=[])
    for part in parts:
        q |= part
    return q


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications(user, limit=50):
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


def coaching_list(access):
    return list(
        CoachingSession.objects.filter(coaching_q(access))
        .select_related("employee", "coach")
        .order_by("-date", "-pk")[:100]
    )


def dialogue_list(access):
    return list(
        Dialogue.objects.filter(dialogue_q(access))
        .select_related("superior")
        .prefetch_related("participants")
        .order_by("-scheduled_at", "-pk")[:100]
    )


def rhk_summary(rhk, period=None):
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
        "capaian": (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None,
        "takeover": takeover,
    }
