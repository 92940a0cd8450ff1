"""Realisasi: what the employee achieved on an IKI in a period (form B.1.2;
docs/domain.md §3)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_employee
from kinerja.org.models import User
from kinerja.planning.models import Iki, Period, Skp

from ..models import Realisasi
from ._checks import clean_text, require_period_open, require_same_agency

RealisasiValue = Decimal | str | int | None


def _realisasi_value(value: RealisasiValue) -> Decimal | None:
    """A number as typed on a page ("6,5") or sent by the API; None when blank."""
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


@transaction.atomic
def realisasi_save(
    *,
    actor: User,
    iki: Iki,
    period: Period,
    value: RealisasiValue = None,
    narrative: str = "",
    today: dt.date | None = None,
) -> Realisasi:
    """Create or update the realisasi of one IKI in one period (the owner only)."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, iki)
    skp = iki.rhk.skp
    if skp.employee_id != me.pk:
        raise PermissionDenied(_("Anda hanya dapat mengisi realisasi SKP Anda sendiri."))
    if skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup; realisasi tidak dapat diisi."))
    if period.year_id != skp.year_id or period.agency_id != iki.agency_id:
        raise ValidationError(_("Periode tidak termasuk tahun SKP ini."))
    require_period_open(period, today, skp.unit)
    number = _realisasi_value(value)
    narrative = clean_text(narrative, _("Uraian realisasi"), required=False)
    if number is None and not narrative:
        raise ValidationError(_("Isi realisasi berupa angka atau uraian."))
    realisasi = Realisasi.objects.select_for_update().filter(iki=iki, period=period).first()
    if realisasi is None:
        realisasi = Realisasi(agency_id=iki.agency_id, employee=me, iki=iki, period=period)
    with audited(
        realisasi,
        "monitoring.realisasi.save",
        actor=actor,
        fields=["value", "narrative"],
        subject=me,
    ):
        realisasi.value = number
        realisasi.narrative = narrative
        realisasi.submitted_by = me
        realisasi.save()
    return realisasi
