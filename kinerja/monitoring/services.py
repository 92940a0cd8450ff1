"""Write operations of execution and monitoring: one keyword-only function per
action, used by the pages and the API alike. Each validates, saves inside a
transaction and records itself in the audit trail; errors are ValidationErrors
with an Indonesian message and nothing is saved."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, snapshot
from kinerja.org.access import superior_of
from kinerja.org.models import Employee
from kinerja.planning import berakhlak
from kinerja.planning.models import Skp

from . import uploads
from .models import (
    ActionPlanStep,
    AgreedAction,
    CoachingSession,
    DailyLog,
    Dialogue,
    Evidence,
    Feedback,
    FeedbackRequest,
    Notification,
    ProjectReport,
    Realisasi,
    RhkTakeover,
)
from .notify import notify
from .selectors import is_rater, period_closed, period_for_date, period_open

TEXT_MAX = 5000

# B.1.8: the employee's feedback on a coaching/mentoring session (nine items).
SESSION_FEEDBACK_ITEMS = (
    ("Tentang pegawai", "Saya merasa diperhatikan dan dipahami"),
    ("Tentang pegawai", "Saya merasa tindakan/langkah yang telah saya lakukan dihargai"),
    ("Tentang pegawai", "Saya merasa dapat dengan bebas mengemukakan pendapat/pemikiran saya"),
    (
        "Tentang pimpinan",
        "Saya merasa bahwa pandangan yang diberikan berdasarkan data/fakta yang akurat",
    ),
    (
        "Tentang pimpinan",
        "Saya merasa bahwa pandangan/pendapat yang diberikan kepada saya bersifat positif",
    ),
    ("Tentang pimpinan", "Lebih banyak menggunakan metode bertanya dibandingkan menggurui"),
    (
        "Tentang pegawai dan pimpinan",
        "Saya merasa dibantu dalam mencari solusi dan aksi tindak lanjut",
    ),
    (
        "Tentang pegawai dan pimpinan",
        "Saya tahu apa yang harus saya lakukan setelah mengikuti kegiatan bimbingan kinerja ini",
    ),
    (
        "Tentang pegawai dan pimpinan",
        "Saya memahami maksud dan tujuan kegiatan bimbingan kinerja ini",
    ),
)

# B.1.9: competencies evaluated on a 1-5 scale after coaching.
COMPETENCIES = (
    ("Manajerial", "Integritas"),
    ("Manajerial", "Kerjasama"),
    ("Manajerial", "Komunikasi"),
    ("Manajerial", "Orientasi pada Hasil"),
    ("Manajerial", "Pelayanan Publik"),
    ("Manajerial", "Pengembangan Diri dan Orang Lain"),
    ("Manajerial", "Mengelola Perubahan"),
    ("Manajerial", "Pengambilan Keputusan"),
    ("Sosio Kultural", "Perekat dan Pemersatu Bangsa"),
)
COMPETENCY_SCALE = {
    1: "Sangat Kurang",
    2: "Kurang Memadai",
    3: "Memadai",
    4: "Diatas Memadai",
    5: "Istimewa",
}

# The sections of forms B.1.6 (coaching), B.1.7 (mentoring), B.1.10 (counselling).
FORM_FIELDS = {
    CoachingSession.Kind.COACHING: (
        ("tujuan", "Tujuan: apa yang ingin saya capai? (IKI, baseline, target, strategi)"),
        ("fakta", "Fakta: di mana saya sekarang? (progres, masalah/hambatan, penyebab)"),
        ("peluang", "Peluang: apa yang dapat saya lakukan?"),
        ("langkah", "Langkah ke depan: strategi mengatasi masalah/hambatan"),
        ("penyesuaian_target", "Penyesuaian ukuran keberhasilan dan target (ya/tidak)"),
    ),
    CoachingSession.Kind.MENTORING: (
        ("keahlian", "Keahlian/keterampilan spesifik yang akan dikembangkan"),
        ("jangka_waktu", "Jangka waktu mentoring"),
        ("perubahan", "Perubahan yang diharapkan"),
        ("ukuran", "Ukuran keberhasilan mentoring"),
        ("bentuk", "Bentuk (shadowing, work sharing, hands-on training, introducing)"),
        ("jurnal", "Jurnal: materi mentoring, rencana aksi dan target waktunya"),
    ),
    CoachingSession.Kind.COUNSELLING: (
        ("masalah", "Masalah perilaku kerja berdasarkan nilai dasar ASN"),
        ("ekspektasi_khusus", "Ekspektasi khusus terhadap yang bersangkutan"),
        ("uraian", "Uraian permasalahan yang menghambat kinerja individu, unit, atau tim"),
        ("terjadi_pada_lainnya", "Permasalahan serupa terjadi pada pegawai lain? (ya/tidak)"),
        ("retrospektif", "Retrospektif: yang sudah dilakukan untuk memperbaiki perilaku"),
    ),
}


# --- helpers --------------------------------------------------------------------------


def actor_employee(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    cached = getattr(actor, "_monitoring_employee", False)
    if cached is False:
        cached = (
            Employee.objects.filter(user=actor, agency_id=actor.agency_id)
            .select_related("position", "unit")
            .first()
        )
        actor._monitoring_employee = cached
    return cached


def _me(actor):
    me = actor_employee(actor)
    if me is None:
        raise ValidationError(_("Akun Anda tidak terhubung dengan data pegawai."))
    return me


def _same_agency(actor, obj):
    if actor is None or actor.agency_id != obj.agency_id:
        raise ValidationError(_("Data berasal dari instansi lain."))


def _text(value, label, *, required=True, limit=TEXT_MAX):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("%(label)s wajib diisi.") % {"label": label})
    if len(value) > limit:
        raise ValidationError(
            _("%(label)s terlalu panjang (maksimal %(n)s karakter).") % {"label": label, "n": limit}
        )
    return value


def _today(today):
    return today or timezone.localdate()


def _audit(action, actor, obj, *, subject=None, before=None, after=None, note=""):
    record(
        action,
        actor=actor,
        agency=obj.agency,
        target=obj,
        subject=subject,
        before=before,
        after=after,
        note=note,
    )


def _user_of(employee):
    return getattr(employee, "user", None) if employee is not None else None


def _require_rater(me, employee, today, message):
    if not is_rater(me, employee, today):
        raise ValidationError(message)


def to_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Realisasi angka tidak valid: %(v)s") % {"v": value}) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError(_("Realisasi angka tidak valid: %(v)s") % {"v": value})
    return number


# --- realisasi ------------------------------------------------------------------------


def check_period_open(period, today):
    if period.year.status == "closed" or today > period.window_end:
        raise ValidationError(
            _("Periode %(p)s sudah ditutup (batas %(d)s); realisasi tidak dapat diubah.")
            % {"p": period.label, "d": period.window_end.strftime("%d-%m-%Y")}
        )
    if today < period.start:
        raise ValidationError(
            _("Periode %(p)s belum dibuka; realisasi dapat diisi mulai %(d)s.")
            % {"p": period.label, "d": period.start.strftime("%d-%m-%Y")}
        )


@transaction.atomic
def realisasi_save(*, actor, iki, period, value=None, narrative="", today=None):
    """Create or update the realisasi of one IKI in one period (the owner only)."""
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, iki)
    skp = iki.rhk.skp
    if skp.employee_id != me.pk:
        raise ValidationError(_("Anda hanya dapat mengisi realisasi SKP Anda sendiri."))
    if skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup; realisasi tidak dapat diisi."))
    if period.year_id != skp.year_id or period.agency_id != iki.agency_id:
        raise ValidationError(_("Periode tidak termasuk tahun SKP ini."))
    check_period_open(period, today)
    value = to_decimal(value)
    narrative = _text(narrative, _("Uraian realisasi"), required=False)
    if value is None and not narrative:
        raise ValidationError(_("Isi realisasi berupa angka atau uraian."))
    obj = Realisasi.objects.select_for_update().filter(iki=iki, period=period).first()
    before = snapshot(obj, ["value", "narrative"]) if obj else None
    if obj is None:
        obj = Realisasi(agency_id=iki.agency_id, employee=me, iki=iki, period=period)
    obj.value = value
    obj.narrative = narrative
    obj.submitted_by = me
    obj.save()
    _audit(
        "monitoring.realisasi.save",
        actor,
        obj,
        subject=me,
        before=before,
        after=snapshot(obj, ["value", "narrative"]),
    )
    return obj


# --- evidence -------------------------------------------------------------------------


def _evidence_parent(me, realisasi, log, today):
    if (realisasi is None) == (log is None):
        raise ValidationError(_("Bukti dukung harus melekat pada satu realisasi atau catatan."))
    parent = realisasi or log
    if parent.employee_id != me.pk:
        raise ValidationError(_("Anda hanya dapat menambah bukti dukung milik Anda sendiri."))
    if realisasi is not None:
        check_period_open(realisasi.period, today)
    else:
        _check_log_date(log.agency_id, log.date, today)
    return parent


def _url_for(evidence_parent):
    if isinstance(evidence_parent, Realisasi):
        return reverse("monitoring:realisasi_detail", args=[evidence_parent.pk])
    return reverse("monitoring:log_detail", args=[evidence_parent.pk])


@transaction.atomic
def evidence_add_file(*, actor, upload, realisasi=None, log=None, today=None):
    today = _today(today)
    me = _me(actor)
    parent = _evidence_parent(me, realisasi, log, today)
    checked = uploads.check_upload(upload)
    stored_name, digest = uploads.store(upload, parent.agency_id)
    evidence = Evidence.objects.create(
        agency_id=parent.agency_id,
        owner=me,
        realisasi=realisasi,
        log=log,
        kind=Evidence.Kind.FILE,
        stored_name=stored_name,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
    )
    _audit(
        "monitoring.evidence.add",
        actor,
        evidence,
        subject=me,
        after=snapshot(evidence, ["kind", "original_name", "content_type", "size", "sha256"]),
    )
    return evidence


def check_link(url):
    url = (url or "").strip()
    if len(url) > 1000:
        raise ValidationError(_("Tautan terlalu panjang."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(
            _("Tautan tidak valid; gunakan alamat http:// atau https://.")
        ) from exc
    return url


@transaction.atomic
def evidence_add_link(*, actor, url, realisasi=None, log=None, today=None):
    today = _today(today)
    me = _me(actor)
    parent = _evidence_parent(me, realisasi, log, today)
    url = check_link(url)
    evidence = Evidence.objects.create(
        agency_id=parent.agency_id,
        owner=me,
        realisasi=realisasi,
        log=log,
        kind=Evidence.Kind.LINK,
        url=url,
    )
    _audit(
        "monitoring.evidence.add", actor, evidence, subject=me, after={"kind": "link", "url": url}
    )
    return evidence


@transaction.atomic
def evidence_review(*, actor, evidence, insufficient, note="", today=None):
    """The rater marks evidence insufficient (results, not activity) and asks for
    another, or accepts it again. The owner is notified."""
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, evidence)
    owner = evidence.owner
    _require_rater(
        me, owner, today, _("Hanya pejabat penilai yang dapat memeriksa bukti dukung ini.")
    )
    note = _text(note, _("Catatan"), required=insufficient)
    before = snapshot(evidence, ["status", "review_note"])
    evidence.status = Evidence.Status.INSUFFICIENT if insufficient else Evidence.Status.OK
    evidence.review_note = note
    evidence.reviewed_by = me
    evidence.reviewed_at = timezone.now()
    evidence.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    _audit(
        "monitoring.evidence.review",
        actor,
        evidence,
        subject=owner,
        before=before,
        after=snapshot(evidence, ["status", "review_note"]),
    )
    if insufficient:
        parent = evidence.realisasi or evidence.log
        notify(
            recipient=_user_of(owner),
            kind=Notification.Kind.EVIDENCE,
            text=_("%(name)s menandai bukti dukung “%(file)s” kurang memadai: %(note)s")
            % {"name": me.full_name, "file": str(evidence), "note": note},
            url=_url_for(parent),
            agency_id=evidence.agency_id,
        )
    return evidence


def record_download(*, actor, evidence):
    record(
        "monitoring.evidence.download",
        actor=actor,
        agency=evidence.agency,
        target=evidence,
        subject=evidence.owner,
    )


# --- daily log ------------------------------------------------------------------------


def _check_log_date(agency_id, date, today):
    if date > today:
        raise ValidationError(_("Tanggal catatan tidak boleh di masa depan."))
    period = period_for_date(agency_id, date)
    if period is None:
        raise ValidationError(
            _("Tanggal %(d)s di luar periode penilaian.") % {"d": f"{date:%d-%m-%Y}"}
        )
    if period_closed(period, today):
        raise ValidationError(
            _("Periode %(p)s sudah ditutup; catatan tanggal %(d)s tidak dapat diubah.")
            % {"p": period.label, "d": f"{date:%d-%m-%Y}"}
        )
    return period


@transaction.atomic
def log_create(*, actor, rhk, date, text, duration_minutes=None, today=None):
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, rhk)
    if not isinstance(date, dt.date):
        raise ValidationError(_("Tanggal tidak valid."))
    skp = rhk.skp
    if skp.employee_id != me.pk or skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("Pilih salah satu RHK dari SKP Anda yang berlaku."))
    period = _check_log_date(me.agency_id, date, today)
    if period.year_id != skp.year_id:
        raise ValidationError(_("Tanggal catatan tidak termasuk tahun SKP ini."))
    text = _text(text, _("Uraian kegiatan"))
    if duration_minutes in ("", None):
        duration_minutes = None
    else:
        try:
            duration_minutes = int(duration_minutes)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Durasi harus berupa bilangan menit.")) from exc
        if not 0 < duration_minutes <= 24 * 60:
            raise ValidationError(_("Durasi harus antara 1 dan 1440 menit."))
    log = DailyLog.objects.create(
        agency_id=me.agency_id,
        employee=me,
        date=date,
        rhk=rhk,
        text=text,
        duration_minutes=duration_minutes,
    )
    _audit("monitoring.log.create", actor, log, subject=me, after=snapshot(log))
    return log


@transaction.atomic
def log_delete(*, actor, log, today=None):
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, log)
    if log.employee_id != me.pk:
        raise ValidationError(_("Anda hanya dapat menghapus catatan Anda sendiri."))
    _check_log_date(log.agency_id, log.date, today)
    if log.feedback.exists():
        raise ValidationError(_("Catatan yang sudah mendapat umpan balik tidak dapat dihapus."))
    _audit("monitoring.log.delete", actor, log, subject=me, before=snapshot(log))
    log.delete()


# --- feedback -------------------------------------------------------------------------


def feedback_source(author, employee, today):
    if author.pk == employee.pk:
        return Feedback.Source.SELF
    if is_rater(author, employee, today):
        return Feedback.Source.SUPERIOR
    mine = superior_of(author, on=today)
    if mine is not None and mine.pk == employee.pk:
        return Feedback.Source.SUBORDINATE
    theirs = superior_of(employee, on=today)
    if mine is not None and theirs is not None and mine.pk == theirs.pk:
        return Feedback.Source.PEER
    return Feedback.Source.OTHER


def _feedback_target(employee, rhk, realisasi, log, value):
    given = [x for x in (rhk, realisasi, log) if x is not None] + ([value] if value else [])
    if len(given) != 1:
        raise ValidationError(
            _("Pilih satu sasaran umpan balik: RHK, realisasi, catatan harian, atau nilai dasar.")
        )
    if value is not None and int(value) not in berakhlak.CODES:
        raise ValidationError(_("Nilai dasar BerAKHLAK tidak dikenal."))
    for obj in (realisasi, log):
        if obj is not None and obj.employee_id != employee.pk:
            raise ValidationError(_("Sasaran umpan balik bukan milik pegawai ini."))
    if rhk is not None and rhk.skp.employee_id != employee.pk:
        raise ValidationError(_("RHK ini bukan milik pegawai ini."))
    if realisasi is not None:
        rhk = realisasi.iki.rhk
    if log is not None:
        rhk = log.rhk
    return rhk


def _feedback_url(fb):
    if fb.log_id:
        return reverse("monitoring:log_detail", args=[fb.log_id])
    if fb.realisasi_id:
        return reverse("monitoring:realisasi_detail", args=[fb.realisasi_id])
    return reverse("monitoring:feedback_list")


@transaction.atomic
def feedback_give(
    *,
    actor,
    employee,
    text,
    kind=Feedback.Kind.INCIDENTAL,
    rhk=None,
    realisasi=None,
    log=None,
    value=None,
    request=None,
    today=None,
):
    """Feedback about `employee` on a result or a core value. Anyone of the same
    agency may give incidental feedback (peers' and others' as input); only the
    rater records scheduled feedback."""
    today = _today(today)
    me = _me(actor)
    if employee.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if employee.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat memberi umpan balik kepada diri sendiri."))
    if kind not in Feedback.Kind.values:
        raise ValidationError(_("Jenis umpan balik tidak dikenal."))
    value = int(value) if value not in (None, "") else None
    rhk = _feedback_target(employee, rhk, realisasi, log, value)
    source = feedback_source(me, employee, today)
    if kind == Feedback.Kind.SCHEDULED and source != Feedback.Source.SUPERIOR:
        raise ValidationError(
            _(
                "Umpan balik terjadwal adalah kewajiban pejabat penilai dan hanya dapat "
                "dicatat oleh pejabat penilai %(name)s."
            )
            % {"name": employee.full_name}
        )
    text = _text(text, _("Umpan balik"))
    if request is not None and (request.asked_id != me.pk or request.employee_id != employee.pk):
        raise ValidationError(_("Permintaan umpan balik ini bukan untuk Anda."))
    fb = Feedback.objects.create(
        agency_id=me.agency_id,
        employee=employee,
        author=me,
        rhk=rhk if value is None else None,
        realisasi=realisasi,
        log=log,
        value=value,
        kind=kind,
        source=source,
        text=text,
        request=request,
    )
    if request is not None and request.answered_at is None:
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])
    _audit("monitoring.feedback.give", actor, fb, subject=employee, after=snapshot(fb))
    notify(
        recipient=_user_of(employee),
        kind=Notification.Kind.FEEDBACK,
        text=_("Umpan balik baru dari %(name)s: %(text)s")
        % {"name": me.full_name, "text": text[:200]},
        url=_feedback_url(fb),
        agency_id=fb.agency_id,
    )
    return fb


@transaction.atomic
def feedback_reply(*, actor, parent, text, today=None):
    """A reply in a thread: by the employee concerned or anyone who may see it."""
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, parent)
    root = parent if parent.parent_id is None else parent.parent
    text = _text(text, _("Balasan"))
    reply = Feedback.objects.create(
        agency_id=root.agency_id,
        employee_id=root.employee_id,
        author=me,
        rhk_id=root.rhk_id,
        realisasi_id=root.realisasi_id,
        log_id=root.log_id,
        value=root.value,
        kind=Feedback.Kind.INCIDENTAL,
        source=feedback_source(me, root.employee, today),
        text=text,
        parent=root,
    )
    _audit("monitoring.feedback.reply", actor, reply, subject=root.employee, after=snapshot(reply))
    others = {root.author_id, root.employee_id} - {me.pk}
    for employee in Employee.objects.filter(pk__in=others).select_related("user"):
        notify(
            recipient=employee.user,
            kind=Notification.Kind.FEEDBACK,
            text=_("%(name)s membalas umpan balik: %(text)s")
            % {"name": me.full_name, "text": text[:200]},
            url=_feedback_url(root),
            agency_id=root.agency_id,
        )
    return reply


@transaction.atomic
def feedback_ask(*, actor, asked, rhk=None, message=""):
    me = _me(actor)
    if asked.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if asked.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat meminta umpan balik kepada diri sendiri."))
    if rhk is not None and rhk.skp.employee_id != me.pk:
        raise ValidationError(_("RHK ini bukan milik Anda."))
    message = _text(message, _("Pesan"), required=False)
    req = FeedbackRequest.objects.create(
        agency_id=me.agency_id, employee=me, asked=asked, rhk=rhk, message=message
    )
    _audit("monitoring.feedback.ask", actor, req, subject=me, after=snapshot(req))
    notify(
        recipient=_user_of(asked),
        kind=Notification.Kind.FEEDBACK_REQUEST,
        text=_("%(name)s meminta umpan balik dari Anda.") % {"name": me.full_name},
        url=reverse("monitoring:feedback_new", args=[me.pk]) + f"?request={req.pk}",
        agency_id=req.agency_id,
    )
    return req


# --- action plan, takeover, project report --------------------------------------------


def _owner_or_rater(me, rhk, today, message):
    owner = rhk.skp.employee
    if me.pk == owner.pk or is_rater(me, owner, today):
        return owner
    raise ValidationError(message)


@transaction.atomic
def step_add(*, actor, rhk, text, due, today=None):
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, rhk)
    owner = _owner_or_rater(
        me, rhk, today, _("Rencana aksi disusun oleh pegawai bersama pejabat penilainya.")
    )
    if rhk.skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup."))
    text = _text(text, _("Langkah"))
    if not isinstance(due, dt.date):
        raise ValidationError(_("Target waktu tidak valid."))
    year = rhk.skp.year
    if not year.start <= due <= year.end:
        raise ValidationError(_("Target waktu harus di dalam tahun %(y)s.") % {"y": year.year})
    step = ActionPlanStep.objects.create(
        agency_id=rhk.agency_id, rhk=rhk, text=text, due=due, created_by=me
    )
    _audit("monitoring.step.add", actor, step, subject=owner, after=snapshot(step))
    return step


@transaction.atomic
def step_done(*, actor, step, done=True, today=None):
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, step)
    owner = _owner_or_rater(me, step.rhk, today, _("Anda tidak berhak mengubah rencana aksi ini."))
    before = {"done_at": step.done_at}
    step.done_at = today if done else None
    step.save(update_fields=["done_at"])
    _audit(
        "monitoring.step.done",
        actor,
        step,
        subject=owner,
        before=before,
        after={"done_at": step.done_at},
    )
    return step


@transaction.atomic
def rhk_takeover(*, actor, rhk, note, date=None, today=None):
    """Art. 20: after adjustment and coaching, the rater takes the RHK over with
    a note that the employee could not complete it."""
    today = _today(today)
    me = _me(actor)
    _same_agency(actor, rhk)
    owner = rhk.skp.employee
    _require_rater(me, owner, today, _("Hanya pejabat penilai yang dapat mengambil alih RHK."))
    if RhkTakeover.objects.filter(rhk=rhk).exists():
        raise ValidationError(_("RHK ini sudah diambil alih."))
    note = _text(note, _("Catatan pengambilalihan"))
    has_coaching = CoachingSession.objects.filter(employee=owner).exists()
    if not has_coaching:
        raise ValidationError(
            _(
                "Ambil alih RHK hanya setelah penyesuaian dan pembinaan kinerja: catat dahulu "
                "sesi coaching, mentoring, atau konseling untuk pegawai ini."
            )
        )
    obj = RhkTakeover.objects.create(
        agency_id=rhk.agency_id, rhk=rhk, by=me, note=note, date=date or today
    )
    _audit("monitoring.rhk.takeover", actor, obj, subject=owner, after=snapshot(obj))
    notify(
        recipient=_user_of(owner),
        kind=Notification.Kind.COACHING,
        text=_("%(name)s mengambil alih RHK “%(rhk)s”: %(note)s")
        % {"name": me.full_name, "rhk": str(rhk), "note": note[:200]},
        url=reverse("monitoring:rhk_detail", args=[rhk.pk]),
        agency_id=rhk.agency_id,
    )
    return obj


@transaction.atomic
def report_save(*, actor, rhk, achievements, challenges):
    """A member's report on a finished team RHK: on their own RHK or on the
    superior's RHK that their RHK intervenes in."""
    me = _me(actor)
    _same_agency(actor, rhk)
    member = rhk.skp.employee_id == me.pk or rhk.interventions.filter(skp__employee=me).exists()
    if not member:
        raise ValidationError(_("Anda bukan anggota tim RHK ini."))
    achievements = _text(achievements, _("Capaian"))
    challenges = _text(challenges, _("Tantangan"))
    obj = ProjectReport.objects.filter(rhk=rhk, author=me).first()
    before = snapshot(obj, ["achievements", "challenges"]) if obj else None
    if obj is None:
        obj = ProjectReport(agency_id=rhk.agency_id, rhk=rhk, author=me)
    obj.achievements = achievements
    obj.challenges = challenges
    obj.save()
    _audit(
        "monitoring.report.save",
        actor,
        obj,
        subject=me,
        before=before,
        after=snapshot(obj, ["achievements", "challenges"]),
    )
    return obj


