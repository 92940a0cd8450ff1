"""Corrections and withdrawals of follow-up records (awards, sanctions, development plans,
mentor pairings, credit points) by the people allowed to, always with a reason, and never a
deletion: a withdrawn record stays, with who withdrew it, when and why; a correction is in
the audit trail with what it was and why it changed. An award whose evaluation is under
appeal waits for the decision (docs/domain.md §6)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_admin
from kinerja.org.access import compute_access
from kinerja.org.models import Employee, User
from kinerja.rules.angka_kredit import credit_points as ak_credit_points
from kinerja.rules.predikat import Predikat

from .. import selectors
from ..labels import PREDIKAT_LABELS
from ..models import Award, CreditPoints, DevelopmentPlan, MentorPairing, Sanction, Withdrawable
from .credit_points import _months

WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_by", "withdrawn_reason"]


def _reason(reason: str, *, withdrawing: bool) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Alasan penarikan wajib diisi.") if withdrawing else _("Alasan koreksi wajib diisi.")
        )
    return reason


def _check_not_withdrawn(row: Withdrawable) -> None:
    row.refresh_from_db(fields=WITHDRAWAL_FIELDS)
    if row.withdrawn_at is not None:
        raise ValidationError(
            _("Catatan ini sudah ditarik pada %(d)s dan tidak dapat diubah lagi.")
            % {"d": timezone.localtime(row.withdrawn_at).strftime("%d-%m-%Y")}
        )


def _check_award_not_under_appeal(award: Award) -> None:
    evaluation = award.evaluation
    if evaluation is not None and selectors.appeal_pending(evaluation):
        raise ValidationError(
            _(
                "Evaluasi yang menjadi dasar penghargaan ini sedang dalam proses keberatan. "
                "Penghargaan baru dapat dikoreksi atau ditarik setelah keberatan diputus."
            )
        )


def _check_end(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))


def _require_manager(actor: User, employee: Employee, message: str) -> None:
    if not selectors.can_manage(compute_access(actor), employee):
        raise PermissionDenied(message)


@transaction.atomic
def _correct(
    row: Withdrawable,
    *,
    action: str,
    actor: User,
    reason: str,
    employee: Employee,
    changes: Mapping[str, Any],
) -> None:
    """Set `changes` on a record still in force, recorded with the reason."""
    with audited(
        row,
        action,
        actor=actor,
        agency=employee.agency,
        subject=employee,
        fields=list(changes),
        note=reason,
    ):
        for name, value in changes.items():
            setattr(row, name, value)
        row.save()


@transaction.atomic
def _withdraw(
    row: Withdrawable, *, action: str, actor: User, reason: str, employee: Employee
) -> None:
    """Mark a record withdrawn (kept, struck through), recorded with the reason."""
    with audited(
        row,
        action,
        actor=actor,
        agency=employee.agency,
        subject=employee,
        fields=WITHDRAWAL_FIELDS,
        note=reason,
    ):
        row.withdrawn_at = timezone.now()
        row.withdrawn_by = actor
        row.withdrawn_reason = reason
        row.save(update_fields=WITHDRAWAL_FIELDS)


# --- awards ----------------------------------------------------------------------------------


def award_correct(
    *, actor: User, award: Award, reason: str, kind: str, basis: str, date: dt.date
) -> Award:
    """Admin BKD corrects an award's kind, basis or date, with a reason."""
    require_admin(actor, award.agency_id)
    _check_not_withdrawn(award)
    _check_award_not_under_appeal(award)
    reason = _reason(reason, withdrawing=False)
    if kind not in Award.Kind.values:
        raise ValidationError(_("Jenis penghargaan tidak dikenal."))
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError(_("Dasar pemberian penghargaan wajib diisi."))
    if not isinstance(date, dt.date):
        raise ValidationError(_("Tanggal tidak valid."))
    _correct(
        award,
        action="followup.award.correct",
        actor=actor,
        reason=reason,
        employee=award.employee,
        changes={"kind": kind, "basis": basis, "date": date},
    )
    return award


def award_withdraw(*, actor: User, award: Award, reason: str) -> Award:
    """Admin BKD withdraws an award recorded in error (it stays, struck through)."""
    require_admin(actor, award.agency_id)
    _check_not_withdrawn(award)
    _check_award_not_under_appeal(award)
    reason = _reason(reason, withdrawing=True)
    _withdraw(
        award, action="followup.award.withdraw", actor=actor, reason=reason, employee=award.employee
    )
    return award


# --- sanctions -------------------------------------------------------------------------------


