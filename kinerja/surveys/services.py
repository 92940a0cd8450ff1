"""Writes of the survey app: services, periods, public submissions, review, complaints.

Every function is keyword-only, validates, saves in one transaction and records an audit
event (public submissions are anonymous and are not audited one by one: the response row is
the record). Errors are ``ValidationError`` with Indonesian messages, keyed by form field.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kinerja.audit.services import record, snapshot

from .elements import QUESTIONNAIRE
from .models import (
    CODE_LENGTH,
    COMMENT_MAX_LENGTH,
    ELEMENT_FIELDS,
    IkiIkmSource,
    OneTimeCode,
    Response,
    Service,
    SurveyPeriod,
)

# --- Rate limits (fixed windows in the cache: locmem in dev/tests, Redis in production) ------
#: A device (cookie) may answer the same service this many times per day before being flagged.
DEVICE_LIMIT_PER_DAY = getattr(settings, "SURVEY_DEVICE_LIMIT_PER_DAY", 3)
#: An address (salted hash) may submit this many responses per window before being flagged.
ADDRESS_LIMIT = getattr(settings, "SURVEY_ADDRESS_LIMIT", 30)
ADDRESS_WINDOW_SECONDS = getattr(settings, "SURVEY_ADDRESS_WINDOW_SECONDS", 600)
CODE_BATCH_MAX = 2000
# Unambiguous characters for printed codes (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def device_hash(device_id: str) -> str:
    return salted_hmac("kinerja.surveys.device", device_id or "").hexdigest() if device_id else ""


def address_hash(address: str) -> str:
    """A salted hash of the network address: never store the address itself (personal data).
    The day is part of the salt, so hashes cannot be linked across days."""
    if not address:
        return ""
    day = timezone.localdate().isoformat()
    return salted_hmac(f"kinerja.surveys.ip.{day}", address).hexdigest()


def _hit(key: str, window: int) -> int:
    """Count one hit in a fixed window; atomic on Redis and on locmem."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def _rate_flags(*, service, dev_hash, ip_hash, now):
    reasons = []
    if dev_hash:
        day = timezone.localtime(now).date().isoformat()
        key = "skm:dev:" + hashlib.sha256(f"{service.pk}:{dev_hash}:{day}".encode()).hexdigest()
        if _hit(key, 86400) > DEVICE_LIMIT_PER_DAY:
            reasons.append(
                _("Lebih dari %(n)s jawaban dari perangkat yang sama untuk layanan ini hari ini.")
                % {"n": DEVICE_LIMIT_PER_DAY}
            )
    if ip_hash:
        window = int(now.timestamp()) // ADDRESS_WINDOW_SECONDS
        key = "skm:ip:" + hashlib.sha256(f"{ip_hash}:{window}".encode()).hexdigest()
        if _hit(key, ADDRESS_WINDOW_SECONDS) > ADDRESS_LIMIT:
            reasons.append(
                _("Lebih dari %(n)s jawaban dari alamat jaringan yang sama dalam %(m)s menit.")
                % {"n": ADDRESS_LIMIT, "m": ADDRESS_WINDOW_SECONDS // 60}
            )
    return reasons


# --- Services and periods ---------------------------------------------------------------


SERVICE_FIELDS = ("unit", "name", "description", "served_population", "requires_code", "is_active")


def _check_unit(agency, unit):
    if unit is None or unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("Unit tidak ditemukan.")})


@transaction.atomic
def service_create(
    *,
    actor,
    agency,
    unit,
    name,
    description="",
    served_population=None,
    requires_code=False,
    is_active=True,
):
    _check_unit(agency, unit)
    service = Service(
        agency=agency,
        unit=unit,
        name=name.strip(),
        description=description,
        served_population=served_population,
        requires_code=requires_code,
        is_active=is_active,
    )
    service.full_clean()
    service.save()
    record(
        "surveys.service.create",
        actor=actor,
        agency=agency,
        target=service,
        after=snapshot(service),
    )
    return service


