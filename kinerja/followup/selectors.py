"""Reads of the follow-up app. The one link to the assessment models is
`annual_predikat_history` (and `annual_evaluations`): adapt them here if assessment changes.

Every list comes from one selector with its select_related/prefetch_related, so the number of
queries of a page does not grow with its rows. Nothing here writes.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.assessment.models import Appeal, Evaluation
from kinerja.assessment.selectors.predikat import current_of, current_predikat
from kinerja.org.access import Access
from kinerja.org.inbox import INFO, InboxItem, urgency_of
from kinerja.org.models import Agency, Employee, OrgUnit
from kinerja.planning import berakhlak
from kinerja.planning.models import PerformanceYear
from kinerja.rules import followup as rules
from kinerja.rules.predikat import Predikat

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

#: Annual predikat that call for a mentor (Butuh Perbaikan or worse).
NEEDS_IMPROVEMENT = {"butuh_perbaikan", "kurang", "sangat_kurang"}

History = dict[int, list[tuple[int, str]]]


def _agency_id(agency: Agency | int) -> int:
    return agency.pk if isinstance(agency, Agency) else agency


# --- who acts on whose follow-up -------------------------------------------------------------


def _other_of_agency(access: Access, employee: Employee) -> bool:
    """`employee` is of the user's agency and is not the user."""
    own = access.employee is not None and access.employee.pk == employee.pk
    return access.agency_id == employee.agency_id and not own


def can_decide(access: Access, employee: Employee) -> bool:
    """Admin BKD, or head of the employee's unit (who decide candidates); never on oneself,
    unless admin BKD."""
    if access.agency_id == employee.agency_id and access.is_admin:
        return True
    if not _other_of_agency(access, employee):
        return False
    unit_path = employee.unit.path if employee.unit else ""
    return any(unit_path.startswith(p) for p in access.head_unit_paths)


def can_manage(access: Access, employee: Employee) -> bool:
    """Whether `access` may act on `employee`'s follow-up as admin BKD, as head of the
    employee's unit, or as a superior above the employee's position (never on oneself)."""
    if can_decide(access, employee):
        return True
    if not _other_of_agency(access, employee):
        return False
    position = employee.position
    return (
        position is not None
        and position.pk not in access.position_ids
        and any(position.path.startswith(p) for p in access.position_paths)
    )


# --- annual predikat -----------------------------------------------------------------------


def _annual(agency_id: int) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(
        agency_id=agency_id, period__isnull=True, status__in=COUNTED
    ).exclude(predikat="", predikat_final="")


def effective_predikat(evaluation: Evaluation) -> str:
    """The current annual predikat: kinerja.assessment.selectors.predikat decides."""
    return current_predikat(evaluation)


def annual_predikat_history(
    agency: Agency | int,
    employee_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
) -> History:
    """{employee_id: [(year, predikat)]}, most recent first, in one query.

    `employee_ids` None means the whole agency; `years` (an iterable of calendar years) limits
    the years read. The predikat is the final one (after calibration or appeal) if set."""
    qs = _annual(_agency_id(agency))
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    if years is not None:
        qs = qs.filter(year__year__in=list(years))
    history: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = qs.values_list("employee_id", "year__year", "predikat", "predikat_final")
    for employee_id, year, predikat, final in rows.order_by("employee_id", "-year__year"):
        history[employee_id].append((year, current_of(predikat, final)))
    return dict(history)


def candidate_history_now(candidate: Candidate) -> list[tuple[int, str]]:
    """A candidate's [(year, predikat)] as built, with the evaluated year's predikat as it
    holds now (a calibration change or an appeal decided after the list was built).
    No query when the candidate's evaluation and year are loaded (candidate_queryset)."""
    rows = [(int(y), str(p)) for y, p in candidate.history or []]
    if candidate.evaluation is None:
        return rows
    now = current_predikat(candidate.evaluation)
    return [(y, now if y == candidate.year.year and now else p) for y, p in rows]


def annual_evaluations(agency: Agency | int, year: int) -> dict[int, int]:
    """{employee_id: evaluation id} of the year's counted annual evaluations."""
    rows = _annual(_agency_id(agency)).filter(year__year=year).values_list("employee_id", "pk")
    return dict(rows)


def annual_evaluation(employee: Employee, year: int) -> Evaluation | None:
    return (
        _annual(employee.agency_id)
        .filter(employee=employee, year__year=year)
        .select_related("year")
        .first()
    )


def appeal_pending(evaluation: Evaluation) -> bool:
    """Whether the evaluation is under appeal: status appealed, or an undecided appeal."""
    if evaluation.status == Evaluation.Status.APPEALED:
        return True
    return Appeal.objects.filter(evaluation=evaluation, status=Appeal.Status.FILED).exists()