# --- coaching -------------------------------------------------------------------------


@transaction.atomic
def coaching_create(
    *,
    actor,
    employee,
    kind,
    date,
    topic,
    details=None,
    follow_up="",
    place="",
    value=None,
    today=None,
):
    """Records a coaching/mentoring session or a counselling (forms B.1.6,
    B.1.7, B.1.10). The rater, or a superior higher in the chain (coaching may
    be given by another assigned person, who reports to the rater)."""
    today = _today(today)
    me = _me(actor)
    if employee.agency_id != me.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if kind not in CoachingSession.Kind.values:
        raise ValidationError(_("Jenis pembinaan tidak dikenal."))
    if employee.pk == me.pk:
        raise ValidationError(_("Anda tidak dapat membina diri sendiri."))
    below = (
        employee.position_id
        and me.position_id
        and employee.position_id != me.position_id
        and employee.position.path.startswith(me.position.path)
    )
    if not (is_rater(me, employee, today) or below):
        raise ValidationError(
            _("Hanya pejabat penilai atau atasan pegawai yang mencatat pembinaan.")
        )
    if not isinstance(date, dt.date) or date > today:
        raise ValidationError(_("Tanggal pembinaan tidak boleh di masa depan."))
    topic = _text(topic, _("Topik"), limit=300)
    allowed = {key for key, _label in FORM_FIELDS[kind]}
    details = {k: _text(v, k, required=False) for k, v in (details or {}).items() if k in allowed}
    if kind == CoachingSession.Kind.COUNSELLING:
        if value in (None, "") or int(value) not in berakhlak.CODES:
            raise ValidationError(_("Konseling kinerja: pilih nilai dasar BerAKHLAK yang dibahas."))
        value = int(value)
    else:
        value = None
    session = CoachingSession.objects.create(
        agency_id=me.agency_id,
        kind=kind,
        employee=employee,
        coach=me,
        date=date,
        place=_text(place, _("Tempat"), required=False, limit=200),
        topic=topic,
        value=value,
        details=details,
        follow_up=_text(follow_up, _("Tindak lanjut"), required=False),
    )
    _audit("monitoring.coaching.create", actor, session, subject=employee, after=snapshot(session))
    notify(
        recipient=_user_of(employee),
        kind=Notification.Kind.COACHING,
        text=_("%(name)s mencatat %(kind)s untuk Anda; isi umpan balik Anda atas sesi ini.")
        % {"name": me.full_name, "kind": session.get_kind_display()},
        url=reverse("monitoring:coaching_detail", args=[session.pk]),
        agency_id=session.agency_id,
    )
    return session


