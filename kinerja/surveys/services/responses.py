"""A citizen's answers from the public form (or its API twin), stored all or nothing."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..elements import QUESTIONNAIRE
from ..hashing import address_hash, device_hash
from ..models import COMMENT_MAX_LENGTH, PROFILE_FIELDS, Kiosk, OneTimeCode, Response, Service
from .kiosks import kiosk_for_key
from .rate_limits import kiosk_flags, rate_flags


def _parse_answers(data: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    errors, answers = {}, {}
    for element in QUESTIONNAIRE:
        raw: Any = data.get(element.field)
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


def _parse_profile(data: Mapping[str, Any], errors: dict[str, str]) -> dict[str, str]:
    profile = {}
    for name, choices in PROFILE_FIELDS:
        value = (data.get(name) or "").strip()
        if value and value not in choices.values:
            errors[name] = _("Pilihan tidak dikenal.")
        profile[name] = value if value in choices.values else ""
    return profile


def _code_text(data: Mapping[str, Any]) -> str:
    """The one-time code as printed, whatever the case, spaces and dashes typed."""
    return (data.get("code") or "").strip().upper().replace(" ", "").replace("-", "")


def _use_code(service: Service, code_text: str, now: dt.datetime) -> OneTimeCode:
    code = OneTimeCode.objects.select_for_update().filter(service=service, code=code_text).first()
    if code is None or code.used_at is not None:
        raise ValidationError(
            {"code": _("Kode tidak dikenal atau sudah dipakai untuk survei ini.")}
        )
    code.used_at = now
    code.save(update_fields=["used_at"])
    return code


def response_submit(
    *,
    service: Service,
    data: Mapping[str, Any],
    device_id: str = "",
    address: str = "",
    kiosk_key: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Store one citizen's answers, all or nothing.

    `data` is the submitted form (u1..u9, profile fields, comment, code, website = honeypot).
    Suspicious submissions (honeypot filled, over a rate limit) are STORED with a pending flag
    and left out of the index until an admin accepts them; the citizen sees the normal thanks.
    A `kiosk_key` of the service's active kiosk (a counter's tablet) replaces the device's
    and the address's limits with the kiosk's own.
    Raises ValidationError (a dict by field) for anything a person can correct.
    """
    now = now or timezone.now()
    if not service.is_active:
        raise ValidationError({"__all__": _("Layanan ini tidak menerima survei.")})
    period = selectors.open_period_for(service, on=timezone.localtime(now).date())
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
    code_text = _code_text(data)
    if service.requires_code and not code_text:
        errors["code"] = _("Masukkan kode yang tercetak pada tanda terima layanan.")
    if errors:
        raise ValidationError(errors)

    flags = []
    if (data.get("website") or "").strip():
        flags.append(_("Kolom jebakan (honeypot) terisi: kemungkinan robot."))
    dev_hash, ip_hash = device_hash(device_id), address_hash(address)
    kiosk = kiosk_for_key(service, kiosk_key) if kiosk_key else None
    if kiosk is not None:
        flags += kiosk_flags(kiosk_id=kiosk.pk, now=now)
        Kiosk.objects.filter(pk=kiosk.pk).update(last_used_at=now)
    else:
        flags += rate_flags(service=service, dev_hash=dev_hash, ip_hash=ip_hash, now=now)

    try:
        with transaction.atomic():
            code = _use_code(service, code_text, now) if code_text else None
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
                kiosk=kiosk,
            )
    except IntegrityError as exc:  # the same code used twice at the same instant
        raise ValidationError(
            {"code": _("Kode tidak dikenal atau sudah dipakai untuk survei ini.")}
        ) from exc
    return response
