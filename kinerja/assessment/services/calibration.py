"""Calibration of each unit's annual predikat by the tim penilai kinerja (or
admin BKD), against the agency's distribution policy (docs/domain.md §4,
step 2). Units too small are calibrated with their parent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record, record
from kinerja.authz import require_forum
from kinerja.org.models import OrgUnit, User
from kinerja.planning.models import PerformanceYear

from .. import labels, selectors
from ..models import (
    AssessmentSettings,
    Calibration,
    CalibrationChange,
    Evaluation,
    Notice,
    PredikatChoice,
)


@transaction.atomic
def calibration_open(*, actor: User, year: PerformanceYear, unit: OrgUnit) -> Calibration:
    """Open (or return the open) calibration of `unit` for the annual predikat.
    A unit too small is calibrated with its parent: the message says which. Once a round
    has closed, opening again starts a follow-up round over only the pool's evaluations
    that no round decided (finalised or created later), with the same organisation grade
    and pool; with none waiting, the closed round is returned."""
    require_forum(actor, year.agency_id)
    if unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    settings = selectors.settings_for(year.agency_id)
    pooled = selectors.calibration_pools(year.agency_id, year, settings.min_unit_size)
    latest = pooled.latest.get(unit.pk)
    if latest is not None and latest.status == Calibration.Status.OPEN:
        return latest
    home = pooled.pool_of.get(unit.pk)
    if home is not None and home != unit.pk:
        target = OrgUnit.objects.get(pk=home)
        if unit.pk in pooled.grouped.merged_into:
            raise ValidationError(
                _(
                    "Unit %(u)s terlalu kecil (kurang dari %(n)s pegawai); dikalibrasi bersama "
                    "unit %(p)s."
                )
                % {"u": unit.name, "n": settings.min_unit_size, "p": target.name}
            )
        raise ValidationError(
            _(
                "Unit %(u)s sudah dikalibrasi bersama unit %(p)s tahun ini; evaluasinya "
                "dikalibrasi pada putaran lanjutan kalibrasi unit %(p)s."
            )
            % {"u": unit.name, "p": target.name}
        )
    if home is None:
        raise ValidationError(_("Unit %(u)s tidak memiliki evaluasi tahunan.") % {"u": unit.name})
    calibration = Calibration(
        agency_id=year.agency_id,
        year=year,
        unit=unit,
        member_unit_ids=pooled.pools[unit.pk],
        org_grade=selectors.org_grade_for(unit.pk, year),
        opened_by=actor,
    )
    if latest is not None:
        calibration.round = latest.round + 1
        calibration.org_grade = latest.org_grade or calibration.org_grade
    waiting = selectors.calibration_evaluations(calibration)
    if latest is not None and not waiting.exists():
        return latest
    calibration.before = {
        str(pk): proposed or final
        for pk, proposed, final in waiting.values_list("pk", "predikat", "predikat_final")
    }
    calibration.save()
    record(
        "assessment.calibration.open",
        actor=actor,
        target=calibration,
        after={"members": calibration.member_unit_ids, "round": calibration.round},
    )
    return calibration


@transaction.atomic
def calibration_change(
    *, actor: User, calibration: Calibration, evaluation: Evaluation, predikat: str, reason: str
) -> CalibrationChange:
    """Change one employee's annual predikat in an open calibration, with a reason."""
    require_forum(actor, calibration.agency_id)
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError(_("Kalibrasi sudah ditutup; predikat tidak dapat diubah lagi."))
    stored = Evaluation.objects.filter(pk=evaluation.pk).first()
    if (
        stored is None
        or stored.period_id is not None
        or stored.year_id != calibration.year_id
        or stored.unit_id not in calibration.member_unit_ids
    ):
        raise ValidationError(_("Evaluasi ini tidak termasuk kalibrasi unit ini."))
    if stored.calibrated_in_id is not None:
        decided = Calibration.objects.get(pk=stored.calibrated_in_id)
        raise ValidationError(
            _(
                "Predikat pegawai ini sudah ditetapkan pada kalibrasi putaran %(r)s; tidak "
                "dapat diubah lagi."
            )
            % {"r": decided.round}
        )
    if not stored.predikat:
        raise ValidationError(_("Pegawai ini belum memiliki predikat tahunan."))
    if predikat not in PredikatChoice.values:
        raise ValidationError(_("Predikat tidak dikenal."))
    if not (reason or "").strip():
        raise ValidationError(_("Alasan perubahan predikat wajib diisi."))
    before = selectors.current_predikat(stored)
    if predikat == before:
        raise ValidationError(_("Predikat baru sama dengan predikat saat ini."))
    stored.predikat_final = predikat
    stored.save(update_fields=["predikat_final", "updated_at"])
    change = CalibrationChange.objects.create(
        agency_id=calibration.agency_id,
        calibration=calibration,
        evaluation=stored,
        before=before,
        after=predikat,
        reason=reason.strip(),
        by=actor,
    )
    record(
        "assessment.calibration.change",
        actor=actor,
        agency=calibration.agency,
        target=stored,
        subject=stored.employee,
        before={"predikat": before},
        after={"predikat": predikat},
        note=reason.strip(),
    )
    return change


