"""What staff set up before citizens answer: the services a unit offers, and the periods a
survey runs (one service, a unit subtree, or the whole agency)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_admin
from kinerja.org.models import Agency, OrgUnit, User

from ..models import Service, SurveyPeriod

SERVICE_FIELDS = ("unit", "name", "description", "served_population", "requires_code", "is_active")


def _check_unit(agency: Agency, unit: OrgUnit | None) -> None:
    if unit is None or unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("Unit tidak ditemukan.")})


@transaction.atomic
def service_create(
    *,
    actor: User,
    agency: Agency,
    unit: OrgUnit,
    name: str,
    description: str = "",
    served_population: int | None = None,
    requires_code: bool = False,
    is_active: bool = True,
) -> Service:
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
    with audited(service, "surveys.service.create", actor=actor, agency=agency):
        service.save()
    return service


@transaction.atomic
def service_update(*, actor: User, service: Service, **changes: Any) -> Service:
    """Change the fields of SERVICE_FIELDS given in `changes` (the form's or the API's)."""
    if "unit" in changes:
        _check_unit(service.agency, changes["unit"])
    with audited(service, "surveys.service.update", actor=actor, agency=service.agency):
        for name, value in changes.items():
            if name not in SERVICE_FIELDS:
                raise TypeError(f"unknown field {name}")
            setattr(service, name, value)
        service.full_clean()
        service.save()
    return service


def _check_period(period: SurveyPeriod) -> None:
    if period.start and period.end and period.end < period.start:
        raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if period.unit_id and period.service_id:
        raise ValidationError(_("Pilih unit atau layanan, tidak keduanya."))
    for related in (period.unit, period.service):
        if related is not None and related.agency_id != period.agency_id:
            raise ValidationError(_("Unit atau layanan tidak ditemukan."))


@transaction.atomic
def period_create(
    *,
    actor: User,
    agency: Agency,
    name: str,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    service: Service | None = None,
) -> SurveyPeriod:
    period = SurveyPeriod(
        agency=agency, name=name.strip(), start=start, end=end, unit=unit, service=service
    )
    _check_period(period)
    period.full_clean()
    with audited(period, "surveys.period.create", actor=actor, agency=agency):
        period.save()
    return period


@transaction.atomic
def period_set_closed(*, actor: User, period: SurveyPeriod, closed: bool) -> SurveyPeriod:
    """Close a period (no more answers) or open it again. Only admin BKD changes an
    agency-wide period; a unit head sees it but may not."""
    if period.unit_id is None and period.service_id is None:
        require_admin(actor, period.agency_id)
    with audited(
        period,
        "surveys.period.close" if closed else "surveys.period.reopen",
        actor=actor,
        agency=period.agency,
    ):
        period.is_closed = bool(closed)
        period.save(update_fields=["is_closed"])
    return period
