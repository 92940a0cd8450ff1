"""Rate limits of the public form: fixed windows counted in the cache (locmem in dev and
tests, Redis in production). Going over a limit never drops an answer: it flags it for
review (`responses.response_submit`)."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Service

#: A device (cookie) may answer the same service this many times per day before being flagged.
DEVICE_LIMIT_PER_DAY = getattr(settings, "SURVEY_DEVICE_LIMIT_PER_DAY", 3)
#: An address (salted hash) may submit this many responses per window before being flagged.
ADDRESS_LIMIT = getattr(settings, "SURVEY_ADDRESS_LIMIT", 30)
ADDRESS_WINDOW_SECONDS = getattr(settings, "SURVEY_ADDRESS_WINDOW_SECONDS", 600)
#: A kiosk (a counter's tablet, services.kiosks) may submit this many responses an hour:
#: one citizen every thirty seconds, all day.
KIOSK_LIMIT_PER_HOUR = getattr(settings, "SURVEY_KIOSK_LIMIT_PER_HOUR", 120)


def _hit(key: str, window: int) -> int:
    """Count one hit in a fixed window; atomic on Redis and on locmem."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def kiosk_flags(*, kiosk_id: int, now: dt.datetime) -> list[str]:
    """Count a kiosk's submission against its own hourly limit (instead of the device's
    and the address's): the reason for a flag, if over it."""
    hour = int(now.timestamp()) // 3600
    if _hit(f"skm:kiosk:{kiosk_id}:{hour}", 3600) > KIOSK_LIMIT_PER_HOUR:
        return [
            _("Lebih dari %(n)s jawaban dalam satu jam dari perangkat kios yang sama.")
            % {"n": KIOSK_LIMIT_PER_HOUR}
        ]
    return []


def rate_flags(*, service: Service, dev_hash: str, ip_hash: str, now: dt.datetime) -> list[str]:
    """Count this submission against the device's and the address's limits; the reasons
    for a flag (empty when within both)."""
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
