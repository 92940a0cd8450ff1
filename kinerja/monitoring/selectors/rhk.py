"""RHK, action plans, takeovers (art. 20), project reports and the RHK's page."""

from typing import TypedDict

from django.db.models import Prefetch, QuerySet

from kinerja.org.models import Employee
from kinerja.planning.models import Iki, Period, Rhk, Skp

from ..models import ActionPlanStep, Feedback, ProjectReport, Realisasi, RhkTakeover
from .feedback import thread
from .people import current_skp
from .periods import periods_of_year
from .realisasi import progress_table


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
