"""Reads of the follow-up app. The one link to the assessment models is
`annual_predikat_history` (and `annual_evaluations`): adapt them here if assessment changes.

Every list comes from one selector with its select_related/prefetch_related, so the number of
queries of a page does not grow with its rows."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from kinerja.assessment.models import Appeal, Evaluation
from kinerja.org.models import Employee
from kinerja.rules import followup as rules

from .models import (
    AllowanceFactor,
    Award,
    Candidate,
    CreditPoints,
    DevelopmentPlan,
    FollowupRule,
    FollowupSettings,
    MentorPairing,
    Sanction,
    TrainingCourse,
    TrainingRecord,
)

#: Evaluation states whose predikat is settled enough to count in a history (finalised and
#: later; an appealed one counts with its current predikat, and awards wait for the decision).
COUNTED = Evaluation.LOCKED


def _annual(agency_id):
    return Evaluation.objects.filter(
        agency_id=agency_id, period__isnull=True, status__in=COUNTED
    ).exclude(predikat="", predikat_final="")


def effective_predikat(evaluation):
    return evaluation.predikat_final or evaluation.predikat


def annual_predikat_history(agency, employee_ids=None, years=None):
    """{employee_id: [(year, predikat)]}, most recent first, in one query.

    `employee_ids` None means the whole agency; `years` (an iterable of calendar years) limits
    the years read. The predikat is the final one (after calibration or appeal) if set."""
    agency_id = getattr(agency, "pk", agency)
    qs = _annual(agency_id)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    if years is not None:
        qs = qs.filter(year__year__in=list(years))
    history = defaultdict(list)
    rows = qs.values_list("employee_id", "year__year", "predikat", "predikat_final")
    for employee_id, year, predikat, final in rows.order_by("employee_id", "-year__year"):
        history[employee_id].append((year, final or predikat))
    return dict(history)


def annual_evaluations(agency, year):
    """{employee_id: evaluation id} of the year's counted annual evaluations."""
    agency_id = getattr(agency, "pk", agency)
    return dict(_annual(agency_id).filter(year__year=year).values_list("employee_id", "pk"))


def annual_evaluation(employee, year):
    return (
        _annual(employee.agency_id)
        .filter(employee=employee, year__year=year)
        .select_related("year")
        .first()
    )


def appeal_pending(evaluation):
    """Whether the evaluation is under appeal: status appealed, or an undecided appeal."""
    if evaluation.status == Evaluation.Status.APPEALED:
        return True
    return Appeal.objects.filter(evaluation=evaluation, status=Appeal.Status.FILED).exists()


def settings_for(agency):
    agency_id = getattr(agency, "pk", agency)
    obj, _created = FollowupSettings.objects.get_or_create(agency_id=agency_id)
    return obj


def rules_for(agency, *, active_only=False):
    qs = FollowupRule.objects.filter(agency=agency)
    return qs.filter(active=True) if active_only else qs


def allowance_factors(agency):
    return list(AllowanceFactor.objects.filter(agency=agency))


def cuts_for(agency):
    cuts = dict(rules.DEFAULT_CUTS)
    for factor in AllowanceFactor.objects.filter(agency=agency):
        cuts[rules.Predikat(factor.predikat)] = factor.cut_percent
    return cuts


def candidate_queryset(access):
    return Candidate.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "employee__position", "year", "rule", "evaluation"
    )


def candidates(access, *, year=None, outcome=None, status=None):
    qs = candidate_queryset(access)
    if year is not None:
        qs = qs.filter(year=year)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("outcome", "employee__name", "pk")


def candidate_counts(access, year):
    rows = (
        Candidate.objects.filter(access.employee_filter("employee__"), year=year)
        .values("outcome", "status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["outcome"]][row["status"]] = row["n"]
    return counts


def awards(access):
    return Award.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "evaluation", "evaluation__year"
    )


def sanctions(access):
    return Sanction.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "evaluation", "evaluation__year"
    )


def courses(agency, *, active_only=False):
    qs = TrainingCourse.objects.filter(agency=agency)
    return qs.filter(active=True) if active_only else qs


def training_records(access):
    return TrainingRecord.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "course"
    )


def jp_total(employee, year):
    total = TrainingRecord.objects.filter(employee=employee, end__year=year).aggregate(
        total=Sum("hours_jp")
    )["total"]
    return total or 0


def jp_shortfall(access, year, *, min_jp, unit=None):
    """Active employees visible to `access` with fewer than `min_jp` JP ending in `year`,
    with their total, in one aggregate query."""
    qs = Employee.objects.filter(access.employee_filter(), is_active=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return (
        qs.annotate(
            jp=Coalesce(
                Sum("training_records__hours_jp", filter=Q(training_records__end__year=year)),
                Value(0),
                output_field=IntegerField(),
            )
        )
        .filter(jp__lt=min_jp)
        .select_related("unit", "position")
        .order_by("unit__path", "name", "pk")
    )


def credit_points(access):
    return CreditPoints.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "employee__position"
    )


def credit_summary(employee):
    """Rows of the employee, the total per jenjang, and the target for the next jenjang."""
    rows = list(CreditPoints.objects.filter(employee=employee).order_by("year", "pk"))
    jenjang = employee.position.jenjang if employee.position_id else ""
    total = sum((r.points for r in rows if r.jenjang == jenjang), Decimal("0"))
    target = rules.AK_NEXT_LEVEL.get(jenjang)
    return {
        "rows": rows,
        "jenjang": jenjang,
        "total": total,
        "next_jenjang": target[0] if target else "",
        "needed": target[1] if target else None,
        "remaining": max(target[1] - total, Decimal("0")) if target else None,
    }


def pairings(access):
    return (
        MentorPairing.objects.filter(
            access.employee_filter("mentee__") | access.employee_filter("mentor__")
        )
        .select_related("mentor", "mentee", "mentor__position", "mentee__position")
        .distinct()
    )


def development_plan(employee, year):
    return (
        DevelopmentPlan.objects.filter(employee=employee, year=year)
        .prefetch_related("planned_courses")
        .first()
    )


def employee_page(employee, year):
    """Everything the employee's own follow-up page shows, in a fixed number of queries."""
    settings = settings_for(employee.agency_id)
    return {
        "awards": list(Award.objects.filter(employee=employee).select_related("evaluation__year")),
        "sanctions": list(
            Sanction.objects.filter(employee=employee).select_related("evaluation__year")
        ),
        "candidates": list(
            Candidate.objects.filter(employee=employee).select_related("year").order_by("-pk")
        ),
        "plans": list(
            DevelopmentPlan.objects.filter(employee=employee).prefetch_related("planned_courses")
        ),
        "records": list(TrainingRecord.objects.filter(employee=employee).select_related("course")),
        "jp_total": jp_total(employee, year),
        "min_jp": settings.min_jp,
        "credit": credit_summary(employee),
        "pairings": list(
            MentorPairing.objects.filter(Q(mentor=employee) | Q(mentee=employee)).select_related(
                "mentor", "mentee"
            )
        ),
    }
