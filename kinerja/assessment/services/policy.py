"""What admin BKD sets for the agency: its assessment settings, its own days
off, its distribution policy, and the organisation grade of each unit
(docs/domain.md §1 and §4). The reads are in kinerja.assessment.selectors; the
rows of the settings and the policy are created here, on the first change."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot
from kinerja.authz import require_admin
from kinerja.org.models import Agency, OrgUnit, User
from kinerja.planning.models import PerformanceYear, Period

from .. import selectors
from ..models import AgencyDayOff, AssessmentSettings, DistributionRule, OrgPerformance
from .grades import org_grade_set

SETTINGS_FIELDS = (
    "self_assessment_required",
    "self_assessment_open",
    "peer_names_visible",
    "small_part_numerator",
    "small_part_denominator",
    "min_unit_size",
    "quota_enforcement",
)


@transaction.atomic
def org_performance_set(
    *,
    actor: User,
    unit: OrgUnit,
    year: PerformanceYear,
    grade: str,
    period: Period | None = None,
    note: str = "",
    from_head: bool = False,
) -> OrgPerformance:
    """Admin BKD enters a unit's predikat kinerja organisasi (from the unit's own
    SAKIP/LKjIP evaluation), or takes it from the head's result (from_head).
    The write is kinerja.assessment.services.grades.org_grade_set."""
    source = OrgPerformance.Source.FROM_HEAD if from_head else OrgPerformance.Source.ENTERED
    org_grade_set(
        actor=actor, unit=unit, year=year, grade=grade, period=period, source=source, note=note
    )
    return OrgPerformance.objects.get(unit=unit, year=year, period=period)


@transaction.atomic
def settings_update(
    *, actor: User, agency: Agency, **fields: bool | int | str
) -> AssessmentSettings:
    """Change the agency's settings (the row is created on the first change)."""
    require_admin(actor, agency.pk)
    settings = selectors.settings_for(agency.pk)
    with audited(settings, "assessment.settings.update", actor=actor):
        for name, value in fields.items():
            if name not in SETTINGS_FIELDS:
                raise ValueError(name)
            setattr(settings, name, value)
        if (
            settings.small_part_denominator <= 0
            or settings.small_part_numerator > settings.small_part_denominator
        ):
            raise ValidationError(_("Bagian kecil harus berupa pecahan antara 0 dan 1."))
        if settings.min_unit_size < 1:
            raise ValidationError(_("Ukuran unit minimum paling sedikit 1."))
        if settings.quota_enforcement not in AssessmentSettings.Enforcement.values:
            raise ValidationError(_("Penerapan kurva distribusi tidak dikenal."))
        settings.save()
    return settings


@transaction.atomic
def day_off_add(*, actor: User, agency: Agency, date: dt.date, reason: str) -> AgencyDayOff:
    require_admin(actor, agency.pk)
    if not reason.strip():
        raise ValidationError(_("Keterangan hari libur wajib diisi."))
    day_off, created = AgencyDayOff.objects.get_or_create(
        agency=agency, date=date, defaults={"reason": reason.strip()}
    )
    if not created:
        raise ValidationError(_("Tanggal itu sudah tercatat sebagai hari libur."))
    record("assessment.dayoff.add", actor=actor, target=day_off, after=snapshot(day_off))
    return day_off


@transaction.atomic
def policy_rule_update(
    *,
    actor: User,
    rule: DistributionRule,
    min_pct: Decimal | None = None,
    max_pct: Decimal | None = None,
    at_least_one: bool = False,
) -> DistributionRule:
    """Change one rule of the agency's distribution policy (shares in [0, 1]).
    `rule` may be a default one not saved yet (selectors.policy_rules): the
    agency's policy rows are then created from the defaults first."""
    require_admin(actor, rule.agency_id)
    for share in (min_pct, max_pct):
        if share is not None and not (0 <= share <= 1):
            raise ValidationError(_("Persentase harus antara 0 dan 100."))
    if min_pct is None and max_pct is None and not at_least_one:
        raise ValidationError(_("Aturan memerlukan batas minimum, maksimum, atau minimal satu."))
    if min_pct is not None and max_pct is not None and min_pct > max_pct:
        raise ValidationError(_("Batas minimum tidak boleh melebihi batas maksimum."))
    if rule.pk is None:
        DistributionRule.objects.bulk_create(selectors.default_policy_rules(rule.agency_id))
        rule = DistributionRule.objects.get(agency_id=rule.agency_id, order=rule.order)
    with audited(rule, "assessment.policy.update", actor=actor):
        rule.min_pct, rule.max_pct, rule.at_least_one = min_pct, max_pct, at_least_one
        rule.save()
    return rule
