"""Kiosks: a tablet at a service counter where citizens answer one after another.

One counter has one network address, so the public form's per-address limit
(`rate_limits.ADDRESS_LIMIT` answers in ten minutes) would hold a busy counter's
answers for review. Whoever manages the service issues a kiosk key for that one
device; the device opens the kiosk link once, keeps the key in a cookie, and
from then on its answers count against the kiosk's own hourly limit instead.
The key is shown once and kept only as a hash; a lost tablet's kiosk is revoked.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.org.models import User

from ..models import Kiosk, Service

KIOSK_NAME_MAX = 80


def kiosk_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def kiosk_for_key(service: Service, key: str) -> Kiosk | None:
    """The active kiosk of `service` whose key this is (None for anything else)."""
    if not key or len(key) > 100:
        return None
    return Kiosk.objects.filter(
        service=service, key_hash=kiosk_key_hash(key), revoked_at__isnull=True
    ).first()


@transaction.atomic
def kiosk_issue(*, actor: User, service: Service, name: str) -> tuple[Kiosk, str]:
    """A new kiosk for `service` and its key (shown once: only the hash is kept)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama perangkat, mis. “Tablet loket 1”.")})
    if len(name) > KIOSK_NAME_MAX:
        raise ValidationError(
            {"name": _("Nama perangkat paling banyak %(max)s karakter.") % {"max": KIOSK_NAME_MAX}}
        )
    if not service.is_active:
        raise ValidationError({"__all__": _("Layanan ini tidak menerima survei.")})
    key = secrets.token_urlsafe(24)
    kiosk = Kiosk.objects.create(
        agency_id=service.agency_id,
        service=service,
        name=name,
        key_hash=kiosk_key_hash(key),
        created_by=actor,
    )
    record(
        "surveys.kiosk.issue",
        actor=actor,
        agency=service.agency,
        target=service,
        after={"kiosk": kiosk.pk, "name": name},
    )
    return kiosk, key


@transaction.atomic
def kiosk_revoke(*, actor: User, kiosk: Kiosk) -> Kiosk:
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    if kiosk.revoked_at is not None:
        raise ValidationError({"__all__": _("Perangkat kios ini sudah dicabut.")})
    kiosk.revoked_at = timezone.now()
    kiosk.revoked_by = actor
    kiosk.save(update_fields=["revoked_at", "revoked_by"])
    record(
        "surveys.kiosk.revoke",
        actor=actor,
        agency=kiosk.service.agency,
        target=kiosk.service,
        before={"kiosk": kiosk.pk, "name": kiosk.name},
    )
    return kiosk