@transaction.atomic
def coaching_employee_feedback(*, actor, session, answers, comment=""):
    """B.1.8: nine agree (True) / disagree (False) items, by the employee."""
    me = _me(actor)
    _same_agency(actor, session)
    if session.employee_id != me.pk:
        raise ValidationError(_("Umpan balik sesi diisi oleh pegawai yang dibina."))
    if session.kind == CoachingSession.Kind.COUNSELLING:
        raise ValidationError(_("Format B.1.8 berlaku untuk coaching dan mentoring."))
    answers = list(answers or [])
    if len(answers) != len(SESSION_FEEDBACK_ITEMS) or not all(isinstance(a, bool) for a in answers):
        raise ValidationError(_("Jawab kesembilan pernyataan dengan setuju atau tidak setuju."))
    before = {"answers": session.employee_answers}
    session.employee_answers = answers
    session.employee_comment = _text(comment, _("Komentar"), required=False)
    session.employee_answered_at = timezone.now()
    session.save(update_fields=["employee_answers", "employee_comment", "employee_answered_at"])
    _audit(
        "monitoring.coaching.employee_feedback",
        actor,
        session,
        subject=me,
        before=before,
        after={"answers": answers},
    )
    return session


@transaction.atomic
def coaching_competency(*, actor, session, scores, recommendation=""):
    """B.1.9: the coach scores competencies 1-5 with reasons after the session.
    `scores`: [{"name", "score", "reason"}]; unknown names are technical competencies."""
    me = _me(actor)
    _same_agency(actor, session)
    if session.coach_id != me.pk:
        raise ValidationError(_("Evaluasi kompetensi diisi oleh pembina sesi ini."))
    rows = []
    for row in scores or []:
        name = _text(row.get("name"), _("Kompetensi"), limit=200)
        try:
            score = int(row.get("score"))
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Nilai kompetensi harus 1 sampai 5.")) from exc
        if score not in COMPETENCY_SCALE:
            raise ValidationError(_("Nilai kompetensi harus 1 sampai 5."))
        rows.append(
            {
                "name": name,
                "score": score,
                "reason": _text(row.get("reason"), _("Alasan"), required=False, limit=1000),
            }
        )
    if not rows:
        raise ValidationError(_("Isi nilai sekurang-kurangnya satu kompetensi."))
    before = {"scores": session.competency_scores}
    session.competency_scores = rows
    session.competency_recommendation = _text(recommendation, _("Rekomendasi"), required=False)
    session.competency_evaluated_at = timezone.now()
    session.save(
        update_fields=["competency_scores", "competency_recommendation", "competency_evaluated_at"]
    )
    _audit(
        "monitoring.coaching.competency",
        actor,
        session,
        subject=session.employee,
        before=before,
        after={"scores": rows},
    )
    return session


