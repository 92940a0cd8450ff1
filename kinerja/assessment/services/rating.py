"""Rating: the evaluation of an SKP for a period or the year, the rater's
ratings, and finalising them into a predikat.

The SKP's rater rates within the evaluation window; after it, the rater's
superior rates and that result is final (no appeal). Mid-year move: the annual
evaluation belongs to the SKP in force at year end and rates the RHK of both
SKP (PermenPANRB 6/2022 lampiran Bab IV; docs/domain.md §4).
"""

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record
from kinerja.authz import actor_employee, is_admin
from kinerja.org.access import superior_of
from kinerja.org.models import Employee, User
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.rules import predikat as rules

from .. import labels, selectors
from ..models import (
    BehaviourAssessment,
    Evaluation,
    RatingChoice,
    RhkAssessment,
    SelfAssessment,
)
from ._shared import VALUES, RatingInput, check_rating, day_of, load_evaluation, notify

RatedRow = TypeVar("RatedRow", RhkAssessment, BehaviourAssessment)


def _skp_covers(skp: Skp, period: Period) -> bool:
    end = skp.valid_until or skp.year.end
    return skp.valid_from <= period.end and end >= period.start


@transaction.atomic
def evaluation_for(*, skp: Skp, period: Period | None = None) -> Evaluation:
    """The evaluation of `skp` for `period` (None: the annual one), created with
    its rows on first use. The annual evaluation is per employee and year and
    belongs to the SKP in force at year end; its RHK rows cover all the
    employee's SKP of the year (mid-year move: both parts)."""
    if period is not None and period.year_id != skp.year_id:
        raise ValidationError(_("Periode tidak termasuk tahun SKP ini."))
    if period is not None and not _skp_covers(skp, period):
        raise ValidationError(_("SKP ini tidak berlaku pada periode %(p)s.") % {"p": period})
    if period is None:
        # Whichever SKP's page opens it first, the annual evaluation belongs to
        # the SKP in force at year end (and so to that SKP's rater).
        skp = selectors.year_end_skp(skp.employee_id, skp.year_id) or skp
        existing = Evaluation.objects.filter(
            employee_id=skp.employee_id, year_id=skp.year_id, period__isnull=True
        )
    else:
        existing = Evaluation.objects.filter(skp=skp, period=period)
    evaluation = existing.first()
    if evaluation is None:
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction goes on
                evaluation = Evaluation.objects.create(
                    agency_id=skp.agency_id,
                    year_id=skp.year_id,
                    skp=skp,
                    period=period,
                    employee_id=skp.employee_id,
                    unit_id=skp.unit_id,
                    rater_id=skp.rater_id,
                    rater_unit_id=selectors.rater_unit_id(skp),
                )
        except IntegrityError:
            # Opened at the same moment by someone else (the rater and the
            # employee's self-assessment): theirs is the one.
            evaluation = existing.get()
    if period is None and not evaluation.is_locked and evaluation.skp_id != skp.pk:
        _move_to_year_end_skp(evaluation, skp)
    _ensure_rows(evaluation)
    return evaluation


def _move_to_year_end_skp(evaluation: Evaluation, skp: Skp) -> None:
    """An annual evaluation opened on an earlier SKP of a mid-year mover moves,
    before it is finalised, to the SKP in force at year end and its rater."""
    record(
        "assessment.evaluation.move_to_year_end_skp",
        agency=evaluation.agency,
        target=evaluation,
        subject=evaluation.employee,
        before={"skp": evaluation.skp_id, "rater": evaluation.rater_id},
        after={"skp": skp.pk, "rater": skp.rater_id},
    )
    evaluation.skp = skp
    evaluation.unit_id = skp.unit_id
    evaluation.rater_id = skp.rater_id
    evaluation.rater_unit_id = selectors.rater_unit_id(skp)
    evaluation.save(update_fields=["skp", "unit", "rater", "rater_unit", "updated_at"])


def _ensure_rows(evaluation: Evaluation) -> None:
    """One RhkAssessment per RHK and one BehaviourAssessment per core value."""
    if evaluation.is_locked:
        return
    # ignore_conflicts: rows added at the same moment by another opening stay theirs.
    have = set(evaluation.rhk_rows.values_list("rhk_id", flat=True))
    RhkAssessment.objects.bulk_create(
        [
            RhkAssessment(agency_id=evaluation.agency_id, evaluation=evaluation, rhk_id=pk)
            for pk in selectors.rhk_ids_for(evaluation)
            if pk not in have
        ],
        ignore_conflicts=True,
    )
    values = set(evaluation.behaviour_rows.values_list("value", flat=True))
    BehaviourAssessment.objects.bulk_create(
        [
            BehaviourAssessment(agency_id=evaluation.agency_id, evaluation=evaluation, value=v)
            for v in VALUES
            if v not in values
        ],
        ignore_conflicts=True,
    )


