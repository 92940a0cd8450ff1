"""Appeals (keberatan): who may see one, whether an evaluation may be appealed,
the deciders' and admin BKD's lists."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.org.access import Access
from kinerja.org.models import Employee

from ..models import Appeal, AppealEvidence, Evaluation


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


def appeal_of(evaluation: Evaluation) -> Appeal | None:
    return Appeal.objects.filter(evaluation=evaluation).first()


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


def appeal_evidence_filter(access: Access) -> Q:
    """A Q over AppealEvidence: the files of appeals the user filed (as the
    evaluated employee) or decides; nobody else, not even admin BKD or the rater."""
    if access.agency_id is None or access.employee is None:
        return Q(pk__in=[])
    me = access.employee.pk
    return Q(agency_id=access.agency_id) & (
        Q(appeal__decider_id=me) | Q(appeal__evaluation__employee_id=me)
    )


def may_see_appeal_evidence(access: Access, appeal: Appeal) -> bool:
    me = access.employee.pk if access.employee else None
    return me is not None and me in (appeal.decider_id, appeal.evaluation.employee_id)


def appeal_evidence_queryset() -> QuerySet[AppealEvidence]:
    """Evidence files with what a download records (the appeal's employee)."""
    return AppealEvidence.objects.select_related("appeal__evaluation__employee", "agency")


def appeal_evidence_of(appeal: Appeal) -> list[AppealEvidence]:
    return list(AppealEvidence.objects.filter(appeal=appeal).order_by("created_at", "pk"))