@transaction.atomic
def calibration_close(
    *, actor: User, calibration: Calibration, override_reason: str = ""
) -> Calibration:
    """Close: refused while quotas (over the whole pool, every round) are broken, unless
    the agency's policy is advisory and a written override reason is recorded. The
    employees this round decides see their final predikat afterwards."""
    require_forum(actor, calibration.agency_id)
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError(_("Kalibrasi sudah ditutup."))
    if not calibration.org_grade:
        calibration.org_grade = selectors.org_grade_for(calibration.unit_id, calibration.year)
    if not calibration.org_grade:
        raise ValidationError(
            _("Predikat kinerja organisasi unit ini belum diisi; kalibrasi belum dapat ditutup.")
        )
    changed = selectors.calibration_grade_changes(calibration)
    if changed.any:
        raise ValidationError(
            _(
                "Predikat kinerja organisasi berubah setelah usulan dibuat (%(n)s usulan "
                "terdampak); tinjau perbedaannya dan terapkan ulang sebelum menutup kalibrasi."
            )
            % {"n": len(changed.rows)}
        )
    evaluations = selectors.calibration_evaluations(calibration)
    if not evaluations.exclude(predikat="").exists():
        raise ValidationError(
            _(
                "Belum ada pegawai yang memiliki predikat tahunan dalam kalibrasi ini; "
                "kalibrasi tidak dapat ditutup kosong. Finalkan evaluasi tahunan lebih dulu."
            )
        )
    pending = evaluations.filter(predikat="").count()
    if pending:
        raise ValidationError(
            _("%(n)s pegawai belum memiliki predikat tahunan; kalibrasi belum dapat ditutup.")
            % {"n": pending}
        )
    found = selectors.violations(calibration, selectors.predikat_counts(calibration))
    override_reason = (override_reason or "").strip()
    if found:
        texts = " ".join(labels.violation_text(v) for v in found)
        settings = selectors.settings_for(calibration.agency_id)
        if settings.quota_enforcement == AssessmentSettings.Enforcement.STRICT:
            raise ValidationError(
                _("Kuota distribusi masih dilanggar; kalibrasi tidak dapat ditutup. %(v)s")
                % {"v": texts}
            )
        if not override_reason:
            raise ValidationError(
                _(
                    "Kuota distribusi masih dilanggar: %(v)s Tuliskan alasan untuk menutup "
                    "kalibrasi tanpa memenuhi kuota."
                )
                % {"v": texts}
            )
    # Claim this round's rows in one statement, then work on what it claimed: a row
    # finalised meanwhile waits for the next round instead of slipping in unchecked.
    evaluations.exclude(predikat="").update(calibrated_in=calibration)
    evaluations = selectors.pool_evaluations(calibration).filter(calibrated_in=calibration)
    evaluations.filter(predikat_final="").update(predikat_final=F("predikat"))
    evaluations.update(published=True)
    calibration.after = {str(pk): f for pk, f in evaluations.values_list("pk", "predikat_final")}
    calibration.violations_at_close = [labels.violation_text(v) for v in found]
    calibration.override_reason = override_reason if found else ""
    calibration.status = Calibration.Status.CLOSED
    calibration.closed_by = actor
    calibration.closed_at = timezone.now()
    calibration.save()
    record(
        "assessment.calibration.close",
        actor=actor,
        target=calibration,
        after={"violations": calibration.violations_at_close},
        note=calibration.override_reason,
    )
    Notice.objects.bulk_create(
        [
            Notice(
                agency_id=calibration.agency_id,
                employee_id=employee_id,
                evaluation_id=pk,
                text=_("Predikat tahunan %(y)s Anda telah ditetapkan setelah kalibrasi.")
                % {"y": calibration.year.year},
            )
            for pk, employee_id in evaluations.values_list("pk", "employee_id")
        ]
    )
    return calibration


