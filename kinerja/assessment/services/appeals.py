"""Appeals (keberatan): the employee files within 14 working days of delivery,
the atasan pejabat penilai asks for explanations and decides within 7 working
days, finally; lapsed appeals are escalated to admin BKD (PermenPANRB 6/2022
lampiran Bab V; docs/domain.md §5)."""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.audit.services import audited, audited_update, record
from kinerja.authz import actor_employee
from kinerja.monitoring import uploads
from kinerja.org.access import superior_of
from kinerja.org.models import Agency, Employee, User

from .. import labels, selectors
from ..models import Appeal, AppealEvidence, Evaluation, PredikatChoice
from ._shared import KIND_APPEAL, day_of, load_evaluation, notify, tell

ONLY_THE_DECIDER = gettext_noop("Hanya atasan pejabat penilai yang dapat memutus keberatan ini.")
#: Where an appeal's evidence files are kept: PRIVATE_ROOT/appeals/<agency>/.
EVIDENCE_FOLDER = "appeals"
#: At most this many files on one appeal.
MAX_EVIDENCE_FILES = 10


def _check_files(files: Sequence[UploadedFile], already: int = 0) -> list[uploads.CheckedFile]:
    """Each file checked by its content and size, as realisasi evidence, before
    anything is saved; a refusal names the file."""
    if already + len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            _("Keberatan dapat memuat paling banyak %(n)s berkas bukti.")
            % {"n": MAX_EVIDENCE_FILES}
        )
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check_upload(upload))
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(error)s")
                % {"name": uploads.sanitize_name(upload.name), "error": error.messages[0]}
            ) from error
    return checked


def _store_files(
    *,
    actor: User,
    appeal: Appeal,
    uploaded_by: Employee,
    files: Sequence[UploadedFile],
    checked: Sequence[uploads.CheckedFile],
) -> list[AppealEvidence]:
    stored = []
    for upload, info in zip(files, checked, strict=True):
        stored_name, digest = uploads.store(upload, appeal.agency_id, EVIDENCE_FOLDER)
        evidence = AppealEvidence(
            agency_id=appeal.agency_id,
            appeal=appeal,
            uploaded_by=uploaded_by,
            stored_name=stored_name,
            original_name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=digest,
        )
        with audited(
            evidence,
            "assessment.appeal.evidence.add",
            actor=actor,
            fields=["original_name", "content_type", "size", "sha256"],
            subject=appeal.evaluation.employee,
        ):
            evidence.save()
        stored.append(evidence)
    return stored


def appeal_evidence_path(evidence: AppealEvidence) -> Path:
    """The stored file of an appeal's evidence (OSError when it is not one of ours)."""
    return uploads.stored_path(evidence, EVIDENCE_FOLDER)


