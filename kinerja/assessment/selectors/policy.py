"""The agency's settings, calendar (days off, periods) and distribution policy:
the regulation's defaults, unsaved, until admin BKD changes them."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from kinerja.planning.models import PerformanceYear, Period
from kinerja.rules import distribution
from kinerja.rules import predikat as rules
from kinerja.rules.workdays import add_working_days, national_holidays

from ..models import AgencyDayOff, AssessmentSettings, DistributionRule


def settings_for(agency_id: int) -> AssessmentSettings:
    """The agency's settings (docs/domain.md §1 and §4); the regulation's
    defaults, unsaved, until admin BKD changes them."""
    found = AssessmentSettings.objects.filter(agency_id=agency_id).first()
    return found if found is not None else AssessmentSettings(agency_id=agency_id)


def days_off(agency_id: int, years: Iterable[int]) -> set[dt.date]:
    """National holidays of `years` plus the agency's own days off."""
    chosen = sorted(set(years))
    off = national_holidays(chosen)
    off |= set(
        AgencyDayOff.objects.filter(agency_id=agency_id, date__year__in=chosen).values_list(
            "date", flat=True
        )
    )
    return off


def agency_days_off(agency_id: int) -> list[AgencyDayOff]:
    return list(AgencyDayOff.objects.filter(agency_id=agency_id))


def working_days_after(agency_id: int, start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start` on the agency's calendar: the
    deadlines of the lampiran (docs/domain.md §1)."""
    return add_working_days(start, days, days_off(agency_id, [start.year, start.year + 1]))


def _share(value: Fraction | None) -> Decimal | None:
    """A policy share (a fraction of the headcount) as the decimal the row stores."""
    return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def default_policy_rules(agency_id: int) -> list[DistributionRule]:
    """The default distribution policy (docs/domain.md §4) as unsaved rows, in order."""
    return [
        DistributionRule(
            agency_id=agency_id,
            org_grade=rule.org_grade.value,
            predikat=sorted(p.value for p in rule.predikat),
            min_pct=_share(rule.min_pct),
            max_pct=_share(rule.max_pct),
            at_least_one=rule.at_least_one,
            order=order,
        )
        for order, rule in enumerate(distribution.DEFAULT_POLICY)
    ]


def policy_rules(agency_id: int) -> list[DistributionRule]:
    """The agency's distribution policy rows in order: the defaults (unsaved)
    until admin BKD changes a rule. A rule is known by its `order`."""
    rows = list(DistributionRule.objects.filter(agency_id=agency_id).order_by("order", "pk"))
    return rows or default_policy_rules(agency_id)


def quota_rule(row: DistributionRule) -> distribution.QuotaRule:
    return distribution.QuotaRule(
        rules.OrgGrade(row.org_grade),
        frozenset(rules.Predikat(p) for p in row.predikat),
        Fraction(row.min_pct) if row.min_pct is not None else None,
        Fraction(row.max_pct) if row.max_pct is not None else None,
        row.at_least_one,
    )


def policy_for(agency_id: int) -> list[distribution.QuotaRule]:
    """The agency's distribution policy as QuotaRule rows (one query)."""
    return [quota_rule(row) for row in policy_rules(agency_id)]


def periods_of(year: PerformanceYear) -> list[Period]:
    return list(Period.objects.filter(year=year).order_by("number"))


def period_of_year(year_id: int, pk: int | str | None) -> Period | None:
    return Period.objects.filter(year_id=year_id, pk=pk or 0).first()


def current_period(year: PerformanceYear, today: dt.date | None = None) -> Period | None:
    """The latest period whose evaluation window has begun (else the first)."""
    today = today or timezone.localdate()
    periods = periods_of(year)
    started = [p for p in periods if p.window_start <= today]
    return (started[-1] if started else periods[0]) if periods else None
