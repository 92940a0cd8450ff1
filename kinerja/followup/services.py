"""Writes of the follow-up app: keyword-only functions that check who acts, validate, save
and record the change in the audit trail. Errors are ValidationError with an Indonesian
message; nothing is saved when one is raised."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record, record, snapshot
from kinerja.org.access import compute_access
from kinerja.org.models import Employee, Position
from kinerja.planning import berakhlak
from kinerja.rules import followup as rules
from kinerja.rules.angka_kredit import credit_points as ak_credit_points
from kinerja.rules.predikat import PREDIKAT_ORDER, Predikat

from . import documents, selectors
from .models import (
    AllowanceFactor,
    Award,
    Candidate,
    CreditPoints,
    DevelopmentPlan,
    FollowupRule,
    MentorPairing,
    Outcome,
    Sanction,
    TrainingCourse,
    TrainingKind,
    TrainingRecord,
)

PREDIKAT_LABELS = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}

DEFAULT_LEGAL_BASIS = {
    rules.Outcome.AWARD: "PermenPANRB 6/2022 Pasal 31",
    rules.Outcome.PROMOTION_PRIORITY: "PermenPANRB 6/2022 Pasal 31; syarat kenaikan pangkat",
    rules.Outcome.TRAINING_PRIORITY: "PermenPANRB 6/2022 Pasal 31",
    rules.Outcome.COACHING: "PermenPANRB 6/2022 Pasal 33",
    rules.Outcome.SANCTION_PROCESS: "PermenPANRB 6/2022 Pasal 33; PP 30/2019 Pasal 56-58",
}


# --- permissions ----------------------------------------------------------------------------


def _access(actor):
    return compute_access(actor)


def _require_admin(actor, agency_id):
    access = _access(actor)
    if not (access.is_admin and access.agency_id == agency_id):
        raise PermissionDenied(_("Hanya admin BKD yang dapat melakukan ini."))
    return access


def manages(access, employee):
    """Whether `access` may act on `employee`'s follow-up as admin BKD, as head of the
    employee's unit, or as a superior above the employee's position (never on oneself)."""
    if access.agency_id != employee.agency_id:
        return False
    if access.is_admin:
        return True
    if access.employee is not None and access.employee.pk == employee.pk:
        return False
    unit_path = employee.unit.path if employee.unit_id else ""
    if any(unit_path.startswith(p) for p in access.head_unit_paths):
        return True
    position = employee.position if employee.position_id else None
    return (
        position is not None
        and position.pk not in access.position_ids
        and any(position.path.startswith(p) for p in access.position_paths)
    )


def heads(access, employee):
    """Admin BKD, or head of the employee's unit (who decide candidates)."""
    if access.agency_id != employee.agency_id:
        return False
    if access.is_admin:
        return True
    if access.employee is not None and access.employee.pk == employee.pk:
        return False
    return any(employee.unit.path.startswith(p) for p in access.head_unit_paths)


def _predikat_text(codes):
    return ", ".join(PREDIKAT_LABELS[c] for c in PREDIKAT_ORDER if c in codes)


# --- rules and allowance factors ------------------------------------------------------------


def ensure_defaults(agency, actor=None):
    """Create the regulation's default rules and allowance factors once per agency."""
    settings = selectors.settings_for(agency)
    if settings.defaults_created:
        return settings
    with transaction.atomic():
        FollowupRule.objects.bulk_create(
            [
                FollowupRule(
                    agency_id=agency.pk,
                    outcome=r.outcome.value,
                    years=r.years,
                    predikat=[p.value for p in PREDIKAT_ORDER if p in r.predikat],
                    consecutive=r.consecutive,
                    legal_basis=DEFAULT_LEGAL_BASIS[r.outcome],
                    order=i,
                )
                for i, r in enumerate(rules.DEFAULT_RULES)
            ]
        )
        existing = set(
            AllowanceFactor.objects.filter(agency=agency).values_list("predikat", flat=True)
        )
        AllowanceFactor.objects.bulk_create(
            [
                AllowanceFactor(agency_id=agency.pk, predikat=p.value, cut_percent=cut)
                for p, cut in rules.DEFAULT_CUTS.items()
                if p.value not in existing
            ]
        )
        settings.defaults_created = True
        settings.save(update_fields=["defaults_created"])
        record("followup.rules.defaults", actor=actor, agency=agency, target=settings)
    return settings