@transaction.atomic
def appeal_file(
    *,
    actor: User,
    evaluation: Evaluation,
    reasons: str,
    evidence: str = "",
    files: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> Appeal:
    """The employee files an appeal, with its reasons, an evidence note and files
    (checked by content and size as realisasi evidence)."""
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    blocked = selectors.appeal_blocked_reason(evaluation, today)
    if blocked:
        raise ValidationError(blocked)
    if not (reasons or "").strip():
        raise ValidationError(_("Alasan keberatan wajib diisi."))
    decider = superior_of(evaluation.rater, on=today) if evaluation.rater is not None else None
    if decider is None:
        raise ValidationError(
            _("Atasan pejabat penilai tidak ditemukan; hubungi admin BKD untuk keberatan ini.")
        )
    checked = _check_files(files)
    appeal = Appeal(
        agency_id=evaluation.agency_id,
        evaluation=evaluation,
        filed_by=me,
        filed_on=today,
        reasons=reasons.strip(),
        evidence=(evidence or "").strip(),
        decider=decider,
        decide_due=selectors.working_days_after(
            evaluation.agency_id, today, evaluation.year.workday_rules.appeal_decide_days
        ),
        predikat_before=selectors.current_predikat(evaluation),
    )
    with audited(appeal, "assessment.appeal.file", actor=actor, subject=evaluation.employee):
        appeal.save()
        evaluation.status = Evaluation.Status.APPEALED
        evaluation.save(update_fields=["status", "updated_at"])
    _store_files(actor=actor, appeal=appeal, uploaded_by=me, files=files, checked=checked)
    notify(
        evaluation,
        _("Keberatan Anda diterima; atasan pejabat penilai memutus paling lambat %(d)s.")
        % {"d": appeal.decide_due.strftime("%d-%m-%Y")},
    )
    notify(evaluation, _("Keberatan baru menunggu keputusan Anda."), employee=decider)
    return appeal


def _load_appeal(appeal: Appeal) -> Appeal:
    """The stored appeal, locked with its evaluation until the transaction ends."""
    return (
        Appeal.objects.select_related(
            "evaluation", "evaluation__employee", "evaluation__rater", "decider"
        )
        .select_for_update(of=("self", "evaluation"))
        .get(pk=appeal.pk)
    )


@transaction.atomic
def appeal_evidence_add(
    *, actor: User, appeal: Appeal, files: Sequence[UploadedFile]
) -> list[AppealEvidence]:
    """The employee adds evidence files to their appeal while it is open."""
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if me is None or me.pk != appeal.evaluation.employee_id:
        raise PermissionDenied(
            _("Hanya pegawai yang mengajukan keberatan yang dapat melampirkan bukti.")
        )
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus; bukti tidak dapat ditambahkan."))
    if not files:
        raise ValidationError(_("Pilih berkas bukti."))
    checked = _check_files(files, already=appeal.files.count())
    return _store_files(actor=actor, appeal=appeal, uploaded_by=me, files=files, checked=checked)


def appeal_evidence_record_download(*, actor: User, evidence: AppealEvidence) -> None:
    """Every download of an appeal's evidence file is kept in the audit trail."""
    record(
        "assessment.appeal.evidence.download",
        actor=actor,
        target=evidence,
        subject=evidence.appeal.evaluation.employee,
    )


@transaction.atomic
def appeal_request_explanations(*, actor: User, appeal: Appeal) -> Appeal:
    """The decider asks the rater and the employee to explain."""
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if me is None or me.pk != appeal.decider_id:
        raise PermissionDenied(_(ONLY_THE_DECIDER))
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus."))
    evaluation = appeal.evaluation
    audited_update(
        appeal,
        "assessment.appeal.request_explanations",
        actor=actor,
        subject=evaluation.employee,
        changes={"explanation_requested_at": timezone.now()},
    )
    notify(evaluation, _("Atasan pejabat penilai meminta penjelasan Anda atas keberatan."))
    if evaluation.rater is not None:
        notify(
            evaluation,
            _("Atasan Anda meminta penjelasan atas keberatan %(n)s.")
            % {"n": evaluation.employee.full_name},
            employee=evaluation.rater,
        )
    return appeal


@transaction.atomic
def appeal_explain(*, actor: User, appeal: Appeal, text: str) -> Appeal:
    """The rater's or the employee's explanation."""
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus."))
    if not (text or "").strip():
        raise ValidationError(_("Penjelasan wajib diisi."))
    evaluation = appeal.evaluation
    if me is not None and me.pk == evaluation.rater_id:
        field = "rater_explanation"
    elif me is not None and me.pk == evaluation.employee_id:
        field = "employee_explanation"
    else:
        raise PermissionDenied(
            _("Penjelasan hanya dari pejabat penilai atau pegawai yang dinilai.")
        )
    audited_update(
        appeal,
        "assessment.appeal.explain",
        actor=actor,
        subject=evaluation.employee,
        changes={field: text.strip()},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    decision: str,
    reason: str,
    new_predikat: str = "",
    recommendation: str = "",
    today: dt.date | None = None,
) -> Appeal:
    """The atasan pejabat penilai confirms or changes the result; final."""
    today = day_of(today)
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if me is None or me.pk != appeal.decider_id:
        raise PermissionDenied(_(ONLY_THE_DECIDER))
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus; keputusannya final."))
    if decision not in Appeal.Decision.values:
        raise ValidationError(_("Keputusan harus menguatkan atau mengubah hasil penilaian."))
    if not (reason or "").strip():
        raise ValidationError(_("Alasan keputusan wajib diisi."))
    evaluation = appeal.evaluation
    if decision == Appeal.Decision.CHANGE:
        if new_predikat not in PredikatChoice.values:
            raise ValidationError(_("Pilih predikat baru."))
        if new_predikat == appeal.predikat_before:
            raise ValidationError(_("Predikat baru sama dengan predikat semula."))
    else:
        new_predikat = ""
    late = today > appeal.decide_due
    appeal.status = Appeal.Status.DECIDED
    appeal.decision = decision
    appeal.new_predikat = new_predikat
    appeal.decision_reason = reason.strip()
    appeal.recommendation = (recommendation or "").strip()
    appeal.decided_on = today
    appeal.save()
    if new_predikat:
        evaluation.predikat_final = new_predikat
    evaluation.status = Evaluation.Status.DECIDED
    evaluation.save(update_fields=["predikat_final", "status", "updated_at"])
    record(
        "assessment.appeal.decide",
        actor=actor,
        target=appeal,
        subject=evaluation.employee,
        before={"predikat": appeal.predikat_before},
        after={
            "decision": decision,
            "predikat": selectors.current_predikat(evaluation),
            "late": late,
        },
        note=reason.strip(),
    )
    notify(
        evaluation,
        _("Keberatan Anda telah diputus: %(d)s.") % {"d": Appeal.Decision(decision).label},
    )
    _tell_decided(appeal, evaluation)
    return appeal


def _tell_decided(appeal: Appeal, evaluation: Evaluation) -> None:
    """The employee and the rater learn the decision and the predikat it leaves."""
    params = {
        "l": labels.evaluation_label(evaluation),
        "d": Appeal.Decision(appeal.decision).label,
        "p": PredikatChoice(selectors.current_predikat(evaluation)).label,
        "n": evaluation.employee.full_name,
    }
    url = reverse("assessment:appeal", args=[appeal.pk])
    tell(
        evaluation.employee,
        KIND_APPEAL,
        _("Keberatan Anda atas evaluasi %(l)s telah diputus: %(d)s. Predikat: %(p)s.") % params,
        url,
        evaluation.agency_id,
    )
    tell(
        evaluation.rater,
        KIND_APPEAL,
        _("Keberatan %(n)s atas evaluasi %(l)s telah diputus: %(d)s. Predikat: %(p)s.") % params,
        url,
        evaluation.agency_id,
    )


@transaction.atomic
def appeal_escalate_lapsed(*, agency: Agency, today: dt.date | None = None) -> int:
    """Flag appeals not decided within 7 working days and escalate them to admin
    BKD (they appear on the admin page). Called by the `assessment_escalate`
    command (or a reminder job); idempotent. Returns the number newly escalated."""
    today = day_of(today)
    lapsed = list(
        Appeal.objects.filter(
            agency=agency, status=Appeal.Status.FILED, escalated=False, decide_due__lt=today
        ).select_related("evaluation", "evaluation__employee")
    )
    now = timezone.now()
    for appeal in lapsed:
        appeal.escalated = True
        appeal.escalated_at = now
        record(
            "assessment.appeal.escalate",
            agency=agency,
            target=appeal,
            subject=appeal.evaluation.employee,
            note=_("Keberatan belum diputus sampai %(d)s.")
            % {"d": appeal.decide_due.strftime("%d-%m-%Y")},
        )
        notify(
            appeal.evaluation,
            _("Keberatan Anda melewati batas waktu keputusan dan diteruskan ke admin BKD."),
        )
    Appeal.objects.bulk_update(lapsed, ["escalated", "escalated_at"])
    return len(lapsed)
