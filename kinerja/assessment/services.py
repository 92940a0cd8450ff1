"""Write operations of penilaian kinerja: one keyword-only function per action,
called by the pages, the API and the jobs alike. Each validates, saves inside a
transaction and records itself in the audit trail. Errors are `ValidationError`s
with an Indonesian message, and nothing is changed.

Every rule and number comes from kinerja.rules (the predikat matrix, the
proposal of the rating hasil kerja, the distribution quotas, working days);
this module only wires them to the data and the people.

Who may do what (PermenPANRB 6/2022 lampiran Bab IV-V, domain.md sections 1, 4, 5):
- the SKP's rater rates within the evaluation window; after it, the rater's
  superior rates and that result is final (no appeal);
- the rater (or whoever rated) finalises, signs and delivers; the employee
  acknowledges or appeals within 14 working days of delivery;
- the rater's superior decides the appeal within 7 working days; lapses are
  flagged and escalated to admin BKD;
- the tim penilai kinerja (or admin BKD) calibrates each unit's annual predikat.

Mid-year move (documented rule): an employee with two SKP in the year has a
periodic evaluation per SKP and period (each by that SKP's rater); the annual
evaluation belongs to the SKP in force at year end, lists the RHK of both
SKP (both parts, with the earlier rater's periodic results shown beside them),
and the rater at year end decides it.
"""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, snapshot
from kinerja.org.access import superior_of
from kinerja.org.models import OrgUnit, RoleGrant
from kinerja.planning.models import PerformanceYear, Period, Rhk, Skp
from kinerja.planning.services import actor_employee
from kinerja.rules import distribution
from kinerja.rules import predikat as rules
from kinerja.rules.workdays import add_working_days, national_holidays

from .models import (
    AgencyDayOff,
    Appeal,
    AssessmentSettings,
    BehaviourAssessment,
    Calibration,
    CalibrationChange,
    DistributionRule,
    Evaluation,
    EvaluationDocument,
    Notice,
    OrgGradeChoice,
    OrgPerformance,
    PeerInput,
    PredikatChoice,
    RatingChoice,
    RhkAssessment,
    SelfAssessment,
    SelfAssessmentItem,
)

# Working-day deadlines of the lampiran (domain.md section 1): kept in one place.
DELIVER_DAYS = 14
DELIVER_DAYS_BY_SUPERIOR = 7
ACKNOWLEDGE_DAYS = 14
ACKNOWLEDGE_DAYS_BY_SUPERIOR = 7
REPORT_DAYS = 30
APPEAL_FILE_DAYS = 14
APPEAL_DECIDE_DAYS = 7
VALUES = range(1, 8)
REASON_UNIT_HEAD = "unit_head"

FINAL_BY_SUPERIOR = "rated_by_superior"
FINAL_JPT = "jpt_by_kepala_daerah"


# --- helpers -----------------------------------------------------------------


def _today(today):
    return today or timezone.localdate()


def _audit(action, actor, obj, evaluation=None, *, before=None, after=None, note=""):
    record(
        action,
        actor=actor,
        agency=obj.agency,
        target=obj,
        subject=evaluation.employee if evaluation is not None else None,
        before=before,
        after=after,
        note=note,
    )


def _notify(evaluation, text, employee=None):
    Notice.objects.create(
        agency_id=evaluation.agency_id,
        employee_id=(employee.pk if employee else evaluation.employee_id),
        evaluation=evaluation,
        text=text[:300],
    )


def _is_admin(actor, agency_id):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return (
        actor.agency_id == agency_id
        and RoleGrant.objects.filter(
            user=actor, agency_id=agency_id, role=RoleGrant.Role.ADMIN_BKD
        ).exists()
    )


def _is_forum(actor, agency_id):
    """Tim penilai kinerja of the agency (admin BKD acts for it too)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return (
        actor.agency_id == agency_id
        and RoleGrant.objects.filter(
            user=actor,
            agency_id=agency_id,
            role__in=[RoleGrant.Role.TIM_PENILAI, RoleGrant.Role.ADMIN_BKD],
        ).exists()
    )


def _require_admin(actor, agency_id):
    if not _is_admin(actor, agency_id):
        raise ValidationError(_("Hanya admin BKD yang dapat melakukan ini."))


def _require_forum(actor, agency_id):
    if not _is_forum(actor, agency_id):
        raise ValidationError(_("Hanya tim penilai kinerja instansi ini yang dapat melakukan ini."))


def settings_for(agency_id):
    obj, _created = AssessmentSettings.objects.get_or_create(agency_id=agency_id)
    return obj


def days_off(agency_id, years):
    """National holidays of `years` plus the agency's own days off."""
    years = sorted(set(years))
    off = national_holidays(years)
    off |= set(
        AgencyDayOff.objects.filter(agency_id=agency_id, date__year__in=years).values_list(
            "date", flat=True
        )
    )
    return off


def add_days(agency_id, start, n):
    return add_working_days(start, n, days_off(agency_id, [start.year, start.year + 1]))


def policy_for(agency_id):
    """The agency's distribution policy as QuotaRule rows, seeded from the
    defaults of domain.md on first use."""
    rows = list(DistributionRule.objects.filter(agency_id=agency_id).order_by("order", "pk"))
    if not rows:
        rows = DistributionRule.objects.bulk_create(
            [
                DistributionRule(
                    agency_id=agency_id,
                    org_grade=r.org_grade.value,
                    predikat=sorted(p.value for p in r.predikat),
                    min_pct=_pct(r.min_pct),
                    max_pct=_pct(r.max_pct),
                    at_least_one=r.at_least_one,
                    order=i,
                )
                for i, r in enumerate(distribution.DEFAULT_POLICY)
            ]
        )
    return [rule_of(r) for r in rows]


