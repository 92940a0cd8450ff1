"""Reads of the survey app: scoping by access, and the index (IKM) per scope.

The index of a scope (a service, a unit subtree, the agency; one period or a date range) is
ONE aggregate query counting, per element, how many answers had each value 1..4 (36 filtered
counts). From those counts the exact answer lists are rebuilt and passed to
kinerja.rules.ikm, which does all the arithmetic of the regulation. Only *counted* responses
enter: visible, and not flagged (or flagged and accepted by an admin).

Realisation source for performance (planning/monitoring): ``ikm_for_service`` and
``ikm_for_unit`` return a kinerja.rules.ikm.IkmResult (``.converted`` is the 25-100 index)
or None when no counted response exists in the range.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.http import Http404

from kinerja.audit.services import record_denied
from kinerja.org.models import OrgUnit
from kinerja.rules import ikm as ikm_rules

from .elements import QUESTIONNAIRE
from .models import ELEMENT_FIELDS, Response, Service, SurveyPeriod

COUNTED = Q(moderation=Response.Moderation.VISIBLE) & Q(
    flag__in=[Response.Flag.NONE, Response.Flag.ACCEPTED]
)


# --- Access ------------------------------------------------------------------------------


def unit_scope(access, prefix=""):
    """A Q over OrgUnit (or a model with `prefix` pointing at one): admin BKD sees every unit
    of the agency, a unit head the unit's subtree, everybody else nothing."""
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}agency_id": access.agency_id})
    if access.is_admin:
        return scope
    parts = [Q(**{f"{prefix}path__startswith": p}) for p in access.head_unit_paths]
    return scope & reduce(or_, parts) if parts else Q(pk__in=[])


def can_manage(access):
    return access.agency_id is not None and (access.is_admin or access.is_unit_head)


def service_filter(access):
    return unit_scope(access, "unit__")


def response_filter(access):
    return unit_scope(access, "service__unit__")


def period_filter(access):
    """Periods a user may see: agency-wide ones (everybody who manages), and those whose
    unit or service lies in the user's scope. Only admins may change agency-wide periods."""
    if not can_manage(access):
        return Q(pk__in=[])
    if access.is_admin:
        return Q(agency_id=access.agency_id)
    return Q(agency_id=access.agency_id) & (
        Q(unit__isnull=True, service__isnull=True)
        | Q(unit__in=OrgUnit.objects.filter(unit_scope(access)))
        | Q(service__in=Service.objects.filter(service_filter(access)))
    )


def service_queryset(access):
    return Service.objects.filter(service_filter(access)).select_related("unit")


def visible_units(access):
    return OrgUnit.objects.filter(unit_scope(access)).order_by("path")


def get_or_404(request, queryset, *, access_filter, pk, action="view"):
    obj = queryset.filter(access_filter).filter(pk=pk).first()
    if obj is None:
        record_denied(
            f"{queryset.model._meta.label_lower}.{action}",
            actor=request.user,
            target_type=queryset.model._meta.label_lower,
            target_id=pk,
        )
        raise Http404
    return obj


def public_service_or_404(token):
    service = (
        Service.objects.filter(token=token, is_active=True, agency__is_active=True)
        .select_related("unit", "agency")
        .first()
    )
    if service is None:
        raise Http404
    return service


# --- The index ---------------------------------------------------------------------------


def _count_aggregates():
    return {
        f"{field}_{value}": Count("pk", filter=Q(**{field: value}))
        for field in ELEMENT_FIELDS
        for value in range(1, 5)
    }


def _answers_from_counts(row):
    """{"U1": [1, 1, 2, ...], ...} rebuilt from the value counts of one aggregate row."""
    return {
        field.upper(): [value for value in range(1, 5) for _i in range(row[f"{field}_{value}"])]
        for field in ELEMENT_FIELDS
    }