def performance_years(agency_id: int) -> list[PerformanceYear]:
    """The agency's performance years, newest first."""
    return list(PerformanceYear.objects.filter(agency_id=agency_id).order_by("-year"))


# --- rules and settings ----------------------------------------------------------------------


def settings_for(agency: Agency | int) -> FollowupSettings:
    """The agency's settings; an unsaved row with the defaults until one is stored
    (`services.rule_defaults_ensure` stores it)."""
    agency_id = _agency_id(agency)
    stored = FollowupSettings.objects.filter(agency_id=agency_id).first()
    return stored or FollowupSettings(agency_id=agency_id)


def rules_for(
    agency: Agency | int | None,
    *,
    active_only: bool = False,
    exclude: FollowupRule | None = None,
) -> QuerySet[FollowupRule]:
    qs = FollowupRule.objects.filter(agency=agency)
    if active_only:
        qs = qs.filter(active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def rule_queryset() -> QuerySet[FollowupRule]:
    """Rules, for a fetch through the user's access."""
    return FollowupRule.objects.all()


def allowance_factors(agency: Agency | int) -> list[AllowanceFactor]:
    return list(AllowanceFactor.objects.filter(agency=agency))


def cuts_for(agency: Agency | int | None) -> dict[Predikat, Decimal]:
    cuts = dict(rules.DEFAULT_CUTS)
    for factor in AllowanceFactor.objects.filter(agency=agency):
        cuts[rules.Predikat(factor.predikat)] = factor.cut_percent
    return cuts


# --- candidates ------------------------------------------------------------------------------


def candidate_queryset(access: Access) -> QuerySet[Candidate]:
    return Candidate.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "employee__position", "year", "rule", "evaluation"
    )


def candidate_detail_queryset() -> QuerySet[Candidate]:
    """Candidates with what deciding and recording need, for a fetch through the user's access."""
    return Candidate.objects.select_related("employee", "employee__unit", "evaluation", "year")


def candidates(
    access: Access,
    *,
    year: PerformanceYear | None = None,
    outcome: str | None = None,
    status: str | None = None,
) -> QuerySet[Candidate]:
    qs = candidate_queryset(access)
    if year is not None:
        qs = qs.filter(year=year)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("outcome", "employee__name", "pk")


def candidate_counts(access: Access, year: PerformanceYear) -> dict[str, dict[str, int]]:
    rows = (
        Candidate.objects.filter(access.employee_filter("employee__"), year=year)
        .values("outcome", "status")
        .annotate(n=Count("pk"))
    )
    counts: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["outcome"]][row["status"]] = row["n"]
    return counts


# --- awards, sanctions and people ------------------------------------------------------------


def awards(access: Access) -> QuerySet[Award]:
    return Award.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "evaluation", "evaluation__year", "withdrawn_by__employee"
    )


def award_queryset() -> QuerySet[Award]:
    """Awards, for a fetch through the user's access."""
    return Award.objects.select_related("employee", "evaluation")


def sanctions(access: Access) -> QuerySet[Sanction]:
    return Sanction.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "evaluation", "evaluation__year", "withdrawn_by__employee"
    )


def sanction_queryset() -> QuerySet[Sanction]:
    """Sanctions with their employee, for a fetch through the user's access."""
    return Sanction.objects.select_related("employee")


def credit_points_queryset() -> QuerySet[CreditPoints]:
    """Credit points with their employee, for a fetch through the user's access."""
    return CreditPoints.objects.select_related("employee")


def development_plan_queryset() -> QuerySet[DevelopmentPlan]:
    """Development plans with their employee, for a fetch through the user's access."""
    return DevelopmentPlan.objects.select_related("employee", "employee__position")


def pairing_queryset() -> QuerySet[MentorPairing]:
    """Mentor pairings with the mentee, for a fetch through the user's access."""
    return MentorPairing.objects.select_related("mentee", "mentee__position")


def employee_queryset() -> QuerySet[Employee]:
    """Employees with their position, unit and agency, for a fetch through the user's access."""
    return Employee.objects.select_related("position", "unit", "agency")


def agency_employee(agency_id: int, pk: int | None) -> Employee | None:
    """An employee of the agency by id (a mentor need not be visible to the one who pairs)."""
    if pk is None:
        return None
    return Employee.objects.filter(agency_id=agency_id, pk=pk).first()


def units(access: Access) -> QuerySet[OrgUnit]:
    """Units visible to `access`, in the tree's order."""
    return OrgUnit.objects.filter(access.unit_filter()).order_by("path")


def unit_queryset() -> QuerySet[OrgUnit]:
    """Units, for a fetch through the user's access."""
    return OrgUnit.objects.all()