# --- dialogue and agreed actions ------------------------------------------------------


@transaction.atomic
def dialogue_create(*, actor, participants, scheduled_at, agenda, today=None):
    today = _today(today)
    me = _me(actor)
    participants = list(participants)
    if not participants:
        raise ValidationError(_("Pilih sekurang-kurangnya satu peserta."))
    for employee in participants:
        if employee.agency_id != me.agency_id:
            raise ValidationError(_("Pegawai berasal dari instansi lain."))
        if not is_rater(me, employee, today):
            raise ValidationError(
                _("Dialog kinerja dipimpin oleh atasan: %(name)s bukan bawahan langsung Anda.")
                % {"name": employee.full_name}
            )
    agenda = _text(agenda, _("Agenda"))
    dialogue = Dialogue.objects.create(
        agency_id=me.agency_id, superior=me, scheduled_at=scheduled_at, agenda=agenda
    )
    dialogue.participants.set(participants)
    _audit(
        "monitoring.dialogue.create",
        actor,
        dialogue,
        after={"participants": [p.pk for p in participants], "agenda": agenda},
    )
    for employee in Employee.objects.filter(pk__in=[p.pk for p in participants]).select_related(
        "user"
    ):
        notify(
            recipient=employee.user,
            kind=Notification.Kind.DIALOGUE,
            text=_("Dialog kinerja dijadwalkan %(when)s: %(agenda)s")
            % {
                "when": timezone.localtime(dialogue.scheduled_at).strftime("%d-%m-%Y %H:%M"),
                "agenda": agenda[:150],
            },
            url=reverse("monitoring:dialogue_detail", args=[dialogue.pk]),
            agency_id=dialogue.agency_id,
        )
    return dialogue