@transaction.atomic
def service_update(*, actor, service, **changes):
    before = snapshot(service)
    if "unit" in changes:
        _check_unit(service.agency, changes["unit"])
    for name, value in changes.items():
        if name not in SERVICE_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(service, name, value)
    service.full_clean()
    service.save()
    record(
        "surveys.service.update",
        actor=actor,
        agency=service.agency,
        target=service,
        before=before,
        after=snapshot(service),
    )
    return service


def _check_period(period):
    if period.start and period.end and period.end < period.start:
        raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if period.unit_id and period.service_id:
        raise ValidationError(_("Pilih unit atau layanan, tidak keduanya."))
    for related in (period.unit, period.service):
        if related is not None and related.agency_id != period.agency_id:
            raise ValidationError(_("Unit atau layanan tidak ditemukan."))


@transaction.atomic
def period_create(*, actor, agency, name, start, end, unit=None, service=None):
    period = SurveyPeriod(
        agency=agency, name=name.strip(), start=start, end=end, unit=unit, service=service
    )
    _check_period(period)
    period.full_clean()
    period.save()
    record(
        "surveys.period.create", actor=actor, agency=agency, target=period, after=snapshot(period)
    )
    return period


@transaction.atomic
def period_set_closed(*, actor, period, closed):
    before = snapshot(period)
    period.is_closed = bool(closed)
    period.save(update_fields=["is_closed"])
    record(
        "surveys.period.close" if closed else "surveys.period.reopen",
        actor=actor,
        agency=period.agency,
        target=period,
        before=before,
        after=snapshot(period),
    )
    return period


def open_period_for(service, *, on: dt.date):
    """The open period covering `service` on date `on`, the narrowest scope first
    (service, then the deepest unit, then the agency); None if there is none."""
    candidates = (
        SurveyPeriod.objects.filter(
            agency_id=service.agency_id, is_closed=False, start__lte=on, end__gte=on
        )
        .select_related("unit")
        .order_by("pk")
    )
    matching = [p for p in candidates if p.covers(service)]
    if not matching:
        return None

    def narrowness(p):
        if p.service_id:
            return (2, 0)
        if p.unit_id:
            return (1, p.unit.depth)
        return (0, 0)

    return max(matching, key=narrowness)


# --- Public submission ------------------------------------------------------------------


def _parse_answers(data):
    errors, answers = {}, {}
    for element in QUESTIONNAIRE:
        raw = data.get(element.field)
        if raw in (None, ""):
            errors[element.field] = _("Pilih salah satu jawaban untuk unsur %(name)s.") % {
                "name": element.name
            }
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(raw, bool) or not 1 <= value <= 4:
            errors[element.field] = _("Jawaban unsur %(name)s harus bernilai 1 sampai 4.") % {
                "name": element.name
            }
            continue
        answers[element.field] = value
    return answers, errors


def _parse_profile(data, errors):
    profile = {}
    for name, choices in (
        ("age_group", Response.AgeGroup),
        ("sex", Response.Sex),
        ("education", Response.Education),
        ("occupation", Response.Occupation),
    ):
        value = (data.get(name) or "").strip()
        if value and value not in choices.values:
            errors[name] = _("Pilihan tidak dikenal.")
        profile[name] = value if value in choices.values else ""
    return profile


