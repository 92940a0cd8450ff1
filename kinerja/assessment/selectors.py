"""Reads of penilaian kinerja, for the pages, the API, the printed documents and
the services alike.

A read never writes: what an agency has not set yet (its settings, its
distribution policy) is answered with the regulation's defaults, unsaved; the
services that change them create the rows. The list reads run a fixed number of
queries whatever the number of employees (tested at two sizes).
"""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.org.access import Access
from kinerja.org.models import Employee, OrgUnit
from kinerja.planning.models import Iki, PerformanceYear, Period, Rhk, Skp
from kinerja.rules import distribution
from kinerja.rules import predikat as rules
from kinerja.rules.predikat import PREDIKAT_ORDER
from kinerja.rules.workdays import add_working_days, national_holidays

from . import labels
from .models import (
    AgencyDayOff,
    Appeal,
    AssessmentSettings,
    BehaviourAssessment,
    Calibration,
    CalibrationChange,
    DistributionRule,
    Evaluation,
    EvaluationDocument,
    Notice,
    OrgPerformance,
    PeerInput,
    PredikatChoice,
    RatingChoice,
    RhkAssessment,
    SelfAssessment,
    SelfAssessmentItem,
)

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
# Why the proposal of a unit head follows their unit's grade (labels.reason_texts).
REASON_UNIT_HEAD = "unit_head"


# --- what a user may see ---------------------------------------------------------------------


def evaluation_filter(access: Access, prefix: str = "") -> Q:
    """A Q over Evaluation: what the user may see. Own, the chart below them,
    those they rate, appeals they decide; admin BKD and the tim penilai the
    whole agency."""
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}agency_id": access.agency_id})
    if access.is_admin or access.is_tim_penilai:
        return scope
    visible = access.employee_filter(f"{prefix}employee__")
    if access.employee is not None:
        me = access.employee.pk
        visible |= Q(**{f"{prefix}rater_id": me}) | Q(**{f"{prefix}appeal__decider_id": me})
        visible |= Q(**{f"{prefix}peers__peer_id": me})
    return scope & visible


def evaluation_detail_queryset() -> QuerySet[Evaluation]:
    """Evaluations with everything their pages show, to fetch one through the
    user's access (kinerja.org.access.get_visible_or_404 with evaluation_filter)."""
    return Evaluation.objects.select_related(*EVALUATION_RELATED).distinct()


def evaluation_queryset(access: Access) -> QuerySet[Evaluation]:
    return evaluation_detail_queryset().filter(evaluation_filter(access))


def appeal_filter(access: Access) -> Q:
    """A Q over Appeal: the agency's for admin BKD; otherwise those the user
    filed, decides or is the rater of."""
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(agency_id=access.agency_id)
    if access.is_admin:
        return scope
    me = access.employee.pk if access.employee else 0
    return scope & (Q(decider_id=me) | Q(evaluation__employee_id=me) | Q(evaluation__rater_id=me))


def appeal_detail_queryset() -> QuerySet[Appeal]:
    return Appeal.objects.select_related(
        "evaluation",
        "evaluation__employee",
        "evaluation__rater",
        "evaluation__year",
        "evaluation__period",
        "decider",
    )


def calibration_filter(access: Access) -> Q:
    """A Q over Calibration: the agency's, for the tim penilai kinerja and admin
    BKD only (nobody else sees a calibration)."""
    if access.agency_id is None or not (access.is_tim_penilai or access.is_admin):
        return Q(pk__in=[])
    return Q(agency_id=access.agency_id)


def calibration_detail_queryset() -> QuerySet[Calibration]:
    return Calibration.objects.select_related("unit", "year")


def peer_input_filter(access: Access) -> Q:
    """A Q over PeerInput: the agency's for admin BKD, else the user's own requests."""
    if access.agency_id is None:
        return Q(pk__in=[])
    visible = Q(agency_id=access.agency_id)
    if not access.is_admin:
        visible &= Q(peer_id=access.employee.pk if access.employee else 0)
    return visible


def peer_input_detail_queryset() -> QuerySet[PeerInput]:
    return PeerInput.objects.select_related("evaluation", "evaluation__employee", "peer")