@transaction.atomic
def dialogue_record(*, actor, dialogue, notes):
    me = _me(actor)
    _same_agency(actor, dialogue)
    if dialogue.superior_id != me.pk:
        raise ValidationError(_("Hanya atasan yang memimpin dialog yang dapat mencatatnya."))
    before = snapshot(dialogue, ["notes", "held_at"])
    dialogue.notes = _text(notes, _("Catatan dialog"))
    dialogue.held_at = dialogue.held_at or timezone.now()
    dialogue.save(update_fields=["notes", "held_at"])
    _audit(
        "monitoring.dialogue.record",
        actor,
        dialogue,
        before=before,
        after=snapshot(dialogue, ["notes"]),
    )
    return dialogue


@transaction.atomic
def action_add(*, actor, dialogue, owner, text, due):
    me = _me(actor)
    _same_agency(actor, dialogue)
    if dialogue.superior_id != me.pk:
        raise ValidationError(_("Hanya atasan yang memimpin dialog yang dapat mencatatnya."))
    if owner.pk != me.pk and not dialogue.participants.filter(pk=owner.pk).exists():
        raise ValidationError(_("Penanggung jawab harus peserta dialog atau Anda sendiri."))
    if not isinstance(due, dt.date):
        raise ValidationError(_("Batas waktu tidak valid."))
    action = AgreedAction.objects.create(
        agency_id=dialogue.agency_id,
        dialogue=dialogue,
        owner=owner,
        text=_text(text, _("Tindakan")),
        due=due,
    )
    _audit("monitoring.action.add", actor, action, subject=owner, after=snapshot(action))
    if owner.pk != me.pk:
        notify(
            recipient=_user_of(owner),
            kind=Notification.Kind.ACTION,
            text=_("Tindakan yang disepakati untuk Anda (batas %(due)s): %(text)s")
            % {"due": f"{due:%d-%m-%Y}", "text": action.text[:200]},
            url=reverse("monitoring:dialogue_detail", args=[dialogue.pk]),
            agency_id=action.agency_id,
        )
    return action


@transaction.atomic
def action_done(*, actor, action, done=True):
    me = _me(actor)
    _same_agency(actor, action)
    if me.pk not in (action.owner_id, action.dialogue.superior_id):
        raise ValidationError(
            _("Hanya penanggung jawab atau pemimpin dialog yang dapat mengubahnya.")
        )
    before = {"done_at": action.done_at}
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    _audit(
        "monitoring.action.done",
        actor,
        action,
        subject=action.owner,
        before=before,
        after={"done_at": action.done_at},
    )
    return action


@transaction.atomic
def notifications_read(*, actor, ids=None):
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def session_feedback_items():
    return SESSION_FEEDBACK_ITEMS


def period_is_open(period, today=None):
    return period_open(period, _today(today))