def _pct(value):
    return None if value is None else (Decimal(value.numerator) / Decimal(value.denominator))


def rule_of(row):
    return distribution.QuotaRule(
        row.org_grade,
        frozenset(row.predikat),
        Fraction(row.min_pct) if row.min_pct is not None else None,
        Fraction(row.max_pct) if row.max_pct is not None else None,
        row.at_least_one,
    )


def headed_unit_id(skp):
    """The unit the evaluated employee heads (by their SKP's position), or None."""
    position = skp.position
    return position.unit_id if position is not None and position.is_unit_head else None


def rater_unit_id(skp):
    """The unit led by the rater (step one uses its organisation grade)."""
    position = skp.rater_position
    if position is None:
        return skp.rater.unit_id if skp.rater_id else None
    return position.unit_id


def org_grade_for(unit_id, year, period=None):
    """Organisation grade of a unit: the period's, else the year's, else (annual
    grade late) the previous year's (domain.md section 1). "" when none."""
    if unit_id is None:
        return ""
    rows = list(
        OrgPerformance.objects.filter(unit_id=unit_id, period__isnull=True)
        .filter(Q(year=year) | Q(year__agency_id=year.agency_id, year__year=year.year - 1))
        .values_list("year_id", "grade")
    )
    if period is not None:
        own = OrgPerformance.objects.filter(unit_id=unit_id, period=period).first()
        if own is not None:
            return own.grade
    by_year = dict(rows)
    if year.pk in by_year:
        return by_year[year.pk]
    return next(iter(by_year.values()), "")


# --- evaluation windows -------------------------------------------------------


def window(evaluation):
    """(first day, last day) of the rater's evaluation window."""
    if evaluation.period_id is not None:
        return evaluation.period.window_start, evaluation.period.window_end
    year = evaluation.year
    last = Period.objects.filter(year=year).order_by("-number").first()
    start = last.window_start if last else year.end - dt.timedelta(days=6)
    return start, year.annual_deadline


def _skp_covers(skp, period):
    end = skp.valid_until or skp.year.end
    return skp.valid_from <= period.end and end >= period.start


@transaction.atomic
def evaluation_for(*, skp, period=None):
    """The evaluation of `skp` for `period` (None: the annual one), created with
    its rows on first use. The annual evaluation is per employee and year and
    belongs to the SKP in force at year end; its RHK rows cover all the
    employee's SKP of the year (mid-year move: both parts)."""
    if period is not None and period.year_id != skp.year_id:
        raise ValidationError(_("Periode tidak termasuk tahun SKP ini."))
    if period is not None and not _skp_covers(skp, period):
        raise ValidationError(_("SKP ini tidak berlaku pada periode %(p)s.") % {"p": period})
    if period is None:
        evaluation = Evaluation.objects.filter(
            employee_id=skp.employee_id, year_id=skp.year_id, period__isnull=True
        ).first()
    else:
        evaluation = Evaluation.objects.filter(skp=skp, period=period).first()
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            agency_id=skp.agency_id,
            year_id=skp.year_id,
            skp=skp,
            period=period,
            employee_id=skp.employee_id,
            unit_id=skp.unit_id,
            rater_id=skp.rater_id,
            rater_unit_id=rater_unit_id(skp),
        )
    ensure_rows(evaluation)
    return evaluation


def rhk_ids_for(evaluation):
    if evaluation.period_id is not None:
        qs = Rhk.objects.filter(skp_id=evaluation.skp_id)
    else:
        qs = Rhk.objects.filter(
            skp__employee_id=evaluation.employee_id, skp__year_id=evaluation.year_id
        )
    return list(qs.values_list("pk", flat=True))


def ensure_rows(evaluation):
    """One RhkAssessment per RHK and one BehaviourAssessment per core value."""
    if evaluation.is_locked:
        return
    have = set(evaluation.rhk_rows.values_list("rhk_id", flat=True))
    RhkAssessment.objects.bulk_create(
        [
            RhkAssessment(agency_id=evaluation.agency_id, evaluation=evaluation, rhk_id=pk)
            for pk in rhk_ids_for(evaluation)
            if pk not in have
        ]
    )
    values = set(evaluation.behaviour_rows.values_list("value", flat=True))
    BehaviourAssessment.objects.bulk_create(
        [
            BehaviourAssessment(agency_id=evaluation.agency_id, evaluation=evaluation, value=v)
            for v in VALUES
            if v not in values
        ]
    )


def _load(evaluation):
    """The stored state (callers may hold a stale instance)."""
    return Evaluation.objects.select_related(
        "year", "period", "skp", "skp__position", "skp__rater_position", "employee", "rater"
    ).get(pk=evaluation.pk)


def check_can_rate(actor, evaluation, today=None):
    """Return (rater employee, by_superior) or raise with the reason."""
    today = _today(today)
    me = actor_employee(actor)
    if actor is None or actor.agency_id != evaluation.agency_id:
        raise ValidationError(_("Data berasal dari instansi lain."))
    if me is not None and me.pk == evaluation.employee_id:
        raise ValidationError(_("Anda tidak dapat menilai diri sendiri."))
    if evaluation.is_locked:
        raise ValidationError(
            _("Evaluasi sudah difinalkan; perubahan hanya melalui kalibrasi atau keberatan.")
        )
    if evaluation.year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup; evaluasi tidak dapat diubah."))
    if evaluation.skp.status not in (Skp.Status.DISETUJUI, Skp.Status.DITUTUP):
        raise ValidationError(_("SKP pegawai belum ditetapkan; evaluasi belum dapat dilakukan."))
    start, end = window(evaluation)
    if today < start:
        raise ValidationError(
            _("Periode %(p)s belum berakhir; penilaian dapat dilakukan mulai %(d)s.")
            % {"p": _label(evaluation), "d": start.strftime("%d-%m-%Y")}
        )
    if evaluation.rater_id is None:
        # Top of the tree (JPT evaluated by the kepala daerah): admin BKD records it.
        if _is_admin(actor, evaluation.agency_id):
            return me, False
        raise ValidationError(_("Anda bukan pejabat penilai pegawai ini."))
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
    raise ValidationError(_("Anda bukan pejabat penilai pegawai ini."))


