"""What a user may see of the evaluations and peer inputs, and the employee's,
the rater's and the team's pages."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.org.access import Access
from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.planning.selectors.calendar import calendar_map

from ..models import (
    Appeal,
    BehaviourAssessment,
    CalibrationChange,
    Evaluation,
    Notice,
    PeerInput,
    RhkAssessment,
    SelfAssessment,
)
from .predikat import predikat_label, predikat_map

EVALUATION_RELATED = (
    "year",
    "period",
    "skp",
    "skp__position",
    "skp__rater_position",
    "employee",
    "employee__position",
    "unit",
    "rater",
    "rater_unit",
    "rated_by",
)


def evaluation_filter(access: Access, prefix: str = "") -> Q:
    """A Q over Evaluation: what the user may see. Own, the chart below them,
    those they rate, appeals they decide; admin BKD and the tim penilai the
    whole agency. Not a peer asked for input."""
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}agency_id": access.agency_id})
    if access.is_admin or access.is_tim_penilai:
        return scope
    visible = access.employee_filter(f"{prefix}employee__")
    if access.employee is not None:
        me = access.employee.pk
        visible |= Q(**{f"{prefix}rater_id": me}) | Q(**{f"{prefix}appeal__decider_id": me})
        # A peer asked for input sees their own input form (peer_input_filter),
        # never the evaluation, its ratings, predikat or documents.
    return scope & visible


def evaluation_detail_queryset() -> QuerySet[Evaluation]:
    """Evaluations with everything their pages show, to fetch one through the
    user's access (kinerja.org.access.get_visible_or_404 with evaluation_filter)."""
    return Evaluation.objects.select_related(*EVALUATION_RELATED).distinct()


def evaluation_queryset(access: Access) -> QuerySet[Evaluation]:
    return evaluation_detail_queryset().filter(evaluation_filter(access))


def peer_input_filter(access: Access) -> Q:
    """A Q over PeerInput: the agency's for admin BKD, else the user's own requests."""
    if access.agency_id is None:
        return Q(pk__in=[])
    visible = Q(agency_id=access.agency_id)
    if not access.is_admin:
        visible &= Q(peer_id=access.employee.pk if access.employee else 0)
    return visible


def peer_input_detail_queryset() -> QuerySet[PeerInput]:
    return PeerInput.objects.select_related(
        "evaluation", "evaluation__employee", "evaluation__period", "evaluation__year", "peer"
    )


def peer_input_queryset(access: Access) -> QuerySet[PeerInput]:
    """The peer inputs the user may see (their own requests; admin BKD the agency's),
    with what their list shows: the colleague's name and the period, never the rating."""
    return peer_input_detail_queryset().filter(peer_input_filter(access)).order_by("-pk")


def evaluation_peers(evaluation: Evaluation) -> list[PeerInput]:
    """The peer inputs asked for one evaluation, as its page lists them."""
    return list(
        PeerInput.objects.filter(evaluation=evaluation).select_related("peer").order_by("pk")
    )


def peer_choices(evaluation: Evaluation) -> list[Employee]:
    """Colleagues of the evaluated employee's unit the rater may ask for input (50 at most)."""
    return list(
        Employee.objects.filter(
            agency_id=evaluation.agency_id, unit_id=evaluation.unit_id, is_active=True
        )
        .exclude(pk__in=[evaluation.employee_id, evaluation.rater_id or 0])
        .order_by("name")[:50]
    )


def employees_in_agency(agency_id: int, ids: Iterable[int]) -> list[Employee]:
    return list(Employee.objects.filter(agency_id=agency_id, pk__in=list(ids)))


def evaluation_in_agency(agency_id: int, pk: int | None) -> Evaluation | None:
    return Evaluation.objects.filter(agency_id=agency_id, pk=pk or 0).first()


def notices_for(employee: Employee) -> list[Notice]:
    """The employee's ten latest notices."""
    return list(Notice.objects.filter(employee=employee)[:10])


def open_peer_requests(employee: Employee) -> list[PeerInput]:
    """Requests for the employee's input on a colleague, not yet answered."""
    return list(
        PeerInput.objects.filter(peer=employee, submitted_at__isnull=True).select_related(
            "evaluation__employee", "evaluation__period"
        )
    )


@dataclass
class TeamRow:
    skp: Skp
    evaluation: Evaluation | None
    due: dt.date | None = None
    late: bool = False
    #: The current predikat (after calibration or an appeal decision), and its label.
    predikat: str = ""
    predikat_label: str = ""