def response_submit(*, service, data, device_id="", address="", now=None):
    """Store one citizen's answers, all or nothing.

    `data` is the submitted form (u1..u9, profile fields, comment, code, website = honeypot).
    Suspicious submissions (honeypot filled, over a rate limit) are STORED with a pending flag
    and left out of the index until an admin accepts them; the citizen sees the normal thanks.
    Raises ValidationError (a dict by field) for anything a person can correct.
    """
    now = now or timezone.now()
    if not service.is_active:
        raise ValidationError({"__all__": _("Layanan ini tidak menerima survei.")})
    period = open_period_for(service, on=timezone.localtime(now).date())
    if period is None:
        raise ValidationError(
            {"__all__": _("Survei untuk layanan ini sedang tidak dibuka (periode sudah ditutup).")}
        )
    answers, errors = _parse_answers(data)
    profile = _parse_profile(data, errors)
    comment = (data.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _(
            "Saran dan masukan paling banyak %(max)s karakter (Anda menulis %(n)s)."
        ) % {"max": COMMENT_MAX_LENGTH, "n": len(comment)}
    code_text = (data.get("code") or "").strip().upper().replace(" ", "").replace("-", "")
    if service.requires_code and not code_text:
        errors["code"] = _("Masukkan kode yang tercetak pada tanda terima layanan.")
    if errors:
        raise ValidationError(errors)

    flags = []
    if (data.get("website") or "").strip():
        flags.append(_("Kolom jebakan (honeypot) terisi: kemungkinan robot."))
    dev_hash, ip_hash = device_hash(device_id), address_hash(address)
    flags += _rate_flags(service=service, dev_hash=dev_hash, ip_hash=ip_hash, now=now)

    try:
        with transaction.atomic():
            code = None
            if code_text:
                code = (
                    OneTimeCode.objects.select_for_update()
                    .filter(service=service, code=code_text)
                    .first()
                )
                if code is None or code.used_at is not None:
                    raise ValidationError(
                        {"code": _("Kode tidak dikenal atau sudah dipakai untuk survei ini.")}
                    )
                code.used_at = now
                code.save(update_fields=["used_at"])
            response = Response.objects.create(
                agency_id=service.agency_id,
                service=service,
                period=period,
                submitted_at=now,
                **answers,
                **profile,
                comment=comment,
                flag=Response.Flag.PENDING if flags else Response.Flag.NONE,
                flag_reason=" ".join(str(f) for f in flags)[:300],
                device_hash=dev_hash,
                ip_hash=ip_hash,
                one_time_code=code,
            )
    except IntegrityError as exc:  # the same code used twice at the same instant
        raise ValidationError(
            {"code": _("Kode tidak dikenal atau sudah dipakai untuk survei ini.")}
        ) from exc
    return response


# --- Staff actions on responses ----------------------------------------------------------


def _response_change(action, *, actor, response, fields, note=""):
    before = snapshot(response, fields)
    response.save(update_fields=fields)
    record(
        action,
        actor=actor,
        agency=response.agency,
        target=response,
        before=before,
        after=snapshot(response, fields),
        note=note,
    )
    return response


@transaction.atomic
def response_review(*, actor, response, accept):
    """Accept a flagged response into the index, or reject it (kept, never counted)."""
    if response.flag not in (Response.Flag.PENDING, Response.Flag.ACCEPTED, Response.Flag.REJECTED):
        raise ValidationError(_("Jawaban ini tidak ditandai."))
    response.flag = Response.Flag.ACCEPTED if accept else Response.Flag.REJECTED
    return _response_change(
        "surveys.response.accept" if accept else "surveys.response.reject",
        actor=actor,
        response=response,
        fields=["flag"],
    )


@transaction.atomic
def response_moderate(*, actor, response, hidden, reason=""):
    """Hide a response (its comment is not shown and its answers leave the index) or show it
    again. Hiding needs a reason."""
    reason = (reason or "").strip()
    if hidden and not reason:
        raise ValidationError({"reason": _("Tuliskan alasan menyembunyikan jawaban ini.")})
    response.moderation = Response.Moderation.HIDDEN if hidden else Response.Moderation.VISIBLE
    response.moderation_reason = reason[:300] if hidden else ""
    return _response_change(
        "surveys.response.hide" if hidden else "surveys.response.show",
        actor=actor,
        response=response,
        fields=["moderation", "moderation_reason"],
        note=reason,
    )


@transaction.atomic
def complaint_mark(*, actor, response, is_complaint):
    """Mark a comment as a complaint (routed to the unit head, status open) or unmark it."""
    if is_complaint and not response.comment:
        raise ValidationError(_("Jawaban tanpa saran/masukan tidak dapat dijadikan pengaduan."))
    if is_complaint == response.is_complaint:
        return response
    response.is_complaint = is_complaint
    response.complaint_status = (
        Response.ComplaintStatus.OPEN if is_complaint else Response.ComplaintStatus.NONE
    )
    return _response_change(
        "surveys.complaint.mark" if is_complaint else "surveys.complaint.unmark",
        actor=actor,
        response=response,
        fields=["is_complaint", "complaint_status"],
    )


@transaction.atomic
def complaint_update(*, actor, response, status, answer=""):
    if not response.is_complaint:
        raise ValidationError(_("Jawaban ini bukan pengaduan."))
    valid = {
        Response.ComplaintStatus.OPEN,
        Response.ComplaintStatus.IN_PROGRESS,
        Response.ComplaintStatus.ANSWERED,
    }
    if status not in valid:
        raise ValidationError({"status": _("Status pengaduan tidak dikenal.")})
    answer = (answer or "").strip()
    if status == Response.ComplaintStatus.ANSWERED and not answer:
        raise ValidationError({"answer": _("Tuliskan jawaban atau tindak lanjut pengaduan.")})
    if len(answer) > 4000:
        raise ValidationError({"answer": _("Tindak lanjut paling banyak 4000 karakter.")})
    response.complaint_status = status
    fields = ["complaint_status"]
    if answer:
        response.complaint_answer = answer
        response.answered_by = actor
        response.answered_at = timezone.now()
        fields += ["complaint_answer", "answered_by", "answered_at"]
    return _response_change(
        "surveys.complaint.update", actor=actor, response=response, fields=fields
    )


# --- One-time codes ---------------------------------------------------------------------


@transaction.atomic
def codes_generate(*, actor, service, count):
    """A batch of `count` new codes for `service`, to print on receipts."""
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= CODE_BATCH_MAX:
        raise ValidationError(
            {"count": _("Jumlah kode harus 1 sampai %(max)s.") % {"max": CODE_BATCH_MAX}}
        )
    existing = set(OneTimeCode.objects.filter(service=service).values_list("code", flat=True))
    batch = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    codes = set()
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if code not in existing:
            codes.add(code)
    rows = OneTimeCode.objects.bulk_create(
        [
            OneTimeCode(agency_id=service.agency_id, service=service, code=c, batch=batch)
            for c in sorted(codes)
        ]
    )
    record(
        "surveys.codes.generate",
        actor=actor,
        agency=service.agency,
        target=service,
        after={"batch": batch, "count": count},
    )
    return batch, rows


def record_export(action, *, actor, service, rows=None):
    """Record an export of a service's data (`action`: surveys.<what>.export)."""
    record(
        action,
        actor=actor,
        agency=service.agency,
        target=service,
        after={"rows": rows} if rows is not None else None,
    )


# --- IKM as the realisasi of an IKI ---------------------------------------------------------


def _may_link(actor, iki):
    """Admin BKD of the agency, the IKI's owner (the SKP's employee), their rater, or the head
    of a unit above the SKP's unit."""
    from kinerja.org.access import compute_access

    access = compute_access(actor)
    if access.agency_id != iki.agency_id:
        return False
    if access.is_admin:
        return True
    skp = iki.rhk.skp
    me = access.employee
    if me is not None and me.pk in (skp.employee_id, skp.rater_id):
        return True
    return any(skp.unit.path.startswith(p) for p in access.head_unit_paths)


def _check_link(actor, iki):
    if actor is None or getattr(actor, "agency_id", None) != iki.agency_id:
        raise ValidationError(_("IKI tidak ditemukan."))
    if not _may_link(actor, iki):
        raise ValidationError(
            _(
                "Hanya admin BKD, pemilik SKP, atau pejabat penilainya "
                "yang dapat mengatur sumber IKM."
            )
        )


def _iki_for_link(iki):
    from kinerja.planning.models import Iki

    return Iki.objects.select_related("rhk__skp__unit").get(pk=iki.pk)


@transaction.atomic
def iki_ikm_link(*, actor, iki, service=None, unit=None):
    """Take the IKM of `service` (or of `unit`, its services pooled) as the realisasi of `iki`.
    Replaces an existing link of the IKI."""
    iki = _iki_for_link(iki)
    _check_link(actor, iki)
    if (service is None) == (unit is None):
        raise ValidationError(_("Pilih layanan atau unit, tepat salah satu."))
    source = service if service is not None else unit
    if source.agency_id != iki.agency_id:
        raise ValidationError(_("Layanan atau unit tidak ditemukan."))
    existing = IkiIkmSource.objects.select_for_update().filter(iki=iki).first()
    before = snapshot(existing) if existing else None
    link, _created = IkiIkmSource.objects.update_or_create(
        iki=iki,
        defaults={
            "agency_id": iki.agency_id,
            "service": service,
            "unit": unit,
            "created_by": actor,
        },
    )
    record(
        "surveys.iki_source.link",
        actor=actor,
        agency=link.agency,
        target=link,
        subject=iki.rhk.skp.employee,
        before=before,
        after=snapshot(link),
    )
    return link


@transaction.atomic
def iki_ikm_unlink(*, actor, iki):
    """Remove the IKM source of `iki` (existing realisasi stay as they are)."""
    iki = _iki_for_link(iki)
    _check_link(actor, iki)
    link = IkiIkmSource.objects.filter(iki=iki).first()
    if link is None:
        raise ValidationError(_("IKI ini tidak mengambil realisasi dari IKM."))
    before = snapshot(link)
    link.delete()
    record(
        "surveys.iki_source.unlink",
        actor=actor,
        agency=iki.agency,
        target=iki,
        subject=iki.rhk.skp.employee,
        before=before,
    )


def _ikm_narrative(link, result, responses):
    from .elements import KINERJA_LABELS

    value = f"{result.converted:.2f}".replace(".", ",")
    values = {
        "name": link.service.name if link.service_id else link.unit.name,
        "value": value,
        "mutu": result.mutu,
        "kinerja": KINERJA_LABELS.get(result.kinerja, result.kinerja),
        "n": responses,
    }
    if link.service_id:
        text = _(
            "IKM layanan %(name)s: %(value)s (mutu %(mutu)s, %(kinerja)s) dari %(n)s responden"
        )
    else:
        text = _("IKM unit %(name)s: %(value)s (mutu %(mutu)s, %(kinerja)s) dari %(n)s responden")
    return text % values


def sync_ikm_realisasi(*, agency, period, actor=None) -> int:
    """Write the IKM of each linked source into the realisasi of its IKI for `period`
    (a planning.Period): value = the converted IKM (25-100), over period.start..period.end.
    A source without a counted response in the range is skipped, never blanks a realisasi.
    Idempotent: a second run writes the same values. Returns the number of realisasi written.
    """
    from kinerja.monitoring.models import Realisasi

    from .selectors import ikm_for_service, ikm_for_unit

    if period.agency_id != agency.pk:
        raise ValidationError(_("Periode tidak ditemukan."))
    links = list(
        IkiIkmSource.objects.filter(agency=agency, iki__rhk__skp__year_id=period.year_id)
        .select_related("service", "unit", "iki__rhk__skp")
        .order_by("pk")
    )
    written, skipped = 0, 0
    with transaction.atomic():
        for link in links:
            if link.service_id:
                result = ikm_for_service(
                    service=link.service, period_start=period.start, period_end=period.end
                )
            else:
                result = ikm_for_unit(
                    unit=link.unit, period_start=period.start, period_end=period.end
                )
            if result is None:
                skipped += 1
                continue
            responses = max(result.counts.values())
            Realisasi.objects.update_or_create(
                iki_id=link.iki_id,
                period=period,
                defaults={
                    "agency_id": agency.pk,
                    "employee_id": link.iki.rhk.skp.employee_id,
                    "value": result.converted,
                    "narrative": _ikm_narrative(link, result, responses),
                },
            )
            written += 1
        record(
            "surveys.iki_source.sync",
            actor=actor,
            agency=agency,
            target=period,
            after={"links": len(links), "written": written, "skipped": skipped},
        )
    return written


__all__ = [
    "ELEMENT_FIELDS",
    "address_hash",
    "codes_generate",
    "complaint_mark",
    "complaint_update",
    "device_hash",
    "iki_ikm_link",
    "iki_ikm_unlink",
    "open_period_for",
    "period_create",
    "period_set_closed",
    "record_export",
    "response_moderate",
    "response_review",
    "response_submit",
    "service_create",
    "service_update",
    "sync_ikm_realisasi",
]
