"""Reads for the assessment pages and API. Each runs a fixed number of queries
whatever the number of employees (tested at two sizes)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from kinerja.org.models import OrgUnit
from kinerja.planning.models import Iki, Period, Skp
from kinerja.rules import distribution
from kinerja.rules.predikat import PREDIKAT_ORDER

from . import services
from .models import (
    Appeal,
    BehaviourAssessment,
    Calibration,
    CalibrationChange,
    Evaluation,
    PeerInput,
    PredikatChoice,
    RatingChoice,
    RhkAssessment,
    SelfAssessment,
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


def evaluation_filter(access, prefix=""):
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


def evaluation_queryset(access):
    return (
        Evaluation.objects.filter(evaluation_filter(access))
        .select_related(*EVALUATION_RELATED)
        .distinct()
    )


def current_period(year, today=None):
    """The latest period whose evaluation window has begun (else the first)."""
    today = today or timezone.localdate()
    periods = list(Period.objects.filter(year=year).order_by("number"))
    started = [p for p in periods if p.window_start <= today]
    return (started[-1] if started else periods[0]) if periods else None


@dataclass
class TeamRow:
    skp: Skp
    evaluation: Evaluation | None
    due: object = None
    late: bool = False


def team(*, employee, year, period, today=None):
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
    skps = list(skps.order_by("unit__path", "employee__name", "pk"))
    evaluations = Evaluation.objects.filter(skp__in=[s.pk for s in skps], year=year)
    if period is not None:
        evaluations = evaluations.filter(period=period)
        end = period.window_end
    else:
        evaluations = evaluations.filter(period__isnull=True)
        end = year.annual_deadline
    by_skp = {e.skp_id: e for e in evaluations}
    rows = []
    for skp in skps:
        evaluation = by_skp.get(skp.pk)
        done = evaluation is not None and evaluation.is_locked
        rows.append(TeamRow(skp=skp, evaluation=evaluation, due=end, late=not done and today > end))
    return rows


def rating_context(evaluation):
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
    self_items = {}
    self_assessment = (
        SelfAssessment.objects.filter(evaluation=evaluation).prefetch_related("items").first()
    )
    if self_assessment is not None:
        for item in self_assessment.items.all():
            self_items[("rhk", item.rhk_id) if item.rhk_id else ("value", item.value)] = item
    periodic = []
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
    for row in behaviour:
        row.self_item = self_items.get(("value", row.value))
        row.peer_ratings = [p.ratings.get(str(row.value)) for p in peers if p.submitted_at]
    return {
        "rows": rows,
        "behaviour": behaviour,
        "peers": peers,
        "self_assessment": self_assessment,
        "periodic": periodic,
    }


def monitoring_by_rhk(evaluation, rhks):
    """Realisasi (with capaian as information and evidence) and feedback per RHK,
    read from the monitoring app's models in two queries. The evaluation's
    period only for a periodic evaluation; the whole year for the annual one.
    Capaian comes from kinerja.rules.predikat.capaian and is never a rating."""
    try:
        from kinerja.monitoring.models import Feedback, Realisasi
    except ImportError:  # the monitoring app is optional for this page
        return {}
    from kinerja.rules.predikat import capaian

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
    if evaluation.period_id is not None:
        realisasi = realisasi.filter(period_id=evaluation.period_id)
        feedback = feedback.filter(created_at__date__lte=evaluation.period.end)
    out = {pk: {"realisasi": [], "evidence": [], "feedback": [], "capaian": []} for pk in rhk_ids}
    for row in realisasi:
        entry = out[row.iki.rhk_id]
        value = "" if row.value is None else f"{row.value.normalize():f}"
        text = " ".join(x for x in (value, row.iki.unit, row.narrative) if x)
        entry["realisasi"].append(f"{row.period.label}: {text}")
        target = row.iki.target_max if row.iki.target_max is not None else row.iki.target_min
        if row.value is not None and target is not None:
            pct = capaian(row.value, target, row.iki.lower_is_better)
            if pct is not None:
                entry["capaian"].append(f"{row.period.label}: {pct}%")
        entry["evidence"] += [e.original_name or e.url for e in row.evidence.all()]
    for fb in feedback:
        out[fb.rhk_id]["feedback"].append(f"{fb.author.full_name}: {fb.text}")
    return out


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
    evaluations: list
    counts: dict
    n: int
    bars: list = field(default_factory=list)
    quota: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    pending: int = 0
    changes: list = field(default_factory=list)


def calibration_state(calibration):
    """The unit's proposed distribution beside the policy: evaluations (one
    query), policy (one), changes (one): fixed whatever the unit's size."""
    rows = (
        services.calibration_evaluations(calibration)
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
    counts = Counter()
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
    policy = services.policy_for(calibration.agency_id)
    grade = calibration.org_grade
    found = services.violations(calibration, counts, policy) if grade else []
    quota = []
    if grade:
        for rule, low, high in distribution.quota_table(grade, n, policy):
            count = sum(counts.get(p, 0) for p in rule.predikat)
            quota.append(
                {
                    "names": ", ".join(
                        str(PredikatChoice(p.value).label) for p in _ordered(rule.predikat)
                    ),
                    "min": low,
                    "max": high,
                    "count": count,
                    "ok": (low is None or count >= low) and (high is None or count <= high),
                }
            )
    bars = []
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
        violations=[services.violation_text(v) for v in found],
        pending=pending,
        changes=changes,
    )


def _ordered(predikat_set):
    return [p for p in PREDIKAT_ORDER if p in predikat_set]


def _band(predikat, grade, n, policy):
    """The allowed band of one predikat from the rules naming it alone."""
    low, high = None, None
    for rule, rule_low, rule_high in distribution.quota_table(grade, n, policy):
        if rule.predikat == frozenset({predikat}):
            low, high = rule_low, rule_high
    return low, high


def calibration_units(*, year):
    """The calibration units of the year with their members, sizes and any
    calibration: four queries whatever the agency's size."""
    settings = services.settings_for(year.agency_id)
    groups, size, merged_into, _parent = services.calibration_groups(
        year.agency_id, year, settings.min_unit_size
    )
    units = OrgUnit.objects.in_bulk(list(groups))
    existing = {c.unit_id: c for c in Calibration.objects.filter(year=year)}
    rows = []
    for unit_id, members in groups.items():
        rows.append(
            {
                "unit": units[unit_id],
                "members": len(members),
                "n": size[unit_id],
                "calibration": existing.get(unit_id),
                "too_small": size[unit_id] < settings.min_unit_size,
            }
        )
    rows.sort(key=lambda r: r["unit"].path)
    return rows


def employee_evaluations(employee, *, published_only=True):
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


def decider_appeals(employee):
    return list(
        Appeal.objects.filter(decider=employee)
        .select_related("evaluation", "evaluation__employee", "evaluation__year")
        .order_by("status", "decide_due")
    )


def escalated_appeals(agency_id):
    return list(
        Appeal.objects.filter(agency_id=agency_id, escalated=True, status=Appeal.Status.FILED)
        .select_related("evaluation__employee", "decider")
        .order_by("decide_due")
    )


def period_groups(evaluations):
    grouped = defaultdict(list)
    for evaluation in evaluations:
        grouped[evaluation.year].append(evaluation)
    return dict(grouped)