def head_unit(access: Access) -> OrgUnit | None:
    """The first unit `access` heads."""
    if access.agency_id is None or not access.head_unit_paths:
        return None
    return OrgUnit.objects.filter(
        agency_id=access.agency_id, path=access.head_unit_paths[0]
    ).first()


# --- competence development ------------------------------------------------------------------


def courses(agency: Agency | int | None, *, active_only: bool = False) -> QuerySet[TrainingCourse]:
    qs = TrainingCourse.objects.filter(agency=agency)
    return qs.filter(active=True) if active_only else qs


def course_queryset() -> QuerySet[TrainingCourse]:
    """Catalogue courses, for a fetch through the user's access."""
    return TrainingCourse.objects.all()


def agency_course(agency_id: int, pk: int | None) -> TrainingCourse | None:
    """A catalogue course of the agency by id (inactive ones too), or None."""
    if pk is None:
        return None
    return TrainingCourse.objects.filter(agency_id=agency_id, pk=pk).first()


def training_records(access: Access) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "course"
    )


def training_record_queryset() -> QuerySet[TrainingRecord]:
    """Training records, for a fetch through the user's access."""
    return TrainingRecord.objects.all()


def jp_total(employee: Employee, year: int) -> int:
    total = TrainingRecord.objects.filter(employee=employee, end__year=year).aggregate(
        total=Sum("hours_jp")
    )["total"]
    return total or 0


def jp_shortfall(
    access: Access, year: int, *, min_jp: int, unit: OrgUnit | None = None
) -> QuerySet[Employee]:
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


class DevelopmentArea(TypedDict):
    source: str
    ref: Any  # a core value number, an RHK id, or None for the overall rating
    label: str


def suggested_areas(evaluation: Evaluation | None) -> list[DevelopmentArea]:
    """Development areas from an evaluation: every core value rated Di Bawah and every RHK
    rated Di Bawah; the overall perilaku/hasil rating when no detailed row says more."""
    if evaluation is None:
        return []
    areas: list[DevelopmentArea] = []
    for row in evaluation.behaviour_rows.all():
        if row.rating == "di_bawah":
            areas.append(
                {"source": "perilaku", "ref": row.value, "label": berakhlak.NAMES[row.value]}
            )
    for rhk_row in evaluation.rhk_rows.select_related("rhk"):
        if rhk_row.rating == "di_bawah":
            areas.append({"source": "rhk", "ref": rhk_row.rhk_id, "label": rhk_row.rhk.text[:200]})
    if not any(a["source"] == "perilaku" for a in areas) and evaluation.perilaku == "di_bawah":
        areas.append({"source": "perilaku", "ref": None, "label": _("Perilaku kerja (BerAKHLAK)")})
    if not any(a["source"] == "rhk" for a in areas) and evaluation.hasil == "di_bawah":
        areas.append({"source": "rhk", "ref": None, "label": _("Hasil kerja")})
    return areas


def development_plan(employee: Employee, year: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(employee=employee, year=year)
        .prefetch_related("planned_courses")
        .first()
    )


# --- mentors ---------------------------------------------------------------------------------


def pairings(access: Access) -> QuerySet[MentorPairing]:
    return (
        MentorPairing.objects.filter(
            access.employee_filter("mentee__") | access.employee_filter("mentor__")
        )
        .select_related(
            "mentor", "mentee", "mentor__position", "mentee__position", "withdrawn_by__employee"
        )
        .distinct()
    )


def _family(employee: Employee) -> str:
    position = employee.position
    return rules.position_family(position.kind, position.name) if position else ""


def mentor_suggestions(access: Access, year: int) -> list[tuple[Employee, list[Employee]]]:
    """[(mentee, [mentors])]: employees visible to `access` whose annual predikat of `year` is
    Butuh Perbaikan or worse, each with the agency's Sangat Baik employees of the same
    position family (rules.position_family). Three queries."""
    agency_id = access.agency_id
    if agency_id is None:
        return []
    history = annual_predikat_history(agency_id, years=[year])
    predikat = {e: rows[0][1] for e, rows in history.items()}
    mentee_ids = [e for e, p in predikat.items() if p in NEEDS_IMPROVEMENT]
    mentor_ids = [e for e, p in predikat.items() if p == Predikat.SANGAT_BAIK]
    mentees = list(
        Employee.objects.filter(access.employee_filter(), pk__in=mentee_ids, is_active=True)
        .select_related("position", "unit")
        .order_by("name")
    )
    mentors = list(
        Employee.objects.filter(
            agency_id=agency_id, pk__in=mentor_ids, is_active=True
        ).select_related("position", "unit")
    )
    by_family: dict[str, list[Employee]] = {}
    for m in mentors:
        by_family.setdefault(_family(m), []).append(m)
    return [(e, by_family.get(_family(e), [])) for e in mentees if _family(e)]