@dataclass
class IndexSummary:
    """An index with what a reader needs beside it."""

    result: ikm_rules.IkmResult | None
    responses: int
    population: int | None = None
    #: Per element code: [count of 1, of 2, of 3, of 4].
    distribution: dict | None = None

    @property
    def min_sample(self):
        return ikm_rules.min_sample(self.population) if self.population else None

    @property
    def below_min_sample(self):
        return self.min_sample is not None and self.responses < self.min_sample

    @property
    def elements(self):
        """Rows for tables and charts: (element, nrr, weighted nrr, count)."""
        if self.result is None:
            return []
        return [
            (
                e,
                self.result.nrr[e.code],
                self.result.weighted_nrr[e.code],
                self.result.counts[e.code],
            )
            for e in QUESTIONNAIRE
        ]


def _summary(row, population=None):
    n = row.get("n") or 0
    distribution = {
        field.upper(): [row.get(f"{field}_{v}") or 0 for v in range(1, 5)]
        for field in ELEMENT_FIELDS
    }
    result = ikm_rules.ikm(_answers_from_counts(row)) if n else None
    return IndexSummary(
        result=result, responses=n, population=population, distribution=distribution
    )


def counted_responses(*, services=None, unit=None, agency=None, period=None, start=None, end=None):
    qs = Response.objects.filter(COUNTED)
    if services is not None:
        qs = qs.filter(service__in=services)
    if unit is not None:
        qs = qs.filter(service__unit__path__startswith=unit.path)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if period is not None:
        qs = qs.filter(period=period)
    if start is not None:
        qs = qs.filter(submitted_at__date__gte=start)
    if end is not None:
        qs = qs.filter(submitted_at__date__lte=end)
    return qs


def index_of(queryset, *, population=None) -> IndexSummary:
    """The index of the counted responses in `queryset`: one query."""
    row = queryset.aggregate(n=Count("pk"), **_count_aggregates())
    return _summary(row, population)


def index_by(queryset, key, *, populations=None) -> dict:
    """{key value: IndexSummary} for the responses grouped by `key` ("service_id",
    "period_id"): one query."""
    rows = queryset.order_by().values(key).annotate(n=Count("pk"), **_count_aggregates())
    populations = populations or {}
    return {row[key]: _summary(row, populations.get(row[key])) for row in rows}


def service_index(*, service, period=None) -> IndexSummary:
    qs = counted_responses(services=[service], period=period)
    return index_of(qs, population=service.served_population)


def unit_index(*, unit, period=None, start=None, end=None) -> IndexSummary:
    qs = counted_responses(unit=unit, period=period, start=start, end=end)
    population = sum(
        Service.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .exclude(served_population=None)
        .values_list("served_population", flat=True)
    )
    return index_of(qs, population=population or None)


def ikm_for_service(*, service, period_start: dt.date, period_end: dt.date):
    """IKM of a service over responses submitted between two dates (inclusive), as an
    ``IkmResult`` (use ``.converted`` for the 25-100 index), or None without responses.
    For the planning/monitoring code: an IKI can take this as its realisation."""
    qs = counted_responses(services=[service], start=period_start, end=period_end)
    return index_of(qs).result


def ikm_for_unit(*, unit, period_start: dt.date, period_end: dt.date):
    """IKM of every service in the unit's subtree, responses pooled (each response weighs the
    same), between two dates; ``IkmResult`` or None."""
    qs = counted_responses(unit=unit, start=period_start, end=period_end)
    return index_of(qs).result


def periods_for_service(service):
    """Periods that cover a service, newest first (one query)."""
    unit_ids = [int(x) for x in service.unit.path.strip("/").split("/") if x]
    return list(
        SurveyPeriod.objects.filter(agency_id=service.agency_id)
        .filter(
            Q(service=service)
            | Q(unit_id__in=unit_ids)
            | Q(unit__isnull=True, service__isnull=True)
        )
        .order_by("-start", "-pk")
    )


def periods_for_unit(unit):
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    return list(
        SurveyPeriod.objects.filter(agency_id=unit.agency_id)
        .filter(
            Q(unit_id__in=ancestor_ids)
            | Q(unit__path__startswith=unit.path)
            | Q(service__unit__path__startswith=unit.path)
            | Q(unit__isnull=True, service__isnull=True)
        )
        .order_by("-start", "-pk")
    )