# --- the agency's settings, calendar and policy ---------------------------------------------


def settings_for(agency_id: int) -> AssessmentSettings:
    """The agency's settings (docs/domain.md §1 and §4); the regulation's
    defaults, unsaved, until admin BKD changes them."""
    found = AssessmentSettings.objects.filter(agency_id=agency_id).first()
    return found if found is not None else AssessmentSettings(agency_id=agency_id)


def days_off(agency_id: int, years: Iterable[int]) -> set[dt.date]:
    """National holidays of `years` plus the agency's own days off."""
    chosen = sorted(set(years))
    off = national_holidays(chosen)
    off |= set(
        AgencyDayOff.objects.filter(agency_id=agency_id, date__year__in=chosen).values_list(
            "date", flat=True
        )
    )
    return off


def agency_days_off(agency_id: int) -> list[AgencyDayOff]:
    return list(AgencyDayOff.objects.filter(agency_id=agency_id))


def working_days_after(agency_id: int, start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start` on the agency's calendar: the
    deadlines of the lampiran (docs/domain.md §1)."""
    return add_working_days(start, days, days_off(agency_id, [start.year, start.year + 1]))


def _share(value: Fraction | None) -> Decimal | None:
    """A policy share (a fraction of the headcount) as the decimal the row stores."""
    return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def default_policy_rules(agency_id: int) -> list[DistributionRule]:
    """The default distribution policy (docs/domain.md §4) as unsaved rows, in order."""
    return [
        DistributionRule(
            agency_id=agency_id,
            org_grade=rule.org_grade.value,
            predikat=sorted(p.value for p in rule.predikat),
            min_pct=_share(rule.min_pct),
            max_pct=_share(rule.max_pct),
            at_least_one=rule.at_least_one,
            order=order,
        )
        for order, rule in enumerate(distribution.DEFAULT_POLICY)
    ]


def policy_rules(agency_id: int) -> list[DistributionRule]:
    """The agency's distribution policy rows in order: the defaults (unsaved)
    until admin BKD changes a rule. A rule is known by its `order`."""
    rows = list(DistributionRule.objects.filter(agency_id=agency_id).order_by("order", "pk"))
    return rows or default_policy_rules(agency_id)


def quota_rule(row: DistributionRule) -> distribution.QuotaRule:
    return distribution.QuotaRule(
        rules.OrgGrade(row.org_grade),
        frozenset(rules.Predikat(p) for p in row.predikat),
        Fraction(row.min_pct) if row.min_pct is not None else None,
        Fraction(row.max_pct) if row.max_pct is not None else None,
        row.at_least_one,
    )


def policy_for(agency_id: int) -> list[distribution.QuotaRule]:
    """The agency's distribution policy as QuotaRule rows (one query)."""
    return [quota_rule(row) for row in policy_rules(agency_id)]


def org_grade_for(unit_id: int | None, year: PerformanceYear, period: Period | None = None) -> str:
    """Organisation grade of a unit: the period's, else the year's, else (annual
    grade late) the previous year's (docs/domain.md §1). "" when none."""
    if unit_id is None:
        return ""
    rows = list(
        OrgPerformance.objects.filter(unit_id=unit_id, period__isnull=True)
        .filter(Q(year=year) | Q(year__agency_id=year.agency_id, year__year=year.year - 1))
        .values_list("year_id", "grade")
    )
    if period is not None:
        own = OrgPerformance.objects.filter(unit_id=unit_id, period=period).first()
        if own is not None:
            return own.grade
    by_year = dict(rows)
    if year.pk in by_year:
        return by_year[year.pk]
    return next(iter(by_year.values()), "")


@dataclass
class UnitGrades:
    """A unit of the organisation-performance page with its annual grade."""

    pk: int
    name: str
    annual: OrgPerformance | None


def org_performance_units(agency_id: int, year: PerformanceYear) -> list[UnitGrades]:
    """The agency's units in chart order with their annual grade: two queries."""
    grades = {(o.unit_id, o.period_id): o for o in OrgPerformance.objects.filter(year=year)}
    return [
        UnitGrades(pk=unit.pk, name=unit.name, annual=grades.get((unit.pk, None)))
        for unit in OrgUnit.objects.filter(agency_id=agency_id).order_by("path")
    ]


def unit_in_agency(agency_id: int, pk: int | None) -> OrgUnit | None:
    return OrgUnit.objects.filter(agency_id=agency_id, pk=pk or 0).first()


def periods_of(year: PerformanceYear) -> list[Period]:
    return list(Period.objects.filter(year=year).order_by("number"))


def period_of_year(year_id: int, pk: int | str | None) -> Period | None:
    return Period.objects.filter(year_id=year_id, pk=pk or 0).first()


def current_period(year: PerformanceYear, today: dt.date | None = None) -> Period | None:
    """The latest period whose evaluation window has begun (else the first)."""
    today = today or timezone.localdate()
    periods = periods_of(year)
    started = [p for p in periods if p.window_start <= today]
    return (started[-1] if started else periods[0]) if periods else None


# --- one evaluation ---------------------------------------------------------------------------


def headed_unit_id(skp: Skp) -> int | None:
    """The unit the evaluated employee heads (by their SKP's position), or None."""
    position = skp.position
    return position.unit_id if position is not None and position.is_unit_head else None


def rater_unit_id(skp: Skp) -> int | None:
    """The unit led by the rater (step one uses its organisation grade)."""
    position = skp.rater_position
    if position is None:
        return skp.rater.unit_id if skp.rater is not None else None
    return position.unit_id


def window(evaluation: Evaluation) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the rater's evaluation window."""
    if evaluation.period is not None:
        return evaluation.period.window_start, evaluation.period.window_end
    year = evaluation.year
    last = Period.objects.filter(year=year).order_by("-number").first()
    start = last.window_start if last else year.end - dt.timedelta(days=6)
    return start, year.annual_deadline


def rhk_ids_for(evaluation: Evaluation) -> list[int]:
    """The RHK an evaluation rates: its SKP's (periodic), or every SKP's of the
    employee's year (annual: both parts of a mid-year move)."""
    if evaluation.period_id is not None:
        rhks = Rhk.objects.filter(skp_id=evaluation.skp_id)
    else:
        rhks = Rhk.objects.filter(
            skp__employee_id=evaluation.employee_id, skp__year_id=evaluation.year_id
        )
    return list(rhks.values_list("pk", flat=True))


class Proposal(NamedTuple):
    """The app's proposal for the rating hasil kerja, with the reasons' codes and counts."""

    rating: str
    reasons: list[str]
    counts: dict[str, int | str]


def proposal(
    evaluation: Evaluation,
    rows: Sequence[RhkAssessment] | None = None,
    *,
    settings: AssessmentSettings | None = None,
) -> Proposal:
    """The app's proposal for the rating hasil kerja: a unit head's follows their
    unit's grade; otherwise kinerja.rules.predikat.propose_hasil_kerja from the
    per-RHK ratings ("" until every RHK is rated)."""
    settings = settings or settings_for(evaluation.agency_id)
    head_unit = headed_unit_id(evaluation.skp)
    if head_unit is not None:
        grade = org_grade_for(head_unit, evaluation.year, evaluation.period)
        if grade:
            rating = rules.unit_head_hasil_kerja(rules.OrgGrade(grade)).value
            return Proposal(rating, [REASON_UNIT_HEAD], {"grade": grade})
    if rows is None:
        rows = list(evaluation.rhk_rows.select_related("rhk"))
    if not rows or any(not r.rating for r in rows):
        return Proposal("", [], {})
    result = rules.propose_hasil_kerja(
        [rules.RhkRating(rules.Rating(r.rating), r.rhk.kind == Rhk.Kind.UTAMA) for r in rows],
        small_part=settings.small_part,
    )
    counts: dict[str, int | str] = {
        "total": result.total,
        "above": result.above,
        "meets": result.meets,
        "below": result.below,
        "utama_total": result.utama_total,
        "utama_below": result.utama_below,
    }
    return Proposal(result.rating.value, list(result.reasons), counts)


def current_predikat(evaluation: Evaluation) -> str:
    """The predikat that holds now: after calibration or appeal, else the matrix's."""
    return evaluation.predikat_final or evaluation.predikat


def appeal_blocked_reason(evaluation: Evaluation, today: dt.date | None = None) -> str:
    """Why `evaluation` cannot be appealed now, or "" when it can."""
    today = today or timezone.localdate()
    if evaluation.is_final_no_appeal:
        if evaluation.final_reason == Evaluation.FINAL_BY_SUPERIOR:
            return _(
                "Hasil evaluasi ini ditetapkan oleh atasan pejabat penilai karena pejabat penilai "
                "melewati batas waktu; hasilnya final dan tidak dapat diajukan keberatan."
            )
        return _(
            "Hasil evaluasi JPT/pimpinan unit kerja mandiri oleh kepala daerah bersifat final "
            "dan tidak dapat diajukan keberatan."
        )
    if Appeal.objects.filter(evaluation_id=evaluation.pk).exists():
        return _("Keberatan atas evaluasi ini sudah diajukan.")
    if evaluation.status != Evaluation.Status.DELIVERED:
        return _("Keberatan hanya dapat diajukan setelah dokumen evaluasi disampaikan kepada Anda.")
    if evaluation.appeal_due and today > evaluation.appeal_due:
        return _("Batas waktu pengajuan keberatan (%(d)s) telah lewat.") % {
            "d": evaluation.appeal_due.strftime("%d-%m-%Y")
        }
    return ""


def document_kinds(evaluation: Evaluation) -> tuple[str, str]:
    """The evaluation form (C.1.x by SKP format) and the D.1.x document that apply."""
    skp = evaluation.skp
    if skp.approach == "kualitatif":
        form = EvaluationDocument.Kind.C11
    elif skp.form == "jpt":
        form = EvaluationDocument.Kind.C12
    else:
        form = EvaluationDocument.Kind.C13
    if Appeal.objects.filter(evaluation=evaluation, status=Appeal.Status.DECIDED).exists():
        doc = EvaluationDocument.Kind.D13
    elif evaluation.final_reason == Evaluation.FINAL_BY_SUPERIOR:
        doc = EvaluationDocument.Kind.D12
    else:
        doc = EvaluationDocument.Kind.D11
    return form, doc


def appeal_of(evaluation: Evaluation) -> Appeal | None:
    return Appeal.objects.filter(evaluation=evaluation).first()


def calibration_changes_of(evaluation: Evaluation) -> list[CalibrationChange]:
    return list(CalibrationChange.objects.filter(evaluation=evaluation).select_related("by"))


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


def document_by_token(token: uuid.UUID) -> EvaluationDocument | None:
    return EvaluationDocument.objects.select_related("evaluation").filter(token=token).first()


def latest_document_version(doc: EvaluationDocument) -> int | None:
    return (
        EvaluationDocument.objects.filter(evaluation_id=doc.evaluation_id, kind=doc.kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


# --- the employee's and the rater's pages -----------------------------------------------------


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


def team(
    *,
    employee: Employee,
    year: PerformanceYear,
    period: Period | None,
    today: dt.date | None = None,
) -> list[TeamRow]:
    """The rater's subordinates (SKP they rate that cover the period) with their
    evaluation for the period (None: annual): two queries."""
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
        end = period.window_end
    else:
        evaluations = evaluations.filter(period__isnull=True)
        end = year.annual_deadline
    by_skp = {e.skp_id: e for e in evaluations}
    rows = []
    for skp in chosen:
        evaluation = by_skp.get(skp.pk)
        done = evaluation is not None and evaluation.is_locked
        rows.append(TeamRow(skp=skp, evaluation=evaluation, due=end, late=not done and today > end))
    return rows


def rating_context(evaluation: Evaluation) -> dict[str, object]:
    """Everything the rating page shows: rows with RHK and IKI, behaviour rows,
    self-assessment, peers, the periodic results beside an annual evaluation."""
    rows = list(
        RhkAssessment.objects.filter(evaluation=evaluation)
        .select_related("rhk", "rhk__skp", "rhk__skp__rater")
        .prefetch_related(Prefetch("rhk__ikis", queryset=Iki.objects.order_by("order", "pk")))
        .order_by("rhk__skp__valid_from", "-rhk__kind", "rhk__order", "rhk_id")
    )
    behaviour = list(BehaviourAssessment.objects.filter(evaluation=evaluation).order_by("value"))
    peers = list(PeerInput.objects.filter(evaluation=evaluation).select_related("peer"))
    self_items: dict[tuple[str, int | None], SelfAssessmentItem] = {}
    self_assessment = (
        SelfAssessment.objects.filter(evaluation=evaluation).prefetch_related("items").first()
    )
    if self_assessment is not None:
        for item in self_assessment.items.all():
            self_items[("rhk", item.rhk_id) if item.rhk_id else ("value", item.value)] = item
    periodic: list[Evaluation] = []
    if evaluation.period_id is None:
        periodic = list(
            Evaluation.objects.filter(
                employee_id=evaluation.employee_id,
                year_id=evaluation.year_id,
                period__isnull=False,
            )
            .select_related("period", "rater")
            .order_by("period__number", "skp__valid_from")
        )
    monitoring = monitoring_by_rhk(evaluation, [row.rhk for row in rows])
    for row in rows:
        row.self_item = self_items.get(("rhk", row.rhk_id))
        row.monitoring = monitoring.get(row.rhk_id)
    for value_row in behaviour:
        value_row.self_item = self_items.get(("value", value_row.value))
        value_row.peer_ratings = [
            p.ratings.get(str(value_row.value)) for p in peers if p.submitted_at
        ]
    return {
        "rows": rows,
        "behaviour": behaviour,
        "peers": peers,
        "self_assessment": self_assessment,
        "periodic": periodic,
    }


def monitoring_by_rhk(
    evaluation: Evaluation, rhks: Sequence[Rhk]
) -> dict[int, dict[str, list[str]]]:
    """Realisasi (with capaian as information and evidence) and feedback per RHK,
    read from the monitoring app's models in two queries. The evaluation's
    period only for a periodic evaluation; the whole year for the annual one.
    Capaian comes from kinerja.rules.predikat.capaian and is never a rating."""
    try:
        from kinerja.monitoring.models import Feedback, Realisasi
    except ImportError:  # the monitoring app is optional for this page
        return {}

    rhk_ids = [r.pk for r in rhks]
    realisasi = (
        Realisasi.objects.filter(iki__rhk_id__in=rhk_ids)
        .select_related("iki", "period")
        .prefetch_related("evidence")
        .order_by("period__number", "iki__order", "pk")
    )
    feedback = Feedback.objects.filter(rhk_id__in=rhk_ids, parent__isnull=True).select_related(
        "author"
    )
    if evaluation.period is not None:
        realisasi = realisasi.filter(period=evaluation.period)
        feedback = feedback.filter(created_at__date__lte=evaluation.period.end)
    out: dict[int, dict[str, list[str]]] = {
        pk: {"realisasi": [], "evidence": [], "feedback": [], "capaian": []} for pk in rhk_ids
    }
    for row in realisasi:
        entry = out[row.iki.rhk_id]
        value = "" if row.value is None else f"{row.value.normalize():f}"
        text = " ".join(x for x in (value, row.iki.unit, row.narrative) if x)
        entry["realisasi"].append(f"{row.period.label}: {text}")
        target = row.iki.target_max if row.iki.target_max is not None else row.iki.target_min
        if row.value is not None and target is not None:
            pct = rules.capaian(row.value, target, row.iki.lower_is_better)
            if pct is not None:
                entry["capaian"].append(f"{row.period.label}: {pct}%")
        entry["evidence"] += [e.original_name or e.url for e in row.evidence.all()]
    for fb in feedback:
        if fb.rhk_id is not None:  # always: filtered by RHK
            out[fb.rhk_id]["feedback"].append(f"{fb.author.full_name}: {fb.text}")
    return out


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


# --- appeals ----------------------------------------------------------------------------------


def decider_appeals(employee: Employee) -> list[Appeal]:
    return list(
        Appeal.objects.filter(decider=employee)
        .select_related("evaluation", "evaluation__employee", "evaluation__year")
        .order_by("status", "decide_due")
    )


def escalated_appeals(agency_id: int) -> list[Appeal]:
    return list(
        Appeal.objects.filter(agency_id=agency_id, escalated=True, status=Appeal.Status.FILED)
        .select_related("evaluation__employee", "decider")
        .order_by("decide_due")
    )


# --- calibration ------------------------------------------------------------------------------


class CalibrationGroups(NamedTuple):
    """How the units of a year are pooled for calibration."""

    #: {calibration unit id: [member unit ids]} of the units that have evaluations
    groups: dict[int, list[int]]
    #: {unit id: annual evaluations of the unit and the units merged into it}
    size: dict[int, int]
    #: {small unit id: the unit it is calibrated with}
    merged_into: dict[int, int]
    #: {unit id: parent unit id}
    parent: dict[int, int | None]


def calibration_groups(agency_id: int, year: PerformanceYear, min_size: int) -> CalibrationGroups:
    """Units with fewer than `min_size` annual evaluations (own plus merged
    children) are pooled with their parent (docs/domain.md §4). Two queries."""
    units = list(
        OrgUnit.objects.filter(agency_id=agency_id).values_list("pk", "parent_id", "depth")
    )
    counts = dict(
        Evaluation.objects.filter(agency_id=agency_id, year=year, period__isnull=True)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    parent: dict[int, int | None] = {pk: parent_id for pk, parent_id, _depth in units}
    members = {pk: [pk] for pk, _p, _d in units}
    size = {pk: counts.get(pk, 0) for pk, _p, _d in units}
    merged_into: dict[int, int] = {}
    for pk, parent_id, _depth in sorted(units, key=lambda u: -u[2]):
        if parent_id is not None and size[pk] < min_size:
            members[parent_id] += members.pop(pk)
            size[parent_id] += size[pk]
            merged_into[pk] = parent_id
    groups = {pk: ids for pk, ids in members.items() if size[pk] > 0}
    for pk in list(merged_into):
        target = merged_into[pk]
        while target in merged_into:
            target = merged_into[target]
        merged_into[pk] = target
    return CalibrationGroups(groups, size, merged_into, parent)


def calibration_evaluations(calibration: Calibration) -> QuerySet[Evaluation]:
    """The annual evaluations a calibration covers (its unit and the merged ones)."""
    return Evaluation.objects.filter(
        agency_id=calibration.agency_id,
        year_id=calibration.year_id,
        period__isnull=True,
        unit_id__in=calibration.member_unit_ids,
    )


def predikat_counts(calibration: Calibration) -> dict[str, int]:
    """{predikat: employees} of a calibration, by the predikat that holds now."""
    counts: dict[str, int] = {}
    rows = (
        calibration_evaluations(calibration)
        .exclude(predikat="")
        .values_list("predikat", "predikat_final")
        .annotate(n=Count("pk"))
    )
    for proposed, final, n in rows:
        key = final or proposed
        counts[key] = counts.get(key, 0) + n
    return counts


def violations(
    calibration: Calibration,
    counts: Mapping[str, int],
    policy: Sequence[distribution.QuotaRule] | None = None,
) -> list[distribution.Violation]:
    """The quotas of the policy that `counts` break ([] without an organisation grade)."""
    if not calibration.org_grade:
        return []
    policy = policy if policy is not None else policy_for(calibration.agency_id)
    return distribution.check(
        rules.OrgGrade(calibration.org_grade),
        {rules.Predikat(p): n for p, n in counts.items()},
        policy,
    )


@dataclass(frozen=True)
class CalibrationRow:
    pk: int
    name: str
    unit: str
    ratings: str
    predikat: str
    proposed_label: str
    current: str
    current_label: str


@dataclass
class CalibrationState:
    calibration: Calibration
    evaluations: list[CalibrationRow]
    counts: dict[str, int]
    n: int
    bars: list[dict[str, object]] = field(default_factory=list)
    quota: list[dict[str, object]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    pending: int = 0
    changes: list[CalibrationChange] = field(default_factory=list)


def calibration_state(calibration: Calibration) -> CalibrationState:
    """The unit's proposed distribution beside the policy: evaluations (one
    query), policy (one), changes (one): fixed whatever the unit's size."""
    rows = (
        calibration_evaluations(calibration)
        .order_by("unit__path", "employee__name", "pk")
        .values_list(
            "pk",
            "employee__front_title",
            "employee__name",
            "employee__back_title",
            "unit__name",
            "hasil",
            "perilaku",
            "predikat",
            "predikat_final",
        )
    )
    counts: Counter[str] = Counter()
    pending = 0
    rating = {k: str(v) for k, v in RatingChoice.choices}
    predikat = {k: str(v) for k, v in PredikatChoice.choices}
    evaluations = []
    for pk, front, name, back, unit, hasil, perilaku, proposed, final in rows:
        current = final or proposed
        if current:
            counts[current] += 1
        else:
            pending += 1
        full = f"{front} {name}".strip()
        full = f"{full}, {back}" if back else full
        # Plain values (no model instances): a 2,000-row unit reads in milliseconds.
        evaluations.append(
            CalibrationRow(
                pk=pk,
                name=full,
                unit=unit,
                ratings=f"{rating.get(hasil, '-')} / {rating.get(perilaku, '-')}",
                predikat=proposed,
                proposed_label=predikat.get(proposed, "-"),
                current=current,
                current_label=predikat.get(current, "-"),
            )
        )
    n = sum(counts.values())
    policy = policy_for(calibration.agency_id)
    grade = rules.OrgGrade(calibration.org_grade) if calibration.org_grade else None
    found = violations(calibration, counts, policy) if grade else []
    quota: list[dict[str, object]] = []
    if grade:
        for rule, low, high in distribution.quota_table(grade, n, policy):
            count = sum(counts.get(p, 0) for p in rule.predikat)
            quota.append(
                {
                    "names": labels.predikat_names(rule.predikat),
                    "min": low,
                    "max": high,
                    "count": count,
                    "ok": (low is None or count >= low) and (high is None or count <= high),
                }
            )
    bars: list[dict[str, object]] = []
    for p in PREDIKAT_ORDER:
        low, high = _band(p, grade, n, policy) if grade else (None, None)
        bars.append(
            {
                "code": p.value,
                "label": str(PredikatChoice(p.value).label),
                "count": counts.get(p.value, 0),
                "min": low,
                "max": high,
            }
        )
    changes = list(
        CalibrationChange.objects.filter(calibration=calibration)
        .select_related("evaluation__employee", "by")
        .order_by("at", "pk")
    )
    return CalibrationState(
        calibration=calibration,
        evaluations=evaluations,
        counts=dict(counts),
        n=n,
        bars=bars,
        quota=quota,
        violations=[labels.violation_text(v) for v in found],
        pending=pending,
        changes=changes,
    )


def _band(
    predikat: rules.Predikat,
    grade: rules.OrgGrade,
    n: int,
    policy: Sequence[distribution.QuotaRule],
) -> tuple[int | None, int | None]:
    """The allowed band of one predikat from the rules naming it alone."""
    low, high = None, None
    for rule, rule_low, rule_high in distribution.quota_table(grade, n, policy):
        if rule.predikat == frozenset({predikat}):
            low, high = rule_low, rule_high
    return low, high


@dataclass
class CalibrationUnit:
    """A calibration unit of the year: its members, size and any calibration."""

    unit: OrgUnit
    members: int
    n: int
    calibration: Calibration | None
    too_small: bool


def calibration_units(*, year: PerformanceYear) -> list[CalibrationUnit]:
    """The calibration units of the year with their members, sizes and any
    calibration: four queries whatever the agency's size."""
    settings = settings_for(year.agency_id)
    groups, size, _merged_into, _parent = calibration_groups(
        year.agency_id, year, settings.min_unit_size
    )
    units = OrgUnit.objects.in_bulk(list(groups))
    existing = {c.unit_id: c for c in Calibration.objects.filter(year=year)}
    rows = [
        CalibrationUnit(
            unit=units[unit_id],
            members=len(members),
            n=size[unit_id],
            calibration=existing.get(unit_id),
            too_small=size[unit_id] < settings.min_unit_size,
        )
        for unit_id, members in groups.items()
    ]
    rows.sort(key=lambda row: row.unit.path)
    return rows