def check_can_rate(
    actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> tuple[Employee | None, bool]:
    """Return (rater employee, by_superior) or raise with the reason: who may
    not rate is refused (PermissionDenied), a closed window or a locked
    evaluation is a rule (ValidationError)."""
    today = day_of(today)
    me = actor_employee(actor)
    if actor is None or actor.agency_id != evaluation.agency_id:
        raise PermissionDenied(_("Data berasal dari instansi lain."))
    if me is not None and me.pk == evaluation.employee_id:
        raise PermissionDenied(_("Anda tidak dapat menilai diri sendiri."))
    if evaluation.is_locked:
        raise ValidationError(
            _("Evaluasi sudah difinalkan; perubahan hanya melalui kalibrasi atau keberatan.")
        )
    if evaluation.year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup; evaluasi tidak dapat diubah."))
    if evaluation.skp.status not in (Skp.Status.DISETUJUI, Skp.Status.DITUTUP):
        raise ValidationError(_("SKP pegawai belum ditetapkan; evaluasi belum dapat dilakukan."))
    start, end = selectors.window(evaluation)
    if today < start:
        raise ValidationError(
            _("Periode %(p)s belum berakhir; penilaian dapat dilakukan mulai %(d)s.")
            % {"p": labels.evaluation_label(evaluation), "d": start.strftime("%d-%m-%Y")}
        )
    if evaluation.rater is None:
        # Top of the tree (JPT evaluated by the kepala daerah): admin BKD records it.
        if is_admin(actor, evaluation.agency_id):
            return me, False
        raise PermissionDenied(_("Anda bukan pejabat penilai pegawai ini."))
    if me is not None and me.pk == evaluation.rater_id:
        if today > end:
            raise ValidationError(
                _(
                    "Batas waktu penilaian oleh pejabat penilai (%(d)s) telah lewat; penilaian "
                    "dilakukan oleh atasan pejabat penilai."
                )
                % {"d": end.strftime("%d-%m-%Y")}
            )
        return me, False
    if me is not None:
        rater_superior = superior_of(evaluation.rater, on=today)
        if rater_superior is not None and rater_superior.pk == me.pk:
            if today > end:
                return me, True
            raise ValidationError(
                _(
                    "Atasan pejabat penilai hanya menilai bila pejabat penilai melewati batas "
                    "waktu (%(d)s)."
                )
                % {"d": end.strftime("%d-%m-%Y")}
            )
    raise PermissionDenied(_("Anda bukan pejabat penilai pegawai ini."))


def _apply_ratings(
    rows: Mapping[int, RatedRow],
    ratings: Mapping[int | str, RatingInput],
    *,
    unknown: str,
    what: str,
) -> list[RatedRow]:
    """Set the rating and feedback of the rows named in `ratings` (by RHK id or
    core value); the changed rows."""
    changed = []
    for key, data in ratings.items():
        row = rows.get(int(key))
        if row is None:
            raise ValidationError(unknown)
        rating = data.get("rating") or ""
        if rating:
            check_rating(rating, what)
        row.rating = rating
        row.feedback = (data.get("feedback") or "").strip()
        changed.append(row)
    return changed


@transaction.atomic
def evaluation_rate(
    *,
    actor: User,
    evaluation: Evaluation,
    rhk: Mapping[int | str, RatingInput] | None = None,
    behaviour: Mapping[int | str, RatingInput] | None = None,
    hasil: str | None = None,
    hasil_differ_reason: str | None = None,
    hasil_feedback: str | None = None,
    perilaku: str | None = None,
    perilaku_feedback: str | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> Evaluation:
    """Save the rater's ratings (a draft: partial input is kept). `rhk` maps RHK
    id → {"rating", "feedback"}; `behaviour` maps value 1..7 → {"rating", "feedback"}.
    None leaves a field as it is."""
    evaluation = load_evaluation(evaluation)
    rater, by_superior = check_can_rate(actor, evaluation, today)
    with audited(
        evaluation,
        "assessment.evaluation.rate",
        actor=actor,
        fields=["hasil", "perilaku", "hasil_differ_reason"],
        subject=evaluation.employee,
        note=_("oleh atasan pejabat penilai") if by_superior else "",
    ):
        rows = {r.rhk_id: r for r in evaluation.rhk_rows.select_related("rhk")}
        RhkAssessment.objects.bulk_update(
            _apply_ratings(
                rows,
                rhk or {},
                unknown=_("RHK tersebut tidak termasuk evaluasi ini."),
                what=_("RHK"),
            ),
            ["rating", "feedback"],
        )
        values = {b.value: b for b in evaluation.behaviour_rows.all()}
        BehaviourAssessment.objects.bulk_update(
            _apply_ratings(
                values,
                behaviour or {},
                unknown=_("Nilai perilaku tidak dikenal."),
                what=_("perilaku"),
            ),
            ["rating", "feedback"],
        )
        for name, rating in (("hasil", hasil), ("perilaku", perilaku)):
            if rating is not None:
                if rating:
                    check_rating(rating, name)
                setattr(evaluation, name, rating)
        for name, text in (
            ("hasil_differ_reason", hasil_differ_reason),
            ("hasil_feedback", hasil_feedback),
            ("perilaku_feedback", perilaku_feedback),
            ("notes", notes),
        ):
            if text is not None:
                setattr(evaluation, name, text.strip())
        proposed = selectors.proposal(evaluation, list(rows.values()))
        evaluation.hasil_proposed = proposed.rating
        evaluation.hasil_reasons = proposed.reasons
        evaluation.org_grade = selectors.org_grade_for(
            evaluation.rater_unit_id, evaluation.year, evaluation.period
        )
        evaluation.rated_by = rater
        evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_finalise(
    *, actor: User, evaluation: Evaluation, today: dt.date | None = None
) -> Evaluation:
    """Lock the evaluation: every RHK and core value rated, both overall ratings
    given, a written reason when differing from the proposal, the organisation
    grade known (step one). Periodic: the predikat is final at once; annual: it
    awaits calibration."""
    today = day_of(today)
    evaluation = load_evaluation(evaluation)
    rater, by_superior = check_can_rate(actor, evaluation, today)
    rows = list(evaluation.rhk_rows.select_related("rhk"))
    if not rows:
        raise ValidationError(_("SKP ini belum memiliki RHK; tidak ada yang dapat dinilai."))
    missing = sum(1 for r in rows if not r.rating)
    if missing:
        raise ValidationError(
            _("Semua RHK harus dinilai sebelum difinalkan (%(n)s belum dinilai).") % {"n": missing}
        )
    missing = evaluation.behaviour_rows.filter(rating="").count()
    if missing:
        raise ValidationError(
            _("Semua nilai perilaku kerja harus dinilai (%(n)s belum dinilai).") % {"n": missing}
        )
    if not evaluation.hasil or not evaluation.perilaku:
        raise ValidationError(_("Rating hasil kerja dan rating perilaku kerja wajib diisi."))
    org_grade = selectors.org_grade_for(
        evaluation.rater_unit_id, evaluation.year, evaluation.period
    )
    if not org_grade:
        raise ValidationError(
            _(
                "Predikat kinerja organisasi unit pejabat penilai belum diisi admin BKD; "
                "evaluasi belum dapat difinalkan."
            )
        )
    settings = selectors.settings_for(evaluation.agency_id)
    proposed = selectors.proposal(evaluation, rows, settings=settings)
    if (
        proposed.rating
        and evaluation.hasil != proposed.rating
        and not evaluation.hasil_differ_reason.strip()
    ):
        raise ValidationError(
            _("Rating hasil kerja berbeda dari usulan (%(p)s); tuliskan alasan perbedaannya.")
            % {"p": RatingChoice(proposed.rating).label}
        )
    if (
        settings.self_assessment_required
        and not SelfAssessment.objects.filter(
            evaluation=evaluation, submitted_at__isnull=False
        ).exists()
    ):
        raise ValidationError(_("Penilaian diri pegawai wajib diisi sebelum evaluasi difinalkan."))
    with audited(
        evaluation,
        "assessment.evaluation.finalise",
        actor=actor,
        fields=["status", "hasil", "perilaku", "predikat", "predikat_final", "org_grade"],
        subject=evaluation.employee,
    ):
        evaluation.org_grade = org_grade
        evaluation.hasil_proposed = proposed.rating
        evaluation.hasil_reasons = proposed.reasons
        evaluation.predikat = rules.predikat(
            rules.Rating(evaluation.hasil), rules.Rating(evaluation.perilaku)
        ).value
        # Periodic: final at once; annual: awaits calibration.
        evaluation.predikat_final = "" if evaluation.is_annual else evaluation.predikat
        evaluation.published = not evaluation.is_annual
        evaluation.status = Evaluation.Status.FINALISED
        evaluation.rated_by = rater
        evaluation.finalised_at = timezone.now()
        if by_superior:
            evaluation.is_final_no_appeal = True
            evaluation.final_reason = Evaluation.FINAL_BY_SUPERIOR
        elif evaluation.skp.form == "jpt" and evaluation.rater_id is None:
            evaluation.is_final_no_appeal = True
            evaluation.final_reason = Evaluation.FINAL_JPT
        end = evaluation.period.end if evaluation.period is not None else evaluation.year.end
        evaluation.report_due = selectors.working_days_after(
            evaluation.agency_id, end, evaluation.year.workday_rules.report_days
        )
        evaluation.save()
    notify(
        evaluation,
        _("Evaluasi %(l)s Anda telah difinalkan.") % {"l": labels.evaluation_label(evaluation)},
    )
    return evaluation
