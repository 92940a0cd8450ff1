"""Development plans (areas from the evaluation, planned courses) and mentor pairings."""

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot
from kinerja.authz import require_same_agency
from kinerja.org.access import compute_access
from kinerja.org.models import Employee, User

from .. import selectors
from ..models import DevelopmentPlan, MentorPairing, TrainingCourse
from ..selectors import DevelopmentArea


def development_plan_save(
    *,
    actor: User,
    employee: Employee,
    year: int,
    goals: str = "",
    course_ids: Collection[int] = (),
    areas: list[DevelopmentArea] | None = None,
) -> DevelopmentPlan:
    """The employee's development plan of `year` (one per year), by those who manage them;
    the areas default to what the annual evaluation rated below expectation."""
    if not selectors.can_manage(compute_access(actor), employee):
        raise PermissionDenied(_("Anda tidak dapat menyusun rencana pengembangan pegawai ini."))
    evaluation = selectors.annual_evaluation(employee, year)
    if areas is None:
        areas = selectors.suggested_areas(evaluation)
    courses = list(TrainingCourse.objects.filter(agency_id=employee.agency_id, pk__in=course_ids))
    if len(courses) != len(set(course_ids)):
        raise ValidationError(_("Pelatihan yang dipilih tidak ada dalam katalog."))
    with transaction.atomic():
        plan, created = DevelopmentPlan.objects.get_or_create(
            agency_id=employee.agency_id, employee=employee, year=year
        )
        # Not `audited`: the record's "after" carries the planned courses beside the fields.
        before = None if created else snapshot(plan, ["areas", "goals"])
        plan.evaluation = evaluation
        plan.areas = areas
        plan.goals = (goals or "").strip()
        plan.updated_by = actor
        # Saving the year's plan again puts a withdrawn plan back in force.
        plan.withdrawn_at, plan.withdrawn_by, plan.withdrawn_reason = None, None, ""
        plan.save()
        plan.planned_courses.set(courses)
        record(
            "followup.devplan.save",
            actor=actor,
            agency=employee.agency,
            target=plan,
            subject=employee,
            before=before,
            after={**snapshot(plan, ["areas", "goals"]), "courses": [c.pk for c in courses]},
        )
    return plan


def mentor_pairing_create(
    *,
    actor: User,
    mentor: Employee,
    mentee: Employee,
    goals: str,
    start: dt.date,
    notes: str = "",
    end: dt.date | None = None,
) -> MentorPairing:
    """Pair a mentor with an employee who needs one, by those who manage the mentee."""
    if not selectors.can_manage(compute_access(actor), mentee):
        raise PermissionDenied(_("Anda tidak dapat menetapkan mentor untuk pegawai ini."))
    require_same_agency(actor, mentor)
    if mentor.pk == mentee.pk:
        raise ValidationError(_("Mentor dan pegawai yang dibimbing tidak boleh orang yang sama."))
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError(_("Sasaran pendampingan wajib diisi."))
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    pairing = MentorPairing(
        agency_id=mentee.agency_id,
        mentor=mentor,
        mentee=mentee,
        goals=goals,
        notes=(notes or "").strip(),
        start=start,
        end=end,
        created_by=actor,
    )
    with (
        transaction.atomic(),
        audited(
            pairing, "followup.mentor.create", actor=actor, agency=mentee.agency, subject=mentee
        ),
    ):
        pairing.save()
    return pairing