def _label(evaluation):
    if evaluation.period_id is not None:
        return f"{evaluation.period.label} {evaluation.year.year}"
    return _("tahunan %(y)s") % {"y": evaluation.year.year}


def proposal(evaluation, rows=None, *, settings=None):
    """The app's proposal for the rating hasil kerja: a unit head's follows their
    unit's grade; otherwise kinerja.rules.predikat.propose_hasil_kerja from the
    per-RHK ratings (None until every RHK is rated). Returns (rating, reasons, counts)."""
    settings = settings or settings_for(evaluation.agency_id)
    head_unit = headed_unit_id(evaluation.skp)
    if head_unit is not None:
        grade = org_grade_for(head_unit, evaluation.year, evaluation.period)
        if grade:
            return rules.unit_head_hasil_kerja(grade).value, [REASON_UNIT_HEAD], {"grade": grade}
    if rows is None:
        rows = list(evaluation.rhk_rows.select_related("rhk"))
    if not rows or any(not r.rating for r in rows):
        return "", [], {}
    result = rules.propose_hasil_kerja(
        [rules.RhkRating(r.rating, r.rhk.kind == Rhk.Kind.UTAMA) for r in rows],
        small_part=settings.small_part,
    )
    counts = {
        "total": result.total,
        "above": result.above,
        "meets": result.meets,
        "below": result.below,
        "utama_total": result.utama_total,
        "utama_below": result.utama_below,
    }
    return result.rating.value, list(result.reasons), counts


def _valid_rating(value, what):
    if value not in RatingChoice.values:
        raise ValidationError(_("Rating %(what)s tidak dikenal.") % {"what": what})


@transaction.atomic
def rate(
    *,
    actor,
    evaluation,
    rhk=None,
    behaviour=None,
    hasil=None,
    hasil_differ_reason=None,
    hasil_feedback=None,
    perilaku=None,
    perilaku_feedback=None,
    notes=None,
    today=None,
):
    """Save the rater's ratings (a draft: partial input is kept). `rhk` maps RHK
    id → {"rating", "feedback"}; `behaviour` maps value 1..7 → {"rating", "feedback"}."""
    evaluation = _load(evaluation)
    rater, by_superior = check_can_rate(actor, evaluation, today)
    before = snapshot(evaluation, ["hasil", "perilaku", "hasil_differ_reason"])
    rows = {r.rhk_id: r for r in evaluation.rhk_rows.select_related("rhk")}
    changed = []
    for rhk_id, data in (rhk or {}).items():
        row = rows.get(int(rhk_id))
        if row is None:
            raise ValidationError(_("RHK tersebut tidak termasuk evaluasi ini."))
        rating = data.get("rating") or ""
        if rating:
            _valid_rating(rating, _("RHK"))
        row.rating = rating
        row.feedback = (data.get("feedback") or "").strip()
        changed.append(row)
    RhkAssessment.objects.bulk_update(changed, ["rating", "feedback"])
    values = {b.value: b for b in evaluation.behaviour_rows.all()}
    changed = []
    for value, data in (behaviour or {}).items():
        row = values.get(int(value))
        if row is None:
            raise ValidationError(_("Nilai perilaku tidak dikenal."))
        rating = data.get("rating") or ""
        if rating:
            _valid_rating(rating, _("perilaku"))
        row.rating = rating
        row.feedback = (data.get("feedback") or "").strip()
        changed.append(row)
    BehaviourAssessment.objects.bulk_update(changed, ["rating", "feedback"])
    for name, value in (("hasil", hasil), ("perilaku", perilaku)):
        if value is not None:
            if value:
                _valid_rating(value, name)
            setattr(evaluation, name, value)
    for name, value in (
        ("hasil_differ_reason", hasil_differ_reason),
        ("hasil_feedback", hasil_feedback),
        ("perilaku_feedback", perilaku_feedback),
        ("notes", notes),
    ):
        if value is not None:
            setattr(evaluation, name, value.strip())
    rating, reasons, _counts = proposal(evaluation, list(rows.values()))
    evaluation.hasil_proposed = rating
    evaluation.hasil_reasons = reasons
    evaluation.org_grade = org_grade_for(
        evaluation.rater_unit_id, evaluation.year, evaluation.period
    )
    evaluation.rated_by = rater
    evaluation.save()
    _audit(
        "assessment.evaluation.rate",
        actor,
        evaluation,
        evaluation,
        before=before,
        after=snapshot(evaluation, ["hasil", "perilaku", "hasil_differ_reason"]),
        note=_("oleh atasan pejabat penilai") if by_superior else "",
    )
    return evaluation