def trend(queryset, periods):
    """[(period, IndexSummary)] in chronological order: one query."""
    by_period = index_by(queryset, "period_id")
    return [
        (p, by_period.get(p.pk, IndexSummary(result=None, responses=0)))
        for p in sorted(periods, key=lambda p: (p.start, p.pk))
    ]


# --- Lists -------------------------------------------------------------------------------


def response_queryset(access):
    return Response.objects.filter(response_filter(access)).select_related(
        "service", "service__unit", "period", "answered_by"
    )


def comment_list(*, access, service_id=None, complaint="", moderation="", search=""):
    qs = response_queryset(access).exclude(comment="")
    if service_id:
        qs = qs.filter(service_id=service_id)
    if complaint == "any":
        qs = qs.filter(is_complaint=True)
    elif complaint:
        qs = qs.filter(complaint_status=complaint)
    if moderation:
        qs = qs.filter(moderation=moderation)
    if search:
        qs = qs.filter(comment__icontains=search)
    return qs


def flagged_list(*, access):
    return response_queryset(access).filter(flag=Response.Flag.PENDING)


def profile_summary(queryset):
    """{field: [(label, count)]} for the respondent profile: one query per field (4)."""
    summary = {}
    for name, choices in (
        ("age_group", Response.AgeGroup),
        ("sex", Response.Sex),
        ("education", Response.Education),
        ("occupation", Response.Occupation),
    ):
        counts = dict(queryset.order_by().values_list(name).annotate(n=Count("pk")))
        rows = [(label, counts.get(value, 0)) for value, label in choices.choices]
        rows.append(("—", counts.get("", 0)))
        summary[name] = rows
    return summary


# --- Links to performance -----------------------------------------------------------------

#: The IKI select of a service page lists at most this many (bounded, one query).
IKI_CHOICES_MAX = 200


def open_year(agency_id):
    """The agency's open performance year (the latest if several), or None: one query."""
    from kinerja.planning.models import PerformanceYear

    return (
        PerformanceYear.objects.filter(agency_id=agency_id, status=PerformanceYear.Status.OPEN)
        .order_by("-year")
        .first()
    )


def linkable_ikis(*, access, year, unit):
    """IKI of the year's current SKP in `unit`'s subtree that the user may link: admin BKD
    all, others those of their own SKP, of SKP they rate, or in a unit they head. One query,
    at most IKI_CHOICES_MAX rows."""
    from kinerja.planning.models import Iki, Skp

    if year is None:
        return []
    qs = Iki.objects.filter(
        agency_id=year.agency_id,
        rhk__skp__year=year,
        rhk__skp__unit__path__startswith=unit.path,
    ).exclude(rhk__skp__status=Skp.Status.DITUTUP)
    if not access.is_admin:
        allowed = Q(pk__in=[])
        if access.employee is not None:
            allowed |= Q(rhk__skp__employee=access.employee) | Q(rhk__skp__rater=access.employee)
        for path in access.head_unit_paths:
            allowed |= Q(rhk__skp__unit__path__startswith=path)
        qs = qs.filter(allowed)
    return list(
        qs.select_related("rhk__skp__employee", "ikm_source").order_by(
            "rhk__skp__employee__name", "rhk__order", "order", "pk"
        )[:IKI_CHOICES_MAX]
    )


def service_links(service):
    """IKI taking this service's IKM as realisasi: one query."""
    from .models import IkiIkmSource

    return list(
        IkiIkmSource.objects.filter(service=service)
        .select_related("iki__rhk__skp__employee")
        .order_by("pk")
    )


def year_periods(year):
    """The performance periods of a year (for the sync button): one query."""
    from kinerja.planning.models import Period

    return list(Period.objects.filter(year=year).order_by("number")) if year else []


def latest_org_performance(unit):
    """The unit's latest predikat kinerja organisasi: the latest year, its annual result
    first, else its latest period; None without one. One query."""
    from django.db.models import F

    from kinerja.assessment.models import OrgPerformance

    return (
        OrgPerformance.objects.filter(unit=unit)
        .select_related("year", "period")
        .order_by("-year__year", F("period__end").desc(nulls_first=True), "-pk")
        .first()
    )
