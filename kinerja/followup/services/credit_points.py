"""Angka kredit (credit points) of functional employees from their annual predikat."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_admin
from kinerja.org.models import Agency, Employee, Position, User
from kinerja.rules.angka_kredit import credit_points as ak_credit_points
from kinerja.rules.predikat import Predikat

from .. import selectors
from ..labels import PREDIKAT_LABELS
from ..models import CreditPoints
from .common import record_batch


def _functional_position(employee: Employee) -> Position:
    position = employee.position
    if position is None or position.kind != Position.Kind.FUNGSIONAL or not position.jenjang:
        raise ValidationError(
            _("Angka kredit hanya untuk jabatan fungsional; %(name)s menduduki %(kind)s.")
            % {
                "name": employee.full_name,
                "kind": position.get_kind_display() if position else _("tanpa jabatan"),
            }
        )
    return position


def _months(value: int | str) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= 12:
        raise ValidationError(_("Jumlah bulan harus 1 sampai 12."))
    return months


def credit_points_record(
    *,
    actor: User,
    employee: Employee,
    year: int,
    months: int | str = 12,
    predikat: str | None = None,
) -> CreditPoints:
    """Convert the annual predikat of `year` into angka kredit for the employee's jenjang
    (admin BKD); recording again replaces the year's row of that jenjang."""
    require_admin(actor, employee.agency_id)
    position = _functional_position(employee)
    evaluation = selectors.annual_evaluation(employee, year)
    if predikat in (None, ""):
        if evaluation is None:
            raise ValidationError(
                _("Belum ada predikat tahunan %(year)s untuk pegawai ini.") % {"year": year}
            )
        predikat = selectors.effective_predikat(evaluation)
    if predikat not in PREDIKAT_LABELS:
        raise ValidationError(_("Predikat tidak dikenal."))
    months = _months(months)
    used = sum(
        CreditPoints.objects.filter(employee=employee, year=year, withdrawn_at__isnull=True)
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
        ).first() or CreditPoints(
            agency_id=employee.agency_id, employee=employee, year=year, jenjang=position.jenjang
        )
        with audited(
            row,
            "followup.credit_points.save",
            actor=actor,
            agency=employee.agency,
            subject=employee,
        ):
            row.position_name = position.name
            row.predikat = predikat
            row.months = months
            row.points = points
            row.evaluation = evaluation
            row.created_by = actor
            # Recording the year again puts a withdrawn row back in force.
            row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = None, None, ""
            row.save()
    return row


def credit_points_convert(*, agency: Agency, year: int, actor: User | None = None) -> int:
    """Angka kredit of `year` for every functional employee with an annual predikat and no
    row yet (12 months at the current jenjang), set-based; idempotent. Returns the number of
    new rows."""
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
    rows = []
    for e in employees:
        position = _functional_position(e)
        predikat = history[e.pk][0][1]
        rows.append(
            CreditPoints(
                agency_id=agency.pk,
                employee=e,
                year=year,
                position_name=position.name,
                jenjang=position.jenjang,
                predikat=predikat,
                months=12,
                points=ak_credit_points(Predikat(predikat), position.jenjang, 12),
                evaluation_id=evaluations.get(e.pk),
                created_by=actor,
            )
        )
    with transaction.atomic():
        created = CreditPoints.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        record_batch(
            "followup.credit_points.convert",
            agency=agency,
            actor=actor,
            target_type="followup.creditpoints",
            after={"year": year, "created": len(created)},
        )
    return len(created)