@transaction.atomic
def finalise(*, actor, evaluation, today=None):
    """Lock the evaluation: every RHK and core value rated, both overall ratings
    given, a written reason when differing from the proposal, the organisation
    grade known (step one). Periodic: the predikat is final at once; annual: it
    awaits calibration."""
    today = _today(today)
    evaluation = _load(evaluation)
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
    org_grade = org_grade_for(evaluation.rater_unit_id, evaluation.year, evaluation.period)
    if not org_grade:
        raise ValidationError(
            _(
                "Predikat kinerja organisasi unit pejabat penilai belum diisi admin BKD; "
                "evaluasi belum dapat difinalkan."
            )
        )
    settings = settings_for(evaluation.agency_id)
    proposed, reasons, _counts = proposal(evaluation, rows, settings=settings)
    if proposed and evaluation.hasil != proposed and not evaluation.hasil_differ_reason.strip():
        raise ValidationError(
            _("Rating hasil kerja berbeda dari usulan (%(p)s); tuliskan alasan perbedaannya.")
            % {"p": RatingChoice(proposed).label}
        )
    if (
        settings.self_assessment_required
        and not SelfAssessment.objects.filter(
            evaluation=evaluation, submitted_at__isnull=False
        ).exists()
    ):
        raise ValidationError(_("Penilaian diri pegawai wajib diisi sebelum evaluasi difinalkan."))
    before = snapshot(evaluation, ["status", "predikat", "predikat_final"])
    evaluation.org_grade = org_grade
    evaluation.hasil_proposed = proposed
    evaluation.hasil_reasons = reasons
    evaluation.predikat = rules.predikat(evaluation.hasil, evaluation.perilaku).value
    if evaluation.is_annual:
        evaluation.predikat_final = ""
        evaluation.published = False
    else:
        evaluation.predikat_final = evaluation.predikat
        evaluation.published = True
    evaluation.status = Evaluation.Status.FINALISED
    evaluation.rated_by = rater
    evaluation.finalised_at = timezone.now()
    if by_superior:
        evaluation.is_final_no_appeal = True
        evaluation.final_reason = FINAL_BY_SUPERIOR
    elif evaluation.skp.form == "jpt" and evaluation.rater_id is None:
        evaluation.is_final_no_appeal = True
        evaluation.final_reason = FINAL_JPT
    end = evaluation.period.end if evaluation.period_id else evaluation.year.end
    evaluation.report_due = add_days(evaluation.agency_id, end, REPORT_DAYS)
    evaluation.save()
    _audit(
        "assessment.evaluation.finalise",
        actor,
        evaluation,
        evaluation,
        before=before,
        after=snapshot(evaluation, ["status", "hasil", "perilaku", "predikat", "org_grade"]),
    )
    _notify(evaluation, _("Evaluasi %(l)s Anda telah difinalkan.") % {"l": _label(evaluation)})
    return evaluation


def _signer_check(actor, evaluation):
    me = actor_employee(actor)
    allowed = {evaluation.rated_by_id, evaluation.rater_id} - {None}
    on_behalf = evaluation.rater_id is None and _is_admin(actor, evaluation.agency_id)
    if (me is None or me.pk not in allowed) and not on_behalf:
        raise ValidationError(_("Hanya pejabat penilai yang dapat melakukan ini."))
    return me


def _by_superior(evaluation):
    return evaluation.final_reason == FINAL_BY_SUPERIOR


@transaction.atomic
def sign(*, actor, evaluation, today=None):
    today = _today(today)
    evaluation = _load(evaluation)
    _signer_check(actor, evaluation)
    if evaluation.status != Evaluation.Status.FINALISED:
        raise ValidationError(_("Hanya evaluasi yang sudah difinalkan yang dapat ditandatangani."))
    if not evaluation.predikat_final:
        raise ValidationError(
            _("Predikat tahunan menunggu kalibrasi tim penilai; belum dapat ditandatangani.")
        )
    days = DELIVER_DAYS_BY_SUPERIOR if _by_superior(evaluation) else DELIVER_DAYS
    evaluation.status = Evaluation.Status.SIGNED
    evaluation.signed_at = today
    evaluation.deliver_due = add_days(evaluation.agency_id, today, days)
    evaluation.save()
    _audit("assessment.evaluation.sign", actor, evaluation, evaluation, after={"signed_at": today})
    return evaluation


@transaction.atomic
def deliver(*, actor, evaluation, today=None):
    today = _today(today)
    evaluation = _load(evaluation)
    _signer_check(actor, evaluation)
    if evaluation.status != Evaluation.Status.SIGNED:
        raise ValidationError(_("Dokumen evaluasi harus ditandatangani sebelum disampaikan."))
    short = _by_superior(evaluation)
    evaluation.status = Evaluation.Status.DELIVERED
    evaluation.delivered_at = today
    evaluation.acknowledge_due = add_days(
        evaluation.agency_id, today, ACKNOWLEDGE_DAYS_BY_SUPERIOR if short else ACKNOWLEDGE_DAYS
    )
    evaluation.appeal_due = (
        None
        if evaluation.is_final_no_appeal
        else add_days(evaluation.agency_id, today, APPEAL_FILE_DAYS)
    )
    evaluation.save()
    _audit(
        "assessment.evaluation.deliver",
        actor,
        evaluation,
        evaluation,
        after={"delivered_at": today},
    )
    text = _("Dokumen evaluasi %(l)s telah disampaikan kepada Anda.") % {"l": _label(evaluation)}
    if evaluation.appeal_due:
        text += " " + _("Keberatan dapat diajukan sampai %(d)s.") % {
            "d": evaluation.appeal_due.strftime("%d-%m-%Y")
        }
    _notify(evaluation, text)
    return evaluation