# --- credit points ---------------------------------------------------------------------------


def credit_points(access: Access) -> QuerySet[CreditPoints]:
    return CreditPoints.objects.filter(access.employee_filter("employee__")).select_related(
        "employee", "employee__unit", "employee__position", "withdrawn_by__employee"
    )


CREDIT_POINTS_PAGE_SIZE = 50


def credit_points_page(access: Access, *, page: int | str = 1) -> Page:
    """One page of the credit points visible to `access`, newest year first: two
    queries (the count and the page) whatever the size of the agency."""
    qs = credit_points(access).order_by("-year", "employee__name", "pk")
    return Paginator(qs, CREDIT_POINTS_PAGE_SIZE).get_page(page)


class CreditSummary(TypedDict):
    rows: list[CreditPoints]
    jenjang: str
    total: Decimal
    next_jenjang: str
    needed: Decimal | None
    remaining: Decimal | None


def credit_summary(employee: Employee) -> CreditSummary:
    """Rows of the employee, the total per jenjang, and the target for the next jenjang."""
    rows = list(
        CreditPoints.objects.filter(employee=employee)
        .select_related("withdrawn_by__employee")
        .order_by("year", "pk")
    )
    jenjang = employee.position.jenjang if employee.position else ""
    total = sum(
        (r.points for r in rows if r.jenjang == jenjang and r.withdrawn_at is None), Decimal("0")
    )
    target = rules.AK_NEXT_LEVEL.get(jenjang)
    return {
        "rows": rows,
        "jenjang": jenjang,
        "total": total,
        "next_jenjang": target[0] if target else "",
        "needed": target[1] if target else None,
        "remaining": max(target[1] - total, Decimal("0")) if target else None,
    }


# --- the employee's own page -----------------------------------------------------------------


def employee_page(employee: Employee, year: int) -> dict[str, Any]:
    """Everything the employee's own follow-up page shows, in a fixed number of queries."""
    settings = settings_for(employee.agency_id)
    return {
        "awards": list(
            Award.objects.filter(employee=employee).select_related(
                "evaluation__year", "withdrawn_by__employee"
            )
        ),
        "sanctions": list(
            Sanction.objects.filter(employee=employee).select_related(
                "evaluation__year", "withdrawn_by__employee"
            )
        ),
        "candidates": list(
            Candidate.objects.filter(employee=employee).select_related("year").order_by("-pk")
        ),
        "plans": list(
            DevelopmentPlan.objects.filter(employee=employee)
            .select_related("withdrawn_by__employee")
            .prefetch_related("planned_courses")
        ),
        "records": list(TrainingRecord.objects.filter(employee=employee).select_related("course")),
        "jp_total": jp_total(employee, year),
        "min_jp": settings.min_jp,
        "credit": credit_summary(employee),
        "pairings": list(
            MentorPairing.objects.filter(Q(mentor=employee) | Q(mentee=employee)).select_related(
                "mentor", "mentee", "withdrawn_by__employee"
            )
        ),
    }


# --- the home page (kinerja/org/inbox.py) ------------------------------------------------------


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    """Training hours short of the agency's minimum this year (two queries), and the
    candidates waiting for a decision of admin BKD or the pimpinan unit (one count)."""
    items: list[InboxItem] = []
    if access.agency_id is None:
        return items
    me = access.employee
    if me is not None and me.is_active:
        min_jp = settings_for(access.agency_id).min_jp
        done = jp_total(me, today.year)
        if done < min_jp:
            due = dt.date(today.year, 12, 31)
            items.append(
                InboxItem(
                    kind="training_jp",
                    title=_("Pengembangan kompetensi %(year)s: %(done)s dari %(min)s JP")
                    % {"year": today.year, "done": done, "min": min_jp},
                    detail=_("Catat pelatihan yang sudah Anda ikuti atau rencanakan yang kurang."),
                    due=due,
                    url=reverse("followup:home"),
                    urgency=urgency_of(due, today, base=INFO),
                    count=min_jp - done,
                )
            )
    if access.is_admin or access.is_unit_head:
        pending = Candidate.objects.filter(
            access.employee_filter("employee__"), status=Candidate.Status.PENDING
        )
        if me is not None:
            pending = pending.exclude(employee=me)
        n = pending.count()
        if n:
            items.append(
                InboxItem(
                    kind="candidates",
                    title=ngettext(
                        "%(n)s kandidat tindak lanjut menunggu keputusan",
                        "%(n)s kandidat tindak lanjut menunggu keputusan",
                        n,
                    )
                    % {"n": n},
                    detail=_("Setujui atau tolak usulan penghargaan, sanksi dan pengembangan."),
                    url=reverse("followup:candidates") + "?status=pending",
                    count=n,
                )
            )
    return items