def team(
    *,
    employee: Employee,
    year: PerformanceYear,
    period: Period | None,
    today: dt.date | None = None,
) -> list[TeamRow]:
    """The rater's subordinates (SKP they rate that cover the period) with their
    evaluation for the period (None: annual), each due by the rater's window of the
    calendar that applies to the employee's unit (its own dates, its nearest ancestor's,
    else the agency's): four queries."""
    today = today or timezone.localdate()
    skps = Skp.objects.filter(rater=employee, year=year).select_related(
        "employee", "position", "unit"
    )
    if period is not None:
        skps = skps.filter(valid_from__lte=period.end).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=period.start)
        )
    else:
        skps = skps.exclude(status=Skp.Status.DITUTUP)
    chosen = list(skps.order_by("unit__path", "employee__name", "pk"))
    evaluations = Evaluation.objects.filter(skp__in=[s.pk for s in chosen], year=year)
    if period is not None:
        evaluations = evaluations.filter(period=period)
    else:
        evaluations = evaluations.filter(period__isnull=True)
    calendars = calendar_map({skp.unit_id: skp.unit for skp in chosen}.values(), year)
    by_skp = {e.skp_id: e for e in evaluations}
    current = predikat_map(by_skp.values())
    rows = []
    for skp in chosen:
        evaluation = by_skp.get(skp.pk)
        done = evaluation is not None and evaluation.is_locked
        code = current.get(evaluation.pk, "") if evaluation is not None else ""
        cal = calendars[skp.unit_id]
        end = cal.annual.end if period is None else cal.period(period.pk).evaluation.end
        rows.append(
            TeamRow(
                skp=skp,
                evaluation=evaluation,
                due=end,
                late=not done and today > end,
                predikat=code,
                predikat_label=predikat_label(code),
            )
        )
    return rows


@dataclass(frozen=True)
class SelfOpen:
    """An evaluation the employee may open to assess themselves (not created yet)."""

    skp: Skp
    period: Period | None
    label: str


def self_assessment_openable(
    employee: Employee, year: PerformanceYear, today: dt.date | None = None
) -> list[SelfOpen]:
    """The employee's evaluations of `year` whose window is open and that nobody has
    opened yet, for opening on their own initiative: three queries."""
    today = today or timezone.localdate()
    skps = list(
        Skp.objects.filter(
            employee=employee, year=year, status__in=[Skp.Status.DISETUJUI, Skp.Status.DITUTUP]
        )
        .select_related("year")
        .order_by("valid_from", "pk")
    )
    if not skps:
        return []
    periods = list(Period.objects.filter(year=year).order_by("number"))
    have = set(
        Evaluation.objects.filter(employee=employee, year=year).values_list("skp_id", "period_id")
    )
    out = []
    for period in periods:
        if not period.window_start <= today <= period.window_end:
            continue
        for skp in skps:
            end = skp.valid_until or year.end
            covers = skp.valid_from <= period.end and end >= period.start
            if covers and (skp.pk, period.pk) not in have:
                out.append(SelfOpen(skp=skp, period=period, label=period.label))
    start = periods[-1].window_start if periods else year.end - dt.timedelta(days=6)
    annual_open = start <= today <= year.annual_deadline
    if annual_open and not any(period_id is None for _skp, period_id in have):
        last = max(skps, key=lambda s: (s.status != Skp.Status.DITUTUP, s.valid_from, s.pk))
        out.append(SelfOpen(skp=last, period=None, label=str(_("Tahunan"))))
    return out


def self_assessment_of(evaluation: Evaluation) -> SelfAssessment | None:
    """The employee's self-assessment of an evaluation with its items (two queries)."""
    return SelfAssessment.objects.filter(evaluation=evaluation).prefetch_related("items").first()


def employee_evaluations(employee: Employee) -> list[Evaluation]:
    """An employee's evaluations with everything that explains them: ratings per
    RHK and value, peers, calibration changes, appeal. Fixed query count."""
    evaluations = list(
        Evaluation.objects.filter(employee=employee)
        .select_related("year", "period", "rater", "rated_by", "skp")
        .prefetch_related(
            Prefetch(
                "rhk_rows",
                queryset=RhkAssessment.objects.select_related("rhk").order_by(
                    "rhk__skp__valid_from", "-rhk__kind", "rhk__order"
                ),
            ),
            Prefetch("behaviour_rows", queryset=BehaviourAssessment.objects.order_by("value")),
            Prefetch("peers", queryset=PeerInput.objects.select_related("peer")),
            Prefetch(
                "calibration_changes",
                queryset=CalibrationChange.objects.select_related("calibration").order_by("at"),
            ),
        )
        .order_by("-year__year", "period__number")
    )
    appeals = {a.evaluation_id: a for a in Appeal.objects.filter(evaluation__employee=employee)}
    for evaluation in evaluations:
        evaluation.appeal_obj = appeals.get(evaluation.pk)
    return evaluations