def _conflict_message(clash, labels):
    other = clash.second
    witness = ", ".join(f"{y}: {PREDIKAT_LABELS[p]}" for y, p in clash.witness)
    if clash.kind == "contradicts":
        text = _(
            'Aturan ini bertentangan dengan aturan "%(other)s": riwayat yang sama '
            "(mis. %(witness)s) akan menjadi kandidat penghargaan/prioritas sekaligus "
            "pembinaan/sanksi. Persempit predikatnya."
        )
    else:
        text = _(
            'Aturan ini tumpang tindih dengan aturan "%(other)s" untuk hasil yang sama: '
            "riwayat (mis. %(witness)s) cocok dengan keduanya. Gabungkan atau persempit "
            "salah satunya."
        )
    return text % {"other": labels.get(other.key, "?"), "witness": witness}


def rule_label(rule):
    consecutive = _("berturut-turut") if rule.consecutive else _("terakhir")
    return _("%(outcome)s: %(predikat)s dalam %(n)s tahun %(how)s") % {
        "outcome": Outcome(rule.outcome).label,
        "predikat": _predikat_text(rule.predikat),
        "n": rule.years,
        "how": consecutive,
    }


def rule_save(
    *,
    actor,
    agency,
    outcome,
    years,
    predikat,
    consecutive=True,
    legal_basis="",
    active=True,
    rule=None,
):
    """Create or change a rule; refused when it contradicts or overlaps an active rule."""
    _require_admin(actor, agency.pk)
    if outcome not in Outcome.values:
        raise ValidationError(_("Hasil aturan tidak dikenal."))
    try:
        years = int(years)
    except (TypeError, ValueError):
        raise ValidationError(_("Jumlah tahun harus bilangan bulat 1 sampai 10.")) from None
    if not 1 <= years <= 10:
        raise ValidationError(_("Jumlah tahun harus bilangan bulat 1 sampai 10."))
    codes = [p for p in predikat if p]
    if not codes:
        raise ValidationError(_("Pilih minimal satu predikat."))
    if any(p not in PREDIKAT_LABELS for p in codes):
        raise ValidationError(_("Predikat tidak dikenal."))
    codes = [p.value for p in PREDIKAT_ORDER if p.value in codes]
    legal_basis = (legal_basis or "").strip()
    if outcome == Outcome.SANCTION_PROCESS and not legal_basis:
        raise ValidationError(_("Aturan proses sanksi wajib mencantumkan dasar hukum."))
    if rule is not None and rule.agency_id != agency.pk:
        raise PermissionDenied
    candidate = rules.Rule(
        rules.Outcome(outcome), years, frozenset(codes), bool(consecutive), key=rule and rule.pk
    )
    if active:
        others = list(rules_for_check(agency, exclude=rule))
        labels = {r.pk: rule_label(r) for r in others}
        clashes = rules.conflicts(candidate, [r.as_rule() for r in others])
        if clashes:
            raise ValidationError(_conflict_message(clashes[0], labels))
    with transaction.atomic():
        before = snapshot(rule) if rule is not None else None
        if rule is None:
            rule = FollowupRule(
                agency=agency, order=FollowupRule.objects.filter(agency=agency).count()
            )
        rule.outcome = outcome
        rule.years = years
        rule.predikat = codes
        rule.consecutive = bool(consecutive)
        rule.legal_basis = legal_basis
        rule.active = bool(active)
        rule.save()
        record(
            "followup.rule.create" if before is None else "followup.rule.update",
            actor=actor,
            agency=agency,
            target=rule,
            before=before,
            after=snapshot(rule),
        )
    return rule