@transaction.atomic
def calibration_reapply_grades(*, actor: User, calibration: Calibration) -> int:
    """The organisation grade changed while the calibration is open: every affected proposal
    takes the grade that holds now (and a unit head who got the grade's rating, the rating and
    predikat the new grade gives), and the calibration its unit's grade for the quotas. A
    predikat the tim penilai already changed in this calibration stays as they decided.
    Set-based; each evaluation's change is audited on the employee's record. Returns the
    number of evaluations updated."""
    require_forum(actor, calibration.agency_id)
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError(_("Kalibrasi sudah ditutup."))
    changed = selectors.calibration_grade_changes(calibration)
    if not changed.any:
        raise ValidationError(
            _("Tidak ada perubahan predikat kinerja organisasi yang perlu diterapkan ulang.")
        )
    by_pk = {row.pk: row for row in changed.rows}
    evaluations = list(
        Evaluation.objects.select_for_update().filter(pk__in=list(by_pk)).order_by("pk")
    )
    now = timezone.now()
    label = actor.get_username()[:200]
    events = []
    for evaluation in evaluations:
        row = by_pk[evaluation.pk]
        before = {
            "org_grade": evaluation.org_grade,
            "hasil": evaluation.hasil,
            "predikat": evaluation.predikat,
        }
        if row.hasil_after != evaluation.hasil:
            evaluation.hasil = evaluation.hasil_proposed = row.hasil_after
        evaluation.org_grade = row.grade_after
        evaluation.predikat = row.predikat_after
        evaluation.updated_at = now
        events.append(
            AuditEvent(
                agency_id=calibration.agency_id,
                actor=actor,
                actor_label=label,
                action="assessment.calibration.reapply_grade",
                target_type="assessment.evaluation",
                target_id=str(evaluation.pk),
                target_label=str(evaluation)[:300],
                subject_id=evaluation.employee_id,
                before=before,
                after={
                    "org_grade": evaluation.org_grade,
                    "hasil": evaluation.hasil,
                    "predikat": evaluation.predikat,
                },
            )
        )
    Evaluation.objects.bulk_update(
        evaluations,
        ["org_grade", "hasil", "hasil_proposed", "predikat", "updated_at"],
        batch_size=500,
    )
    bulk_record(events)
    old_grade = calibration.org_grade
    if changed.unit_changed:
        calibration.org_grade = changed.grade_after
        calibration.save(update_fields=["org_grade"])
    record(
        "assessment.calibration.reapply_grades",
        actor=actor,
        target=calibration,
        before={"org_grade": old_grade},
        after={"org_grade": calibration.org_grade, "evaluations": len(evaluations)},
    )
    return len(evaluations)
