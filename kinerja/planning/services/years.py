"""The performance year (periode penilaian) and its sasaran strategis: admin
BKD creates, opens and closes the year; opening it gives every employee a
draft SKP through a background job."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update, record, snapshot
from kinerja.authz import actor_employee, is_admin, require_admin, require_same_agency
from kinerja.jobs.models import Job
from kinerja.jobs.services import enqueue
from kinerja.org.models import Agency, OrgUnit, User
from kinerja.rules import planning as rules
from kinerja.rules.workdays import add_working_days, national_holidays

from ..models import OrgGoal, PerformanceYear, Period
from ._shared import check_year_not_closed, next_order


@transaction.atomic
def year_create(
    *,
    actor: User,
    agency: Agency,
    year: int,
    frequency: str,
    annual_source: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    skp_deadline: dt.date | None = None,
    annual_deadline: dt.date | None = None,
    default_approach: str = rules.KUANTITATIF,
) -> PerformanceYear:
    require_admin(actor, agency.pk)
    if not rules.YEAR_MIN <= year <= rules.YEAR_MAX:
        raise ValidationError(
            _("Tahun harus antara %(min)s dan %(max)s.")
            % {"min": rules.YEAR_MIN, "max": rules.YEAR_MAX}
        )
    if frequency not in PerformanceYear.Frequency.values:
        raise ValidationError(_("Frekuensi evaluasi periodik harus bulanan atau triwulanan."))
    if annual_source not in PerformanceYear.AnnualSource.values:
        raise ValidationError(_("Dasar predikat tahunan tidak dikenal."))
    if PerformanceYear.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(_("Periode penilaian tahun %(year)s sudah ada.") % {"year": year})
    start = start or dt.date(year, 1, 1)
    end = end or dt.date(year, 12, 31)
    if end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    obj = PerformanceYear.objects.create(
        agency=agency,
        year=year,
        start=start,
        end=end,
        frequency=frequency,
        annual_source=annual_source,
        skp_deadline=skp_deadline or rules.default_skp_deadline(year),
        annual_deadline=annual_deadline or rules.default_annual_deadline(year),
        default_approach=default_approach,
    )
    _create_periods(obj)
    record("planning.year.create", actor=actor, target=obj, after=snapshot(obj))
    return obj


def _create_periods(year: PerformanceYear) -> None:
    """The year's evaluation periods; each window opens a week before the period
    ends and closes EVALUATION_WINDOW_WORKING_DAYS working days after it."""
    off = national_holidays([year.year, year.year + 1])
    Period.objects.bulk_create(
        [
            Period(
                agency_id=year.agency_id,
                year=year,
                number=spec.number,
                label=spec.label,
                start=spec.start,
                end=spec.end,
                window_start=spec.end - dt.timedelta(days=6),
                window_end=add_working_days(spec.end, rules.EVALUATION_WINDOW_WORKING_DAYS, off),
            )
            for spec in rules.generate_periods(year.year, year.frequency, year.annual_source)
        ]
    )


@transaction.atomic
def year_open(*, actor: User, year: PerformanceYear) -> Job:
    """Opens the year and enqueues the job that creates every employee's draft
    SKP (idempotent: running it again creates nothing more)."""
    require_admin(actor, year.agency_id)
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup."))
    audited_update(
        year,
        "planning.year.open",
        actor=actor,
        changes={"status": PerformanceYear.Status.OPEN},
    )
    return enqueue("planning.open_year", agency=year.agency, user=actor, params={"year": year.pk})


@transaction.atomic
def year_close(*, actor: User, year: PerformanceYear) -> PerformanceYear:
    require_admin(actor, year.agency_id)
    audited_update(
        year,
        "planning.year.close",
        actor=actor,
        changes={"status": PerformanceYear.Status.CLOSED},
    )
    return year


@transaction.atomic
def org_goal_create(
    *,
    actor: User,
    year: PerformanceYear,
    text: str,
    source: str,
    indicator: str = "",
    target: str = "",
    unit: OrgUnit | None = None,
) -> OrgGoal:
    """A sasaran strategis of the year (from the Renstra, PK or RKT): the root
    of the pohon kinerja, written by admin BKD or a JPT."""
    require_same_agency(actor, year)
    me = actor_employee(actor)
    is_jpt = me is not None and me.position is not None and me.position.is_jpt
    if not (is_admin(actor, year.agency_id) or is_jpt):
        raise PermissionDenied(_("Hanya admin BKD atau JPT yang dapat mengisi sasaran strategis."))
    check_year_not_closed(year)
    if not text.strip():
        raise ValidationError(_("Sasaran strategis wajib diisi."))
    if source not in OrgGoal.Source.values:
        raise ValidationError(_("Sumber sasaran tidak dikenal."))
    if unit is not None and unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    goal = OrgGoal.objects.create(
        agency_id=year.agency_id,
        year=year,
        unit=unit,
        text=text.strip(),
        source=source,
        indicator=indicator,
        target=target,
        order=next_order(OrgGoal.objects.filter(year=year)),
    )
    record("planning.goal.create", actor=actor, target=goal, after=snapshot(goal))
    return goal
