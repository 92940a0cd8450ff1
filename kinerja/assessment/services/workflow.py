"""The evaluation document after finalising: the rater (or whoever rated)
signs and delivers it, the employee acknowledges it, admin BKD records it as
reported to the PyB. Deadlines in working days on the agency's calendar
(PermenPANRB 6/2022 lampiran Bab IV; docs/domain.md §1 and §4)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update
from kinerja.authz import actor_employee, is_admin, require_admin
from kinerja.org.models import User

from .. import labels, selectors
from ..models import Evaluation
from ._shared import KIND_EVALUATION, day_of, load_evaluation, notify, tell


def _require_signer(actor: User, evaluation: Evaluation) -> None:
    """The rater or whoever rated; admin BKD for an evaluation without a rater."""
    me = actor_employee(actor)
    allowed = {evaluation.rated_by_id, evaluation.rater_id} - {None}
    on_behalf = evaluation.rater_id is None and is_admin(actor, evaluation.agency_id)
    if (me is None or me.pk not in allowed) and not on_behalf:
        raise PermissionDenied(_("Hanya pejabat penilai yang dapat melakukan ini."))


def _rated_by_superior(evaluation: Evaluation) -> bool:
    """The superior rated after the rater's deadline: shorter deadlines follow."""
    return evaluation.final_reason == Evaluation.FINAL_BY_SUPERIOR


@transaction.atomic
def evaluation_sign(
    *, actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> Evaluation:
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    _require_signer(actor, evaluation)
    if evaluation.status != Evaluation.Status.FINALISED:
        raise ValidationError(_("Hanya evaluasi yang sudah difinalkan yang dapat ditandatangani."))
    if not evaluation.predikat_final:
        raise ValidationError(
            _("Predikat tahunan menunggu kalibrasi tim penilai; belum dapat ditandatangani.")
        )
    workdays = evaluation.year.workday_rules
    days = (
        workdays.deliver_days_by_superior
        if _rated_by_superior(evaluation)
        else workdays.deliver_days
    )
    audited_update(
        evaluation,
        "assessment.evaluation.sign",
        actor=actor,
        subject=evaluation.employee,
        changes={
            "status": Evaluation.Status.SIGNED,
            "signed_at": today,
            "deliver_due": selectors.working_days_after(evaluation.agency_id, today, days),
        },
    )
    return evaluation


@transaction.atomic
def evaluation_deliver(
    *, actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> Evaluation:
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    _require_signer(actor, evaluation)
    if evaluation.status != Evaluation.Status.SIGNED:
        raise ValidationError(_("Dokumen evaluasi harus ditandatangani sebelum disampaikan."))
    workdays = evaluation.year.workday_rules
    acknowledge_days = (
        workdays.acknowledge_days_by_superior
        if _rated_by_superior(evaluation)
        else workdays.acknowledge_days
    )
    audited_update(
        evaluation,
        "assessment.evaluation.deliver",
        actor=actor,
        subject=evaluation.employee,
        changes={
            "status": Evaluation.Status.DELIVERED,
            "delivered_at": today,
            "acknowledge_due": selectors.working_days_after(
                evaluation.agency_id, today, acknowledge_days
            ),
            "appeal_due": (
                None
                if evaluation.is_final_no_appeal
                else selectors.working_days_after(
                    evaluation.agency_id, today, workdays.appeal_file_days
                )
            ),
        },
    )
    text = _("Dokumen evaluasi %(l)s telah disampaikan kepada Anda.") % {
        "l": labels.evaluation_label(evaluation)
    }
    if evaluation.appeal_due:
        text += " " + _("Keberatan dapat diajukan sampai %(d)s.") % {
            "d": evaluation.appeal_due.strftime("%d-%m-%Y")
        }
    notify(evaluation, text)
    tell(
        evaluation.employee,
        KIND_EVALUATION,
        text,
        reverse("assessment:evaluation", args=[evaluation.pk]),
        evaluation.agency_id,
    )
    return evaluation


@transaction.atomic
def evaluation_acknowledge(
    *, actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> Evaluation:
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat menerima dokumen ini."))
    if evaluation.status != Evaluation.Status.DELIVERED:
        raise ValidationError(_("Dokumen evaluasi belum disampaikan kepada Anda."))
    audited_update(
        evaluation,
        "assessment.evaluation.acknowledge",
        actor=actor,
        subject=evaluation.employee,
        changes={"status": Evaluation.Status.ACKNOWLEDGED, "acknowledged_at": today},
    )
    return evaluation


@transaction.atomic
def evaluation_report(
    *, actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> Evaluation:
    """Reported to the HR office (PyB): after acknowledgement, an appeal decision,
    or once the appeal window has passed."""
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    require_admin(actor, evaluation.agency_id)
    reportable = evaluation.status in (
        Evaluation.Status.ACKNOWLEDGED,
        Evaluation.Status.DECIDED,
    ) or (
        evaluation.status == Evaluation.Status.DELIVERED
        and (evaluation.appeal_due is None or today > evaluation.appeal_due)
    )
    if not reportable:
        raise ValidationError(
            _("Evaluasi belum dapat dilaporkan: menunggu penerimaan pegawai atau keberatan.")
        )
    audited_update(
        evaluation,
        "assessment.evaluation.report",
        actor=actor,
        subject=evaluation.employee,
        changes={"status": Evaluation.Status.REPORTED, "reported_at": today},
    )
    return evaluation
