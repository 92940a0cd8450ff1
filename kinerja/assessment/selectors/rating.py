"""One evaluation: its window, the RHK it rates, the app's proposal and the
rating page; the organisation grades a rating follows."""

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from django.db.models import Prefetch

from kinerja.org.models import OrgUnit, RoleGrant
from kinerja.planning.models import Iki, Rhk, Skp
from kinerja.planning.selectors.calendar import calendar_for
from kinerja.rules import predikat as rules

from ..models import (
    AssessmentSettings,
    BehaviourAssessment,
    Evaluation,
    PeerInput,
    RhkAssessment,
    SelfAssessment,
    SelfAssessmentItem,
)
from .grades import org_grade_for
from .policy import settings_for

# Why the proposal of a unit head follows their unit's grade (labels.reason_texts).
REASON_UNIT_HEAD = "unit_head"


def unit_in_agency(agency_id: int, pk: int | None) -> OrgUnit | None:
    return OrgUnit.objects.filter(agency_id=agency_id, pk=pk or 0).first()


def headed_unit_id(skp: Skp) -> int | None:
    """The unit the evaluated employee heads, or None: by their SKP's position
    (its structural head), or by a "pimpinan unit" role grant for the unit of
    that position (a kepala puskesmas or kepala sekolah in a functional position
    who heads the unit as an additional duty; docs/domain.md §4)."""
    position = skp.position
    if position is None:
        return None
    if position.is_unit_head:
        return position.unit_id
    granted = RoleGrant.objects.filter(
        agency_id=skp.agency_id,
        role=RoleGrant.Role.PIMPINAN_UNIT,
        unit_id=position.unit_id,
        user__employee__pk=skp.employee_id,
    ).exists()
    return position.unit_id if granted else None


def year_end_skp(employee_id: int, year_id: int) -> Skp | None:
    """The SKP in force at the year's end, to which the employee's annual evaluation
    belongs (mid-year move, docs/domain.md §4): the one still open, else the latest
    to start; the same choice as the annual close job. One query."""
    skps = Skp.objects.filter(employee_id=employee_id, year_id=year_id).select_related(
        "year", "position", "rater_position", "employee", "rater"
    )
    return max(
        skps, key=lambda s: (s.status != Skp.Status.DITUTUP, s.valid_from, s.pk), default=None
    )


def rater_unit_id(skp: Skp) -> int | None:
    """The unit led by the rater (step one uses its organisation grade)."""
    position = skp.rater_position
    if position is None:
        return skp.rater.unit_id if skp.rater is not None else None
    return position.unit_id


def window(evaluation: Evaluation) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the rater's evaluation window: the period's or the annual
    window of the calendar that applies to the evaluation's unit (its own dates, its nearest
    ancestor's, else the agency's; kinerja/planning/selectors/calendar.py)."""
    cal = calendar_for(evaluation.unit, evaluation.year)
    found = (
        cal.annual if evaluation.period_id is None else cal.period(evaluation.period_id).evaluation
    )
    return found.start, found.end


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