def rules_for_check(agency, exclude=None):
    qs = FollowupRule.objects.filter(agency=agency, active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def allowance_update(*, actor, agency, cuts):
    """Set the allowance cut (percent, 0-100) per predikat; `cuts` maps code -> value."""
    _require_admin(actor, agency.pk)
    parsed = {}
    for code, value in cuts.items():
        if code not in PREDIKAT_LABELS:
            raise ValidationError(_("Predikat tidak dikenal."))
        try:
            number = Decimal(str(value).strip().replace(",", ".") or "0")
        except InvalidOperation:
            raise ValidationError(
                _("Potongan untuk %(p)s harus angka.") % {"p": PREDIKAT_LABELS[code]}
            ) from None
        if not Decimal(0) <= number <= Decimal(100) or number != number.quantize(Decimal("0.01")):
            raise ValidationError(
                _("Potongan untuk %(p)s harus antara 0 dan 100 persen (dua desimal).")
                % {"p": PREDIKAT_LABELS[code]}
            )
        parsed[code] = number
    with transaction.atomic():
        current = {f.predikat: f for f in AllowanceFactor.objects.filter(agency=agency)}
        before = {code: str(f.cut_percent) for code, f in current.items()}
        for code, number in parsed.items():
            factor = current.get(code) or AllowanceFactor(agency=agency, predikat=code)
            factor.cut_percent = number
            factor.save()
        record(
            "followup.allowance.update",
            actor=actor,
            agency=agency,
            before=before,
            after={code: str(v) for code, v in parsed.items()},
        )


# --- candidates -----------------------------------------------------------------------------


def generate_candidates(*, agency, year, actor=None):
    """Candidates of every active rule for the performance year `year`, set-based and
    idempotent: existing (year, employee, outcome) rows are left as they are."""
    ensure_defaults(agency, actor)
    active = [r for r in selectors.rules_for(agency, active_only=True)]
    max_years = max((r.years for r in active), default=1)
    rule_years = None
    if all(r.consecutive for r in active):
        rule_years = range(year.year - max_years + 1, year.year + 1)
    history = selectors.annual_predikat_history(agency, years=rule_years)
    evaluations = selectors.annual_evaluations(agency, year.year)
    existing = set(
        Candidate.objects.filter(agency=agency, year=year).values_list("employee_id", "outcome")
    )
    by_key = {r.pk: r for r in active}
    plain = [r.as_rule() for r in active]
    new = []
    for employee_id, rows in history.items():
        if employee_id not in evaluations:
            continue
        for outcome, rule in rules.evaluate(plain, rows, year.year).items():
            if (employee_id, outcome.value) in existing:
                continue
            window = [[y, p] for y, p in rows if y <= year.year][: rule.years]
            new.append(
                Candidate(
                    agency_id=agency.pk,
                    year=year,
                    employee_id=employee_id,
                    outcome=outcome.value,
                    rule=by_key[rule.key],
                    evaluation_id=evaluations[employee_id],
                    history=window,
                )
            )
    with transaction.atomic():
        created = Candidate.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        label = actor.get_username() if actor is not None else "sistem"
        bulk_record(
            [
                AuditEvent(
                    agency_id=agency.pk,
                    actor=actor,
                    actor_label=label,
                    action="followup.candidates.generate",
                    target_type="followup.candidate",
                    after={"year": year.year, "created": len(created), "rules": len(active)},
                )
            ]
        )
    return len(created)


def candidate_decide(*, actor, candidate, accept, note=""):
    access = _access(actor)
    if not heads(access, candidate.employee):
        raise PermissionDenied(_("Hanya admin BKD atau pimpinan unit yang dapat memutuskan."))
    if candidate.status != Candidate.Status.PENDING:
        raise ValidationError(_("Kandidat ini sudah diputuskan."))
    if not accept and not (note or "").strip():
        raise ValidationError(_("Tuliskan alasan penolakan."))
    if accept and candidate.outcome == Outcome.AWARD and candidate.evaluation_id:
        _check_not_under_appeal(candidate.evaluation)
    with transaction.atomic():
        before = snapshot(candidate, ["status", "note"])
        candidate.status = Candidate.Status.ACCEPTED if accept else Candidate.Status.REJECTED
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.note = (note or "").strip()
        candidate.save(update_fields=["status", "decided_by", "decided_at", "note"])
        record(
            "followup.candidate.decide",
            actor=actor,
            agency=candidate.employee.agency,
            target=candidate,
            subject=candidate.employee,
            before=before,
            after=snapshot(candidate, ["status", "note"]),
        )
    return candidate


# --- awards and sanctions -------------------------------------------------------------------


def _check_not_under_appeal(evaluation):
    if selectors.appeal_pending(evaluation):
        raise ValidationError(
            _(
                "Evaluasi yang menjadi dasar penghargaan ini sedang dalam proses keberatan. "
                "Penghargaan baru dapat dicatat setelah keberatan diputus."
            )
        )


def _date(value, label):
    if isinstance(value, dt.date):
        return value
    raise ValidationError(_("%(label)s tidak valid.") % {"label": label})


def _link(employee, evaluation, candidate):
    if candidate is not None:
        if candidate.employee_id != employee.pk:
            raise ValidationError(_("Kandidat ini milik pegawai lain."))
        evaluation = evaluation or candidate.evaluation
    if evaluation is not None and evaluation.employee_id != employee.pk:
        raise ValidationError(_("Evaluasi ini milik pegawai lain."))
    return evaluation


def award_create(
    *, actor, employee, kind, basis, date, evaluation=None, candidate=None, upload=None
):
    _require_admin(actor, employee.agency_id)
    if kind not in Award.Kind.values:
        raise ValidationError(_("Jenis penghargaan tidak dikenal."))
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError(_("Dasar pemberian penghargaan wajib diisi."))
    date = _date(date, _("Tanggal"))
    evaluation = _link(employee, evaluation, candidate)
    if evaluation is not None:
        _check_not_under_appeal(evaluation)
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    with transaction.atomic():
        award = Award.objects.create(
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
        if candidate is not None and candidate.status == Candidate.Status.PENDING:
            Candidate.objects.filter(pk=candidate.pk).update(
                status=Candidate.Status.ACCEPTED, decided_by=actor, decided_at=timezone.now()
            )
        record(
            "followup.award.create",
            actor=actor,
            agency=employee.agency,
            target=award,
            subject=employee,
            after=snapshot(award),
        )
    return award


def sanction_create(
    *,
    actor,
    employee,
    kind,
    legal_basis,
    start,
    end=None,
    status=Sanction.Status.PROPOSED,
    evaluation=None,
    candidate=None,
    note="",
    upload=None,
):
    _require_admin(actor, employee.agency_id)
    if kind not in Sanction.Kind.values:
        raise ValidationError(_("Jenis sanksi tidak dikenal."))
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError(
            _("Dasar hukum sanksi wajib diisi (mis. PP 30/2019 Pasal 56-58, PP 94/2021).")
        )
    if status not in Sanction.Status.values:
        raise ValidationError(_("Status sanksi tidak dikenal."))
    start = _date(start, _("Tanggal mulai"))
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    evaluation = _link(employee, evaluation, candidate)
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    with transaction.atomic():
        sanction = Sanction.objects.create(
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
        if candidate is not None and candidate.status == Candidate.Status.PENDING:
            Candidate.objects.filter(pk=candidate.pk).update(
                status=Candidate.Status.ACCEPTED, decided_by=actor, decided_at=timezone.now()
            )
        record(
            "followup.sanction.create",
            actor=actor,
            agency=employee.agency,
            target=sanction,
            subject=employee,
            after=snapshot(sanction),
        )
    return sanction


def sanction_set_status(*, actor, sanction, status, end=None):
    _require_admin(actor, sanction.agency_id)
    if status not in Sanction.Status.values:
        raise ValidationError(_("Status sanksi tidak dikenal."))
    if end is not None and end < sanction.start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    with transaction.atomic():
        before = snapshot(sanction, ["status", "end"])
        sanction.status = status
        if end is not None:
            sanction.end = end
        sanction.save(update_fields=["status", "end"])
        record(
            "followup.sanction.update",
            actor=actor,
            agency=sanction.employee.agency,
            target=sanction,
            subject=sanction.employee,
            before=before,
            after=snapshot(sanction, ["status", "end"]),
        )
    return sanction


# --- competence development -----------------------------------------------------------------


def _jp(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Jumlah JP harus bilangan bulat.")) from None
    return number


def course_save(*, actor, agency, title, kind, hours_jp, provider="", active=True, course=None):
    _require_admin(actor, agency.pk)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Judul pelatihan wajib diisi."))
    if kind not in TrainingKind.values:
        raise ValidationError(_("Jenis pelatihan tidak dikenal."))
    hours = _jp(hours_jp)
    if not 0 < hours <= rules.MAX_COURSE_JP:
        raise ValidationError(
            _("Jumlah JP harus lebih dari 0 dan paling banyak %(max)s.")
            % {"max": rules.MAX_COURSE_JP}
        )
    if course is not None and course.agency_id != agency.pk:
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(course) if course is not None else None
        course = course or TrainingCourse(agency=agency)
        course.title, course.kind, course.hours_jp = title, kind, hours
        course.provider, course.active = (provider or "").strip(), bool(active)
        course.save()
        record(
            "followup.course.create" if before is None else "followup.course.update",
            actor=actor,
            agency=agency,
            target=course,
            before=before,
            after=snapshot(course),
        )
    return course


JP_MESSAGES = {
    "end_before_start": "Tanggal selesai tidak boleh sebelum tanggal mulai.",
    "too_long": "Satu catatan pelatihan paling lama %(days)s hari; pecah menjadi beberapa catatan.",
    "too_old": "Tanggal mulai tidak masuk akal (sebelum tahun %(year)s).",
    "future": "Tanggal selesai lebih dari setahun ke depan; periksa kembali tanggalnya.",
    "hours_not_positive": "Jumlah JP harus lebih dari 0.",
    "hours_over_days": (
        "Jumlah JP tidak masuk akal: %(hours)s JP dalam %(days)s hari, padahal paling banyak "
        "%(per_day)s JP per hari."
    ),
}


def training_record_create(
    *,
    actor,
    employee,
    start,
    end,
    hours_jp=None,
    course=None,
    title="",
    kind=None,
    upload=None,
    today=None,
):
    """A participation record; the employee records their own, admin BKD and the employee's
    managers record anyone's they may see. Impossible dates or hours are refused."""
    access = _access(actor)
    own = access.employee is not None and access.employee.pk == employee.pk
    if not (own or manages(access, employee)):
        raise PermissionDenied(_("Anda tidak dapat mencatat pelatihan pegawai ini."))
    if course is not None:
        if course.agency_id != employee.agency_id:
            raise PermissionDenied
        title = title or course.title
        kind = kind or course.kind
        if hours_jp in (None, ""):
            hours_jp = course.hours_jp
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Judul pelatihan wajib diisi."))
    if kind not in TrainingKind.values:
        raise ValidationError(_("Jenis pelatihan tidak dikenal."))
    start = _date(start, _("Tanggal mulai"))
    end = _date(end, _("Tanggal selesai"))
    hours = _jp(hours_jp)
    problem = rules.jp_problem(start, end, hours, today or timezone.localdate())
    if problem is not None:
        raise ValidationError(
            _(JP_MESSAGES[problem])
            % {
                "days": (end - start).days + 1 if problem != "too_long" else rules.MAX_RECORD_DAYS,
                "year": rules.EARLIEST_YEAR,
                "hours": hours,
                "per_day": rules.MAX_JP_PER_DAY,
            }
        )
    fields = documents.store_document(upload, employee.agency_id) if upload else {}
    with transaction.atomic():
        row = TrainingRecord.objects.create(
            agency_id=employee.agency_id,
            employee=employee,
            course=course,
            title=title,
            kind=kind,
            start=start,
            end=end,
            hours_jp=hours,
            created_by=actor,
            **fields,
        )
        record(
            "followup.training.create",
            actor=actor,
            agency=employee.agency,
            target=row,
            subject=employee,
            after=snapshot(row),
        )
    return row


def suggested_areas(evaluation):
    """Development areas from an evaluation: every core value rated Di Bawah and every RHK
    rated Di Bawah; the overall perilaku/hasil rating when no detailed row says more."""
    if evaluation is None:
        return []
    areas = []
    for row in evaluation.behaviour_rows.all():
        if row.rating == "di_bawah":
            areas.append(
                {"source": "perilaku", "ref": row.value, "label": berakhlak.NAMES[row.value]}
            )
    for row in evaluation.rhk_rows.select_related("rhk"):
        if row.rating == "di_bawah":
            areas.append({"source": "rhk", "ref": row.rhk_id, "label": row.rhk.text[:200]})
    if not any(a["source"] == "perilaku" for a in areas) and evaluation.perilaku == "di_bawah":
        areas.append({"source": "perilaku", "ref": None, "label": _("Perilaku kerja (BerAKHLAK)")})
    if not any(a["source"] == "rhk" for a in areas) and evaluation.hasil == "di_bawah":
        areas.append({"source": "rhk", "ref": None, "label": _("Hasil kerja")})
    return areas


def development_plan_save(*, actor, employee, year, goals="", course_ids=(), areas=None):
    access = _access(actor)
    if not manages(access, employee):
        raise PermissionDenied(_("Anda tidak dapat menyusun rencana pengembangan pegawai ini."))
    evaluation = selectors.annual_evaluation(employee, year)
    if areas is None:
        areas = suggested_areas(evaluation)
    courses = list(TrainingCourse.objects.filter(agency_id=employee.agency_id, pk__in=course_ids))
    if len(courses) != len(set(course_ids)):
        raise ValidationError(_("Pelatihan yang dipilih tidak ada dalam katalog."))
    with transaction.atomic():
        plan, created = DevelopmentPlan.objects.get_or_create(
            agency_id=employee.agency_id, employee=employee, year=year
        )
        before = None if created else snapshot(plan, ["areas", "goals"])
        plan.evaluation = evaluation
        plan.areas = areas
        plan.goals = (goals or "").strip()
        plan.updated_by = actor
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


# --- mentors --------------------------------------------------------------------------------

NEEDS_IMPROVEMENT = {"butuh_perbaikan", "kurang", "sangat_kurang"}


def mentor_suggestions(access, year):
    """[(mentee, [mentors])]: employees visible to `access` whose annual predikat of `year` is
    Butuh Perbaikan or worse, each with the agency's Sangat Baik employees of the same
    position family (rules.position_family). Three queries."""
    history = selectors.annual_predikat_history(access.agency_id, years=[year])
    predikat = {e: rows[0][1] for e, rows in history.items()}
    mentee_ids = [e for e, p in predikat.items() if p in NEEDS_IMPROVEMENT]
    mentor_ids = [e for e, p in predikat.items() if p == Predikat.SANGAT_BAIK]
    mentees = list(
        Employee.objects.filter(access.employee_filter(), pk__in=mentee_ids, is_active=True)
        .select_related("position", "unit")
        .order_by("name")
    )
    mentors = list(
        Employee.objects.filter(
            agency_id=access.agency_id, pk__in=mentor_ids, is_active=True
        ).select_related("position", "unit")
    )

    def family(e):
        return rules.position_family(e.position.kind, e.position.name) if e.position_id else ""

    by_family = {}
    for m in mentors:
        by_family.setdefault(family(m), []).append(m)
    return [(e, by_family.get(family(e), [])) for e in mentees if family(e)]


def pairing_create(*, actor, mentor, mentee, goals, start, notes="", end=None):
    access = _access(actor)
    if not manages(access, mentee):
        raise PermissionDenied(_("Anda tidak dapat menetapkan mentor untuk pegawai ini."))
    if mentor.agency_id != mentee.agency_id:
        raise PermissionDenied
    if mentor.pk == mentee.pk:
        raise ValidationError(_("Mentor dan pegawai yang dibimbing tidak boleh orang yang sama."))
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError(_("Sasaran pendampingan wajib diisi."))
    start = _date(start, _("Tanggal mulai"))
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    with transaction.atomic():
        pairing = MentorPairing.objects.create(
            agency_id=mentee.agency_id,
            mentor=mentor,
            mentee=mentee,
            goals=goals,
            notes=(notes or "").strip(),
            start=start,
            end=end,
            created_by=actor,
        )
        record(
            "followup.mentor.create",
            actor=actor,
            agency=mentee.agency,
            target=pairing,
            subject=mentee,
            after=snapshot(pairing),
        )
    return pairing


# --- credit points --------------------------------------------------------------------------


def _jenjang_of(employee):
    position = employee.position if employee.position_id else None
    if position is None or position.kind != Position.Kind.FUNGSIONAL or not position.jenjang:
        raise ValidationError(
            _("Angka kredit hanya untuk jabatan fungsional; %(name)s menduduki %(kind)s.")
            % {
                "name": employee.full_name,
                "kind": position.get_kind_display() if position else _("tanpa jabatan"),
            }
        )
    return position


def credit_points_record(*, actor, employee, year, months=12, predikat=None):
    """Convert the annual predikat of `year` into angka kredit for the employee's jenjang."""
    _require_admin(actor, employee.agency_id)
    position = _jenjang_of(employee)
    evaluation = selectors.annual_evaluation(employee, year)
    if predikat in (None, ""):
        if evaluation is None:
            raise ValidationError(
                _("Belum ada predikat tahunan %(year)s untuk pegawai ini.") % {"year": year}
            )
        predikat = selectors.effective_predikat(evaluation)
    if predikat not in PREDIKAT_LABELS:
        raise ValidationError(_("Predikat tidak dikenal."))
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= 12:
        raise ValidationError(_("Jumlah bulan harus 1 sampai 12."))
    used = sum(
        CreditPoints.objects.filter(employee=employee, year=year)
        .exclude(jenjang=position.jenjang)
        .values_list("months", flat=True)
    )
    if used + months > 12:
        raise ValidationError(
            _("Jumlah bulan dalam tahun %(year)s melebihi 12 (sudah tercatat %(used)s bulan).")
            % {"year": year, "used": used}
        )
    points = ak_credit_points(Predikat(predikat), position.jenjang, months)
    with transaction.atomic():
        row = CreditPoints.objects.filter(
            employee=employee, year=year, jenjang=position.jenjang
        ).first()
        before = snapshot(row) if row else None
        row = row or CreditPoints(
            agency_id=employee.agency_id, employee=employee, year=year, jenjang=position.jenjang
        )
        row.position_name = position.name
        row.predikat = predikat
        row.months = months
        row.points = points
        row.evaluation = evaluation
        row.created_by = actor
        row.save()
        record(
            "followup.credit_points.save",
            actor=actor,
            agency=employee.agency,
            target=row,
            subject=employee,
            before=before,
            after=snapshot(row),
        )
    return row


def convert_credit_points(*, agency, year, actor=None):
    """Angka kredit of `year` for every functional employee with an annual predikat and no
    row yet (12 months at the current jenjang), set-based; idempotent."""
    history = selectors.annual_predikat_history(agency, years=[year])
    evaluations = selectors.annual_evaluations(agency, year)
    done = set(
        CreditPoints.objects.filter(agency=agency, year=year).values_list("employee_id", flat=True)
    )
    employees = (
        Employee.objects.filter(
            agency=agency,
            pk__in=[e for e in history if e not in done],
            position__kind=Position.Kind.FUNGSIONAL,
        )
        .exclude(position__jenjang="")
        .select_related("position")
    )
    rows = [
        CreditPoints(
            agency_id=agency.pk,
            employee=e,
            year=year,
            position_name=e.position.name,
            jenjang=e.position.jenjang,
            predikat=history[e.pk][0][1],
            months=12,
            points=ak_credit_points(Predikat(history[e.pk][0][1]), e.position.jenjang, 12),
            evaluation_id=evaluations.get(e.pk),
            created_by=actor,
        )
        for e in employees
    ]
    with transaction.atomic():
        created = CreditPoints.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        bulk_record(
            [
                AuditEvent(
                    agency_id=agency.pk,
                    actor=actor,
                    actor_label=actor.get_username() if actor is not None else "sistem",
                    action="followup.credit_points.convert",
                    target_type="followup.creditpoints",
                    after={"year": year, "created": len(created)},
                )
            ]
        )
    return len(created)


def record_export(action, *, actor, agency, unit=None, year=None):
    """Record an export of the follow-up report (`action`: followup.report.export.<format>)."""
    record(
        action,
        actor=actor,
        agency=agency,
        target=unit,
        after={"year": year, "unit": unit.pk if unit else None},
    )
