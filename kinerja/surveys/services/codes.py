"""One-time codes printed on service receipts: a response may use each code once."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.org.models import User

from ..models import CODE_LENGTH, OneTimeCode, Service

CODE_BATCH_MAX = 2000
# Unambiguous characters for printed codes (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _count(value: int | str | None) -> int:
    try:
        count = int(value)  # type: ignore[arg-type]  # None and junk are refused below
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= CODE_BATCH_MAX:
        raise ValidationError(
            {"count": _("Jumlah kode harus 1 sampai %(max)s.") % {"max": CODE_BATCH_MAX}}
        )
    return count


@transaction.atomic
def codes_generate(
    *, actor: User, service: Service, count: int | str | None
) -> tuple[str, list[OneTimeCode]]:
    """A batch of `count` new codes for `service`, to print on receipts. Returns the batch
    name and the codes."""
    count = _count(count)
    existing = set(OneTimeCode.objects.filter(service=service).values_list("code", flat=True))
    batch = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    codes: set[str] = set()
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
