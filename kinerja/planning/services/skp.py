"""An employee's SKP as a whole: created for a position, closed when the
employee moves or leaves (a new one begins, the old one is kept with its
versions), its approach, the leader's ekspektasi khusus and the lampiran."""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update, record, snapshot
from kinerja.org.access import superior_of
from kinerja.org.models import Employee, User
from kinerja.rules import planning as rules

from .. import berakhlak, pdf, selectors
from ..models import BehaviourExpectation, PerformanceYear, Skp, SkpVersion
from ._shared import check_editable, check_year_not_closed


def expectation_rows(skp_ids: Iterable[int], agency_id: int) -> list[BehaviourExpectation]:
    """The seven BerAKHLAK rows of each new SKP, unsaved."""
    return [
        BehaviourExpectation(agency_id=agency_id, skp_id=skp_id, value=code)
        for skp_id in skp_ids
        for code in berakhlak.CODES
    ]


def _form_for(employee: Employee) -> str:
    position = employee.position
    return rules.skp_form(
        position_kind=position.kind if position else None,
        is_unit_head=bool(position and position.is_unit_head),
        unit_is_independent=employee.unit.is_independent,
    )


@transaction.atomic
def skp_create(
    *,
    actor: User | None,
    employee: Employee,
    year: PerformanceYear,
    valid_from: dt.date | None = None,
) -> Skp:
    """One draft SKP (the year job does the same set-based)."""
    check_year_not_closed(year)
    if employee.agency_id != year.agency_id:
        raise ValidationError(_("Pegawai berasal dari instansi lain."))
    if Skp.objects.filter(employee=employee, year=year).exclude(status=Skp.Status.DITUTUP).exists():
        raise ValidationError(
            _("%(name)s sudah memiliki SKP yang berlaku untuk tahun %(year)s.")
            % {"name": employee.full_name, "year": year.year}
        )
    valid_from = valid_from or year.start
    if Skp.objects.filter(employee=employee, year=year, valid_from=valid_from).exists():
        raise ValidationError(_("Sudah ada SKP yang mulai berlaku pada tanggal tersebut."))
    rater = superior_of(employee, on=max(valid_from, year.start))
    skp = Skp.objects.create(
        agency_id=employee.agency_id,
        year=year,
        employee=employee,
        position=employee.position,
        unit=employee.unit,
        rater=rater,
        rater_position=rater.position if rater else None,
        form=_form_for(employee),
        approach=year.default_approach,
        valid_from=valid_from,
    )
    BehaviourExpectation.objects.bulk_create(expectation_rows([skp.pk], skp.agency_id))
    record(
        "planning.skp.create", actor=actor, target=skp, subject=skp.employee, after=snapshot(skp)
    )
    return skp


@transaction.atomic
def skp_handle_move(*, actor: User | None, employee: Employee, start: dt.date) -> Skp | None:
    """The employee changed position on `start` (call this after
    org.services.employee_move): the current SKP of that year is closed the day
    before (kept, with its versions) and a new draft begins for the new
    position from `start`. Idempotent."""
    year = PerformanceYear.objects.filter(
        agency_id=employee.agency_id, start__lte=start, end__gte=start
    ).first()
    if year is None or year.status != PerformanceYear.Status.OPEN:
        return None
    existing = Skp.objects.filter(employee=employee, year=year, valid_from=start).first()
    if existing is not None:
        return existing
    _close_current(actor, employee, year, start - dt.timedelta(days=1))
    employee = Employee.objects.select_related("position", "unit").get(pk=employee.pk)
    return skp_create(actor=actor, employee=employee, year=year, valid_from=start)


@transaction.atomic
def skp_handle_leave(*, actor: User | None, employee: Employee, end: dt.date) -> Skp | None:
    """The employee left (retired, moved out): the SKP is closed on `end`."""
    year = PerformanceYear.objects.filter(
        agency_id=employee.agency_id, start__lte=end, end__gte=end
    ).first()
    if year is None:
        return None
    return _close_current(actor, employee, year, end)


def _close_current(
    actor: User | None, employee: Employee, year: PerformanceYear, until: dt.date
) -> Skp | None:
    current = (
        Skp.objects.select_for_update()
        .filter(employee=employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .first()
    )
    if current is None:
        return None
    audited_update(
        current,
        "planning.skp.close",
        actor=actor,
        subject=current.employee,
        changes={
            "closed_status": current.status,
            "status": Skp.Status.DITUTUP,
            "valid_until": max(until, current.valid_from),
        },
        fields=["status", "valid_until"],
    )
    return current


@transaction.atomic
def skp_approach_set(*, actor: User, skp: Skp, approach: str | None) -> Skp:
    check_editable(actor, skp)
    if approach not in Skp.Approach.values:
        raise ValidationError(_("Pendekatan hasil kerja tidak dikenal."))
    audited_update(
        skp,
        "planning.skp.approach",
        actor=actor,
        subject=skp.employee,
        changes={"approach": approach},
    )
    return skp


@transaction.atomic
def skp_expectations_set(*, actor: User, skp: Skp, values: Mapping[int, str]) -> list[int]:
    """values: {value code 1..7: ekspektasi khusus text}. The rater (or the
    employee while drafting) records the leader's specific expectations."""
    check_editable(actor, skp, by_rater=True)
    if any(int(code) not in berakhlak.CODES for code in values):
        raise ValidationError(_("Nilai BerAKHLAK harus 1 sampai 7."))
    rows = {e.value: e for e in skp.expectations.all()}
    changed = []
    for key, text in values.items():
        code = int(key)
        row = rows.get(code) or BehaviourExpectation(agency_id=skp.agency_id, skp=skp, value=code)
        if row.ekspektasi_khusus != (text or "").strip() or row.pk is None:
            row.ekspektasi_khusus = (text or "").strip()
            row.save()
            changed.append(code)
    record(
        "planning.skp.expectations",
        actor=actor,
        target=skp,
        subject=skp.employee,
        after={str(code): text for code, text in values.items()},
    )
    return changed


@transaction.atomic
def skp_lampiran_set(
    *,
    actor: User,
    skp: Skp,
    dukungan_sumber_daya: str | None,
    skema_pertanggungjawaban: str | None,
    konsekuensi: str | None,
) -> Skp:
    check_editable(actor, skp)
    audited_update(
        skp,
        "planning.skp.lampiran",
        actor=actor,
        subject=skp.employee,
        changes={
            "dukungan_sumber_daya": dukungan_sumber_daya or "",
            "skema_pertanggungjawaban": skema_pertanggungjawaban or "",
            "konsekuensi": konsekuensi or "",
        },
    )
    return skp


def skp_print(
    *, actor: User, skp: Skp, base_url: str, version: SkpVersion | None = None
) -> tuple[bytes, str]:
    """The printed SKP as a PDF and its file name, for the page and the API alike:
    `version`, else the approved version, else the draft marked KONSEP. Who may
    print is who may see the SKP (the caller fetched it through the user's
    access); a print exports the employee's data, so it is recorded."""
    if version is None and skp.status == Skp.Status.DISETUJUI:
        version = selectors.latest_version(skp)
    data = pdf.write_pdf([pdf.skp_html(skp, base_url=base_url, version=version)])
    record(
        "planning.skp.print",
        actor=actor,
        target=skp,
        subject=skp.employee,
        after={"version": version.number if version is not None else None},
    )
    return data, f"SKP-{skp.employee.nip}-{skp.year.year}-v{skp.version}.pdf"