def sanction_correct(
    *,
    actor: User,
    sanction: Sanction,
    reason: str,
    kind: str,
    legal_basis: str,
    start: dt.date,
    end: dt.date | None = None,
    note: str = "",
) -> Sanction:
    """Admin BKD corrects a sanction's kind, legal basis, dates or note, with a reason."""
    require_admin(actor, sanction.agency_id)
    _check_not_withdrawn(sanction)
    reason = _reason(reason, withdrawing=False)
    if kind not in Sanction.Kind.values:
        raise ValidationError(_("Jenis sanksi tidak dikenal."))
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError(
            _("Dasar hukum sanksi wajib diisi (mis. PP 30/2019 Pasal 56-58, PP 94/2021).")
        )
    _check_end(start, end)
    _correct(
        sanction,
        action="followup.sanction.correct",
        actor=actor,
        reason=reason,
        employee=sanction.employee,
        changes={
            "kind": kind,
            "legal_basis": legal_basis,
            "start": start,
            "end": end,
            "note": (note or "").strip(),
        },
    )
    return sanction


def sanction_withdraw(*, actor: User, sanction: Sanction, reason: str) -> Sanction:
    """Admin BKD withdraws a sanction recorded in error (it stays, struck through)."""
    require_admin(actor, sanction.agency_id)
    _check_not_withdrawn(sanction)
    reason = _reason(reason, withdrawing=True)
    _withdraw(
        sanction,
        action="followup.sanction.withdraw",
        actor=actor,
        reason=reason,
        employee=sanction.employee,
    )
    return sanction


# --- mentor pairings and development plans ---------------------------------------------------


def mentor_pairing_correct(
    *,
    actor: User,
    pairing: MentorPairing,
    reason: str,
    goals: str,
    start: dt.date,
    notes: str = "",
    end: dt.date | None = None,
) -> MentorPairing:
    """Those who manage the mentee correct a pairing's goals, notes or dates, with a reason."""
    _require_manager(
        actor, pairing.mentee, _("Anda tidak dapat mengubah pendampingan pegawai ini.")
    )
    _check_not_withdrawn(pairing)
    reason = _reason(reason, withdrawing=False)
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError(_("Sasaran pendampingan wajib diisi."))
    _check_end(start, end)
    _correct(
        pairing,
        action="followup.mentor.correct",
        actor=actor,
        reason=reason,
        employee=pairing.mentee,
        changes={"goals": goals, "notes": (notes or "").strip(), "start": start, "end": end},
    )
    return pairing


def mentor_pairing_withdraw(*, actor: User, pairing: MentorPairing, reason: str) -> MentorPairing:
    """Those who manage the mentee withdraw a pairing made in error."""
    _require_manager(
        actor, pairing.mentee, _("Anda tidak dapat mengubah pendampingan pegawai ini.")
    )
    _check_not_withdrawn(pairing)
    reason = _reason(reason, withdrawing=True)
    _withdraw(
        pairing,
        action="followup.mentor.withdraw",
        actor=actor,
        reason=reason,
        employee=pairing.mentee,
    )
    return pairing


def development_plan_withdraw(
    *, actor: User, plan: DevelopmentPlan, reason: str
) -> DevelopmentPlan:
    """Those who manage the employee withdraw a development plan made in error (saving the
    plan of that year again puts it back in force)."""
    _require_manager(
        actor, plan.employee, _("Anda tidak dapat menyusun rencana pengembangan pegawai ini.")
    )
    _check_not_withdrawn(plan)
    reason = _reason(reason, withdrawing=True)
    _withdraw(
        plan, action="followup.devplan.withdraw", actor=actor, reason=reason, employee=plan.employee
    )
    return plan


# --- credit points ---------------------------------------------------------------------------


def credit_points_correct(
    *, actor: User, row: CreditPoints, reason: str, months: int | str, predikat: str
) -> CreditPoints:
    """Admin BKD corrects the months or the predikat of a year's credit points, with a
    reason; the points are computed again for the row's jenjang."""
    require_admin(actor, row.agency_id)
    _check_not_withdrawn(row)
    reason = _reason(reason, withdrawing=False)
    if predikat not in PREDIKAT_LABELS:
        raise ValidationError(_("Predikat tidak dikenal."))
    months = _months(months)
    used = sum(
        CreditPoints.objects.filter(
            employee_id=row.employee_id, year=row.year, withdrawn_at__isnull=True
        )
        .exclude(pk=row.pk)
        .values_list("months", flat=True)
    )
    if used + months > 12:
        raise ValidationError(
            _("Jumlah bulan dalam tahun %(year)s melebihi 12 (sudah tercatat %(used)s bulan).")
            % {"year": row.year, "used": used}
        )
    _correct(
        row,
        action="followup.credit_points.correct",
        actor=actor,
        reason=reason,
        employee=row.employee,
        changes={
            "months": months,
            "predikat": predikat,
            "points": ak_credit_points(Predikat(predikat), row.jenjang, months),
        },
    )
    return row


def credit_points_withdraw(*, actor: User, row: CreditPoints, reason: str) -> CreditPoints:
    """Admin BKD withdraws a year's credit points recorded in error (recording the year
    again puts a value back in force)."""
    require_admin(actor, row.agency_id)
    _check_not_withdrawn(row)
    reason = _reason(reason, withdrawing=True)
    _withdraw(
        row,
        action="followup.credit_points.withdraw",
        actor=actor,
        reason=reason,
        employee=row.employee,
    )
    return row
