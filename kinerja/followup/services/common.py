"""What several follow-up services share: the messages of refusals and the checks on the
evaluation behind a record."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.assessment.models import Evaluation
from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record
from kinerja.org.models import Agency, Employee, User

from .. import selectors
from ..models import Candidate


def check_not_under_appeal(evaluation: Evaluation) -> None:
    if selectors.appeal_pending(evaluation):
        raise ValidationError(
            _(
                "Evaluasi yang menjadi dasar penghargaan ini sedang dalam proses keberatan. "
                "Penghargaan baru dapat dicatat setelah keberatan diputus."
            )
        )


def linked_evaluation(
    employee: Employee, evaluation: Evaluation | None, candidate: Candidate | None
) -> Evaluation | None:
    """The evaluation a record rests on (the candidate's when none is given), checked to be
    the employee's own."""
    if candidate is not None:
        if candidate.employee_id != employee.pk:
            raise ValidationError(_("Kandidat ini milik pegawai lain."))
        evaluation = evaluation or candidate.evaluation
    if evaluation is not None and evaluation.employee_id != employee.pk:
        raise ValidationError(_("Evaluasi ini milik pegawai lain."))
    return evaluation


def record_batch(
    action: str, *, agency: Agency, actor: User | None, target_type: str, after: dict[str, int]
) -> None:
    """One audit event for a set-based run (the job's user, or "sistem" without one)."""
    bulk_record(
        [
            AuditEvent(
                agency_id=agency.pk,
                actor=actor,
                actor_label=actor.get_username() if actor is not None else "sistem",
                action=action,
                target_type=target_type,
                after=after,
            )
        ]
    )


def accept_pending_candidate(candidate: Candidate | None, actor: User) -> None:
    """Recording an award or a sanction from a pending candidate accepts the candidate."""
    if candidate is not None and candidate.status == Candidate.Status.PENDING:
        Candidate.objects.filter(pk=candidate.pk).update(
            status=Candidate.Status.ACCEPTED, decided_by=actor, decided_at=timezone.now()
        )