@transaction.atomic
def acknowledge(*, actor, evaluation, today=None):
    today = _today(today)
    evaluation = _load(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise ValidationError(_("Hanya pegawai yang dinilai yang dapat menerima dokumen ini."))
    if evaluation.status != Evaluation.Status.DELIVERED:
        raise ValidationError(_("Dokumen evaluasi belum disampaikan kepada Anda."))
    evaluation.status = Evaluation.Status.ACKNOWLEDGED
    evaluation.acknowledged_at = today
    evaluation.save()
    _audit("assessment.evaluation.acknowledge", actor, evaluation, evaluation, after={"at": today})
    return evaluation


@transaction.atomic
def report(*, actor, evaluation, today=None):
    """Reported to the HR office (PyB): after acknowledgement, an appeal decision,
    or once the appeal window has passed."""
    today = _today(today)
    evaluation = _load(evaluation)
    _require_admin(actor, evaluation.agency_id)
    ok = evaluation.status in (Evaluation.Status.ACKNOWLEDGED, Evaluation.Status.DECIDED) or (
        evaluation.status == Evaluation.Status.DELIVERED
        and (evaluation.appeal_due is None or today > evaluation.appeal_due)
    )
    if not ok:
        raise ValidationError(
            _("Evaluasi belum dapat dilaporkan: menunggu penerimaan pegawai atau keberatan.")
        )
    evaluation.status = Evaluation.Status.REPORTED
    evaluation.reported_at = today
    evaluation.save()
    _audit("assessment.evaluation.report", actor, evaluation, evaluation, after={"at": today})
    return evaluation


# --- self-assessment and peers -----------------------------------------------------


@transaction.atomic
def self_assess(*, actor, evaluation, rhk=None, behaviour=None, note=""):
    """The employee's own view per RHK and per core value, with evidence references."""
    evaluation = _load(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise ValidationError(_("Penilaian diri hanya dapat diisi oleh pegawai yang dinilai."))
    if evaluation.is_locked:
        raise ValidationError(_("Evaluasi sudah difinalkan; penilaian diri tidak dapat diubah."))
    rhk_ids = set(rhk_ids_for(evaluation))
    items = []
    for rhk_id, data in (rhk or {}).items():
        if int(rhk_id) not in rhk_ids:
            raise ValidationError(_("RHK tersebut tidak termasuk evaluasi ini."))
        _valid_rating(data.get("rating", ""), _("RHK"))
        items.append((int(rhk_id), None, data))
    for value, data in (behaviour or {}).items():
        if int(value) not in VALUES:
            raise ValidationError(_("Nilai perilaku tidak dikenal."))
        _valid_rating(data.get("rating", ""), _("perilaku"))
        items.append((None, int(value), data))
    obj, _created = SelfAssessment.objects.get_or_create(
        evaluation=evaluation, defaults={"agency_id": evaluation.agency_id}
    )
    obj.items.all().delete()
    SelfAssessmentItem.objects.bulk_create(
        [
            SelfAssessmentItem(
                agency_id=evaluation.agency_id,
                self_assessment=obj,
                rhk_id=rhk_id,
                value=value,
                rating=data["rating"],
                comment=(data.get("comment") or "").strip(),
                evidence=(data.get("evidence") or "").strip(),
            )
            for rhk_id, value, data in items
        ]
    )
    obj.note = note.strip()
    obj.submitted_at = timezone.now()
    obj.save()
    _audit("assessment.self.submit", actor, obj, evaluation, after={"items": len(items)})
    return obj


@transaction.atomic
def peer_request(*, actor, evaluation, peers):
    """The rater (or admin BKD) picks rekan kerja to give behaviour input."""
    evaluation = _load(evaluation)
    me = actor_employee(actor)
    if not (
        (me is not None and me.pk == evaluation.rater_id) or _is_admin(actor, evaluation.agency_id)
    ):
        raise ValidationError(_("Hanya pejabat penilai atau admin BKD yang memilih rekan kerja."))
    made = []
    for peer in peers:
        if peer.agency_id != evaluation.agency_id:
            raise ValidationError(_("Rekan kerja berasal dari instansi lain."))
        if peer.pk in (evaluation.employee_id, evaluation.rater_id):
            raise ValidationError(_("Rekan kerja tidak boleh pegawai itu sendiri atau penilainya."))
        obj, created = PeerInput.objects.get_or_create(
            evaluation=evaluation,
            peer=peer,
            defaults={"agency_id": evaluation.agency_id, "requested_by": actor},
        )
        if created:
            made.append(obj)
    if made:
        _audit("assessment.peer.request", actor, evaluation, evaluation, after={"peers": len(made)})
    return made


@transaction.atomic
def peer_submit(*, actor, peer_input, ratings, comment=""):
    me = actor_employee(actor)
    if me is None or me.pk != peer_input.peer_id:
        raise ValidationError(_("Masukan ini diminta dari rekan kerja lain."))
    if peer_input.evaluation.is_locked:
        raise ValidationError(_("Evaluasi sudah difinalkan; masukan tidak dapat diubah."))
    clean = {}
    for value, rating in ratings.items():
        if int(value) not in VALUES:
            raise ValidationError(_("Nilai perilaku tidak dikenal."))
        if rating:
            _valid_rating(rating, _("perilaku"))
            clean[str(int(value))] = rating
    if not clean:
        raise ValidationError(_("Isi setidaknya satu rating perilaku."))
    peer_input.ratings = clean
    peer_input.comment = comment.strip()
    peer_input.submitted_at = timezone.now()
    peer_input.save()
    _audit(
        "assessment.peer.submit",
        actor,
        peer_input,
        peer_input.evaluation,
        after={"values": len(clean)},
    )
    return peer_input


# --- organisation grades, settings, policy --------------------------------------


@transaction.atomic
def org_performance_set(*, actor, unit, year, grade, period=None, note="", from_head=False):
    """Admin BKD enters a unit's predikat kinerja organisasi (from the unit's own
    evaluation), or takes it from the head's result (from_head)."""
    _require_admin(actor, year.agency_id)
    if unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    if period is not None and period.year_id != year.pk:
        raise ValidationError(_("Periode tidak termasuk tahun ini."))
    if grade not in OrgGradeChoice.values:
        raise ValidationError(_("Predikat organisasi tidak dikenal."))
    obj = OrgPerformance.objects.filter(unit=unit, year=year, period=period).first()
    before = snapshot(obj) if obj else None
    if obj is None:
        obj = OrgPerformance(agency_id=year.agency_id, unit=unit, year=year, period=period)
    obj.grade = grade
    obj.note = note.strip()
    obj.entered_by = actor
    obj.source = OrgPerformance.Source.FROM_HEAD if from_head else OrgPerformance.Source.ENTERED
    obj.save()
    _audit("assessment.org_performance.set", actor, obj, before=before, after=snapshot(obj))
    return obj


@transaction.atomic
def settings_update(*, actor, agency, **fields):
    _require_admin(actor, agency.pk)
    obj = settings_for(agency.pk)
    before = snapshot(obj)
    allowed = {
        "self_assessment_required",
        "peer_names_visible",
        "small_part_numerator",
        "small_part_denominator",
        "min_unit_size",
        "quota_enforcement",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(obj, name, value)
    if obj.small_part_denominator <= 0 or obj.small_part_numerator > obj.small_part_denominator:
        raise ValidationError(_("Bagian kecil harus berupa pecahan antara 0 dan 1."))
    if obj.min_unit_size < 1:
        raise ValidationError(_("Ukuran unit minimum paling sedikit 1."))
    if obj.quota_enforcement not in AssessmentSettings.Enforcement.values:
        raise ValidationError(_("Penerapan kurva distribusi tidak dikenal."))
    obj.save()
    _audit("assessment.settings.update", actor, obj, before=before, after=snapshot(obj))
    return obj


@transaction.atomic
def day_off_add(*, actor, agency, date, reason):
    _require_admin(actor, agency.pk)
    if not reason.strip():
        raise ValidationError(_("Keterangan hari libur wajib diisi."))
    obj, created = AgencyDayOff.objects.get_or_create(
        agency=agency, date=date, defaults={"reason": reason.strip()}
    )
    if not created:
        raise ValidationError(_("Tanggal itu sudah tercatat sebagai hari libur."))
    _audit("assessment.dayoff.add", actor, obj, after=snapshot(obj))
    return obj


@transaction.atomic
def policy_rule_update(*, actor, rule, min_pct=None, max_pct=None, at_least_one=False):
    _require_admin(actor, rule.agency_id)
    before = snapshot(rule)
    for value in (min_pct, max_pct):
        if value is not None and not (0 <= value <= 1):
            raise ValidationError(_("Persentase harus antara 0 dan 100."))
    if min_pct is None and max_pct is None and not at_least_one:
        raise ValidationError(_("Aturan memerlukan batas minimum, maksimum, atau minimal satu."))
    if min_pct is not None and max_pct is not None and min_pct > max_pct:
        raise ValidationError(_("Batas minimum tidak boleh melebihi batas maksimum."))
    rule.min_pct, rule.max_pct, rule.at_least_one = min_pct, max_pct, at_least_one
    rule.save()
    _audit("assessment.policy.update", actor, rule, before=before, after=snapshot(rule))
    return rule


# --- calibration ------------------------------------------------------------------


def calibration_groups(agency_id, year, min_size):
    """{calibration unit id: [member unit ids]} and {unit id: n}: units with fewer
    than `min_size` annual evaluations (own plus merged children) are pooled with
    their parent (domain.md section 4). Two queries."""
    from django.db.models import Count

    units = list(
        OrgUnit.objects.filter(agency_id=agency_id).values_list("pk", "parent_id", "depth")
    )
    counts = dict(
        Evaluation.objects.filter(agency_id=agency_id, year=year, period__isnull=True)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    parent = {pk: parent_id for pk, parent_id, _depth in units}
    members = {pk: [pk] for pk, _p, _d in units}
    size = {pk: counts.get(pk, 0) for pk, _p, _d in units}
    merged_into = {}
    for pk, parent_id, _depth in sorted(units, key=lambda u: -u[2]):
        if parent_id is not None and size[pk] < min_size:
            members[parent_id] += members.pop(pk)
            size[parent_id] += size[pk]
            merged_into[pk] = parent_id
    groups = {pk: ids for pk, ids in members.items() if size[pk] > 0}
    for pk in list(merged_into):
        target = merged_into[pk]
        while target in merged_into:
            target = merged_into[target]
        merged_into[pk] = target
    return groups, size, merged_into, parent


def calibration_evaluations(calibration):
    return Evaluation.objects.filter(
        agency_id=calibration.agency_id,
        year_id=calibration.year_id,
        period__isnull=True,
        unit_id__in=calibration.member_unit_ids,
    )


def current_predikat(evaluation):
    return evaluation.predikat_final or evaluation.predikat


@transaction.atomic
def calibration_open(*, actor, year, unit):
    """Open (or return the open) calibration of `unit` for the annual predikat.
    A unit too small is calibrated with its parent: the message says which."""
    _require_forum(actor, year.agency_id)
    if unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    existing = Calibration.objects.filter(year=year, unit=unit).first()
    if existing is not None:
        return existing
    settings = settings_for(year.agency_id)
    groups, size, merged_into, _parent = calibration_groups(
        year.agency_id, year, settings.min_unit_size
    )
    if unit.pk in merged_into:
        target = OrgUnit.objects.get(pk=merged_into[unit.pk])
        raise ValidationError(
            _(
                "Unit %(u)s terlalu kecil (kurang dari %(n)s pegawai); dikalibrasi bersama unit "
                "%(p)s."
            )
            % {"u": unit.name, "n": settings.min_unit_size, "p": target.name}
        )
    if unit.pk not in groups:
        raise ValidationError(_("Unit %(u)s tidak memiliki evaluasi tahunan.") % {"u": unit.name})
    calibration = Calibration(
        agency_id=year.agency_id,
        year=year,
        unit=unit,
        member_unit_ids=sorted(groups[unit.pk]),
        org_grade=org_grade_for(unit.pk, year),
        opened_by=actor,
    )
    calibration.before = {
        str(pk): p or f
        for pk, p, f in calibration_evaluations(calibration).values_list(
            "pk", "predikat", "predikat_final"
        )
    }
    calibration.save()
    _audit(
        "assessment.calibration.open",
        actor,
        calibration,
        after={"members": calibration.member_unit_ids},
    )
    return calibration


def violations(calibration, counts, policy=None):
    if not calibration.org_grade:
        return []
    policy = policy if policy is not None else policy_for(calibration.agency_id)
    return distribution.check(calibration.org_grade, counts, policy)


def violation_text(v):
    names = ", ".join(str(PredikatChoice(p).label) for p in sorted(v.rule.predikat))
    if v.kind == distribution.ViolationKind.OVER_MAX:
        return _("%(p)s: %(c)s pegawai, paling banyak %(m)s.") % {
            "p": names,
            "c": v.count,
            "m": v.allowed_max,
        }
    if v.kind == distribution.ViolationKind.MISSING_ONE:
        return _("%(p)s: paling sedikit satu pegawai, saat ini tidak ada.") % {"p": names}
    return _("%(p)s: %(c)s pegawai, paling sedikit %(m)s.") % {
        "p": names,
        "c": v.count,
        "m": v.allowed_min,
    }


def _counts(calibration):
    from django.db.models import Count

    counts = {}
    rows = (
        calibration_evaluations(calibration)
        .exclude(predikat="")
        .values_list("predikat", "predikat_final")
        .annotate(n=Count("pk"))
    )
    for p, f, n in rows:
        key = f or p
        counts[key] = counts.get(key, 0) + n
    return counts


@transaction.atomic
def calibration_change(*, actor, calibration, evaluation, predikat, reason):
    _require_forum(actor, calibration.agency_id)
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError(_("Kalibrasi sudah ditutup; predikat tidak dapat diubah lagi."))
    evaluation = Evaluation.objects.filter(pk=evaluation.pk).first()
    if (
        evaluation is None
        or evaluation.period_id is not None
        or evaluation.year_id != calibration.year_id
        or evaluation.unit_id not in calibration.member_unit_ids
    ):
        raise ValidationError(_("Evaluasi ini tidak termasuk kalibrasi unit ini."))
    if not evaluation.predikat:
        raise ValidationError(_("Pegawai ini belum memiliki predikat tahunan."))
    if predikat not in PredikatChoice.values:
        raise ValidationError(_("Predikat tidak dikenal."))
    if not (reason or "").strip():
        raise ValidationError(_("Alasan perubahan predikat wajib diisi."))
    before = current_predikat(evaluation)
    if predikat == before:
        raise ValidationError(_("Predikat baru sama dengan predikat saat ini."))
    evaluation.predikat_final = predikat
    evaluation.save(update_fields=["predikat_final", "updated_at"])
    change = CalibrationChange.objects.create(
        agency_id=calibration.agency_id,
        calibration=calibration,
        evaluation=evaluation,
        before=before,
        after=predikat,
        reason=reason.strip(),
        by=actor,
    )
    record(
        "assessment.calibration.change",
        actor=actor,
        agency=calibration.agency,
        target=evaluation,
        subject=evaluation.employee,
        before={"predikat": before},
        after={"predikat": predikat},
        note=reason.strip(),
    )
    return change


@transaction.atomic
def calibration_close(*, actor, calibration, override_reason=""):
    """Close: refused while quotas are broken, unless the agency's policy is
    advisory and a written override reason is recorded. Employees see their
    final predikat afterwards."""
    _require_forum(actor, calibration.agency_id)
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError(_("Kalibrasi sudah ditutup."))
    if not calibration.org_grade:
        calibration.org_grade = org_grade_for(calibration.unit_id, calibration.year)
    if not calibration.org_grade:
        raise ValidationError(
            _("Predikat kinerja organisasi unit ini belum diisi; kalibrasi belum dapat ditutup.")
        )
    evaluations = calibration_evaluations(calibration)
    pending = evaluations.filter(predikat="").count()
    if pending:
        raise ValidationError(
            _("%(n)s pegawai belum memiliki predikat tahunan; kalibrasi belum dapat ditutup.")
            % {"n": pending}
        )
    found = violations(calibration, _counts(calibration))
    override_reason = (override_reason or "").strip()
    if found:
        texts = " ".join(violation_text(v) for v in found)
        settings = settings_for(calibration.agency_id)
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
    evaluations.filter(predikat_final="").update(predikat_final=models_f("predikat"))
    evaluations.update(published=True)
    calibration.after = {str(pk): f for pk, f in evaluations.values_list("pk", "predikat_final")}
    calibration.violations_at_close = [violation_text(v) for v in found]
    calibration.override_reason = override_reason if found else ""
    calibration.status = Calibration.Status.CLOSED
    calibration.closed_by = actor
    calibration.closed_at = timezone.now()
    calibration.save()
    _audit(
        "assessment.calibration.close",
        actor,
        calibration,
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


def models_f(name):
    from django.db.models import F

    return F(name)


# --- appeals ------------------------------------------------------------------------


def appeal_blocked_reason(evaluation, today=None):
    """Why `evaluation` cannot be appealed now, or "" when it can."""
    today = _today(today)
    if evaluation.is_final_no_appeal:
        if evaluation.final_reason == FINAL_BY_SUPERIOR:
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


@transaction.atomic
def appeal_file(*, actor, evaluation, reasons, evidence="", today=None):
    today = _today(today)
    evaluation = _load(evaluation)
    me = actor_employee(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise ValidationError(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    blocked = appeal_blocked_reason(evaluation, today)
    if blocked:
        raise ValidationError(blocked)
    if not (reasons or "").strip():
        raise ValidationError(_("Alasan keberatan wajib diisi."))
    decider = superior_of(evaluation.rater, on=today) if evaluation.rater_id else None
    if decider is None:
        raise ValidationError(
            _("Atasan pejabat penilai tidak ditemukan; hubungi admin BKD untuk keberatan ini.")
        )
    appeal = Appeal.objects.create(
        agency_id=evaluation.agency_id,
        evaluation=evaluation,
        filed_by=me,
        filed_on=today,
        reasons=reasons.strip(),
        evidence=(evidence or "").strip(),
        decider=decider,
        decide_due=add_days(evaluation.agency_id, today, APPEAL_DECIDE_DAYS),
        predikat_before=current_predikat(evaluation),
    )
    evaluation.status = Evaluation.Status.APPEALED
    evaluation.save(update_fields=["status", "updated_at"])
    _audit("assessment.appeal.file", actor, appeal, evaluation, after=snapshot(appeal))
    _notify(
        evaluation,
        _("Keberatan Anda diterima; atasan pejabat penilai memutus paling lambat %(d)s.")
        % {"d": appeal.decide_due.strftime("%d-%m-%Y")},
    )
    _notify(evaluation, _("Keberatan baru menunggu keputusan Anda."), employee=decider)
    return appeal


def _load_appeal(appeal):
    return Appeal.objects.select_related(
        "evaluation", "evaluation__employee", "evaluation__rater", "decider"
    ).get(pk=appeal.pk)


@transaction.atomic
def appeal_request_explanations(*, actor, appeal):
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if me is None or me.pk != appeal.decider_id:
        raise ValidationError(_("Hanya atasan pejabat penilai yang dapat memutus keberatan ini."))
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus."))
    appeal.explanation_requested_at = timezone.now()
    appeal.save(update_fields=["explanation_requested_at"])
    evaluation = appeal.evaluation
    _notify(evaluation, _("Atasan pejabat penilai meminta penjelasan Anda atas keberatan."))
    if evaluation.rater_id:
        _notify(
            evaluation,
            _("Atasan Anda meminta penjelasan atas keberatan %(n)s.")
            % {"n": evaluation.employee.full_name},
            employee=evaluation.rater,
        )
    _audit("assessment.appeal.request_explanations", actor, appeal, evaluation)
    return appeal


@transaction.atomic
def appeal_explain(*, actor, appeal, text):
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if appeal.status != Appeal.Status.FILED:
        raise ValidationError(_("Keberatan ini sudah diputus."))
    if not (text or "").strip():
        raise ValidationError(_("Penjelasan wajib diisi."))
    evaluation = appeal.evaluation
    if me is not None and me.pk == evaluation.rater_id:
        appeal.rater_explanation = text.strip()
        field = "rater_explanation"
    elif me is not None and me.pk == evaluation.employee_id:
        appeal.employee_explanation = text.strip()
        field = "employee_explanation"
    else:
        raise ValidationError(_("Penjelasan hanya dari pejabat penilai atau pegawai yang dinilai."))
    appeal.save(update_fields=[field])
    _audit("assessment.appeal.explain", actor, appeal, evaluation, after={field: text.strip()})
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor, appeal, decision, reason, new_predikat="", recommendation="", today=None
):
    """The atasan pejabat penilai confirms or changes the result; final."""
    today = _today(today)
    appeal = _load_appeal(appeal)
    me = actor_employee(actor)
    if me is None or me.pk != appeal.decider_id:
        raise ValidationError(_("Hanya atasan pejabat penilai yang dapat memutus keberatan ini."))
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
    _audit(
        "assessment.appeal.decide",
        actor,
        appeal,
        evaluation,
        before={"predikat": appeal.predikat_before},
        after={"decision": decision, "predikat": current_predikat(evaluation), "late": late},
        note=reason.strip(),
    )
    _notify(
        evaluation,
        _("Keberatan Anda telah diputus: %(d)s.") % {"d": Appeal.Decision(decision).label},
    )
    return appeal


@transaction.atomic
def escalate_lapsed_appeals(agency, today=None):
    """Flag appeals not decided within 7 working days and escalate them to admin
    BKD (they appear on the admin page). Callable from a reminder job or a
    management command; idempotent. Returns the number newly escalated."""
    today = _today(today)
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
        _notify(
            appeal.evaluation,
            _("Keberatan Anda melewati batas waktu keputusan dan diteruskan ke admin BKD."),
        )
    Appeal.objects.bulk_update(lapsed, ["escalated", "escalated_at"])
    return len(lapsed)


# --- documents ------------------------------------------------------------------------


def canonical_json(content):
    return json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def document_kinds(evaluation):
    """The evaluation form (C.1.x by SKP format) and the D.1.x document that apply."""
    skp = evaluation.skp
    if skp.approach == "kualitatif":
        form = EvaluationDocument.Kind.C11
    elif skp.form == "jpt":
        form = EvaluationDocument.Kind.C12
    else:
        form = EvaluationDocument.Kind.C13
    if Appeal.objects.filter(evaluation=evaluation, status=Appeal.Status.DECIDED).exists():
        doc = EvaluationDocument.Kind.D13
    elif _by_superior(evaluation):
        doc = EvaluationDocument.Kind.D12
    else:
        doc = EvaluationDocument.Kind.D11
    return form, doc


@transaction.atomic
def document_issue(*, actor, evaluation, kind, content):
    """Freeze the printed content of a document (a new version when it changed)."""
    if not evaluation.is_locked:
        raise ValidationError(_("Dokumen hanya dapat dicetak setelah evaluasi difinalkan."))
    text = canonical_json(content)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    latest = (
        EvaluationDocument.objects.filter(evaluation=evaluation, kind=kind)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.content_hash == digest:
        return latest
    doc = EvaluationDocument.objects.create(
        agency_id=evaluation.agency_id,
        evaluation=evaluation,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        content=json.loads(text),
        content_hash=digest,
    )
    _audit(
        "assessment.document.issue", actor, doc, evaluation, after={"kind": kind, "hash": digest}
    )
    return doc
