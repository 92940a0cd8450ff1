"""Awards and sanctions recorded for an employee (admin BKD), often from a candidate."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.assessment.models import Evaluation
from kinerja.audit.services import audited, audited_update
from kinerja.authz import require_admin
from kinerja.org.models import Employee, User

from .. import documents
from ..models import Award, Candidate, Sanction
from .common import accept_pending_candidate, check_not_under_appeal, linked_evaluation


def award_create(
    *,
    actor: User,
    employee: Employee,
    kind: str,
    basis: str,
    date: dt.date,
    evaluation: Evaluation | None = None,
    candidate: Candidate | None = None,
    upload: UploadedFile | None = None,
) -> Award:
    """Record an award; refused while the evaluation behind it is under appeal. A pending
    candidate it comes from is accepted."""
    require_admin(actor, employee.agency_id)
    if kind not in Award.Kind.values:
        raise ValidationError(_("Jenis penghargaan tidak dikenal."))
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError(_("Dasar pemberian penghargaan wajib diisi."))
    evaluation = linked_evaluation(employee, evaluation, candidate)
    if evaluation is not None:
        check_not_under_appeal(evaluation)
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    award = Award(
        agency_id=employee.agency_id,
        employee=employee,
        kind=kind,
        basis=basis,
        date=date,
        evaluation=evaluation,
        candidate=candidate,
        created_by=actor,
        **fields,
    )
    with transaction.atomic():
        with audited(
            award, "followup.award.create", actor=actor, agency=employee.agency, subject=employee
        ):
            award.save()
        accept_pending_candidate(candidate, actor)
    return award


def _check_end(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))


def _check_status(status: str) -> None:
    if status not in Sanction.Status.values:
        raise ValidationError(_("Status sanksi tidak dikenal."))


def sanction_create(
    *,
    actor: User,
    employee: Employee,
    kind: str,
    legal_basis: str,
    start: dt.date,
    end: dt.date | None = None,
    status: str = Sanction.Status.PROPOSED,
    evaluation: Evaluation | None = None,
    candidate: Candidate | None = None,
    note: str = "",
    upload: UploadedFile | None = None,
) -> Sanction:
    """Record a sanction with its legal basis. A pending candidate it comes from is accepted."""
    require_admin(actor, employee.agency_id)
    if kind not in Sanction.Kind.values:
        raise ValidationError(_("Jenis sanksi tidak dikenal."))
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError(
            _("Dasar hukum sanksi wajib diisi (mis. PP 30/2019 Pasal 56-58, PP 94/2021).")
        )
    _check_status(status)
    _check_end(start, end)
    evaluation = linked_evaluation(employee, evaluation, candidate)
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    sanction = Sanction(
        agency_id=employee.agency_id,
        employee=employee,
        kind=kind,
        legal_basis=legal_basis,
        start=start,
        end=end,
        status=status,
        evaluation=evaluation,
        candidate=candidate,
        note=(note or "").strip(),
        created_by=actor,
        **fields,
    )
    with transaction.atomic():
        with audited(
            sanction,
            "followup.sanction.create",
            actor=actor,
            agency=employee.agency,
            subject=employee,
        ):
            sanction.save()
        accept_pending_candidate(candidate, actor)
    return sanction


def sanction_set_status(
    *, actor: User, sanction: Sanction, status: str, end: dt.date | None = None
) -> Sanction:
    """Change a sanction's status (and its end, when given)."""
    require_admin(actor, sanction.agency_id)
    _check_status(status)
    _check_end(sanction.start, end)
    changes: dict[str, object] = {"status": status}
    if end is not None:
        changes["end"] = end
    with transaction.atomic():
        audited_update(
            sanction,
            "followup.sanction.update",
            actor=actor,
            agency=sanction.employee.agency,
            subject=sanction.employee,
            changes=changes,
            fields=["status", "end"],
        )
    return sanction
