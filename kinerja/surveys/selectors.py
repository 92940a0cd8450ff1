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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.assessment.models import OrgPerformance
from kinerja.org.access import Access
from kinerja.org.inbox import InboxItem
from kinerja.org.models import Agency, OrgUnit
from kinerja.planning.models import Iki, PerformanceYear, Period, Skp
from kinerja.rules import ikm as ikm_rules

from .elements import QUESTIONNAIRE, Element
from .models import (
    ELEMENT_FIELDS,
    PROFILE_FIELDS,
    IkiIkmSource,
    Kiosk,
    OneTimeCode,
    Response,
    Service,
    SurveyPeriod,
)

COUNTED = Q(moderation=Response.Moderation.VISIBLE) & Q(
    flag__in=[Response.Flag.NONE, Response.Flag.ACCEPTED]
)


# --- Access ------------------------------------------------------------------------------


def unit_scope(access: Access, prefix: str = "") -> Q:
    """A Q over OrgUnit (or a model with `prefix` pointing at one): admin BKD sees every unit
    of the agency, a unit head the unit's subtree, everybody else nothing."""
    if access.agency_id is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}agency_id": access.agency_id})
    if access.is_admin:
        return scope
    parts = [Q(**{f"{prefix}path__startswith": p}) for p in access.head_unit_paths]
    return scope & reduce(or_, parts) if parts else Q(pk__in=[])


def can_manage(access: Access) -> bool:
    return access.agency_id is not None and (access.is_admin or access.is_unit_head)


def service_filter(access: Access) -> Q:
    return unit_scope(access, "unit__")


def kiosk_filter(access: Access) -> Q:
    return unit_scope(access, "service__unit__")


def service_kiosks(service: Service) -> QuerySet[Kiosk]:
    """The service's kiosks, newest first, with who issued and revoked them."""
    return Kiosk.objects.filter(service=service).select_related("created_by", "revoked_by")


def response_filter(access: Access) -> Q:
    return unit_scope(access, "service__unit__")


def period_filter(access: Access) -> Q:
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


def service_queryset(access: Access) -> QuerySet[Service]:
    return Service.objects.filter(service_filter(access)).select_related("unit")


def service_detail_queryset() -> QuerySet[Service]:
    """Services with their unit and agency, for a fetch through the user's access."""
    return Service.objects.select_related("unit", "agency")


def response_detail_queryset() -> QuerySet[Response]:
    """Responses with their service and agency, for a fetch through the user's access."""
    return Response.objects.select_related("service", "agency")


def period_detail_queryset() -> QuerySet[SurveyPeriod]:
    """Periods with their scope, for a fetch through the user's access."""
    return SurveyPeriod.objects.select_related("agency", "unit", "service")


def visible_units(access: Access) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(unit_scope(access)).order_by("path")


def public_service_or_404(token: str) -> Service:
    service = (
        Service.objects.filter(token=token, is_active=True, agency__is_active=True)
        .select_related("unit", "agency")
        .first()
    )
    if service is None:
        raise Http404
    return service


# --- Periods ------------------------------------------------------------------------------


def open_period_for(service: Service, *, on: dt.date) -> SurveyPeriod | None:
    """The open period covering `service` on date `on`, the narrowest scope first
    (service, then the deepest unit, then the agency); None if there is none."""
    candidates = (
        SurveyPeriod.objects.filter(
            agency_id=service.agency_id, is_closed=False, start__lte=on, end__gte=on
        )
        .select_related("unit")
        .order_by("pk")
    )
    matching = [p for p in candidates if p.covers(service)]
    if not matching:
        return None

    def narrowness(p: SurveyPeriod) -> tuple[int, int]:
        if p.service_id:
            return (2, 0)
        if p.unit is not None:
            return (1, p.unit.depth)
        return (0, 0)

    return max(matching, key=narrowness)


def period_of_agency(agency_id: int, pk: int | str) -> SurveyPeriod | None:
    """A survey period of the agency by id (an index's ?period=), or None."""
    return SurveyPeriod.objects.filter(pk=pk, agency_id=agency_id).first()


def period_list(access: Access) -> QuerySet[SurveyPeriod]:
    """The periods `access` may see, with their scope and number of responses."""
    return (
        SurveyPeriod.objects.filter(period_filter(access))
        .select_related("unit", "service")
        .annotate(n=Count("responses"))
    )


# --- The index ---------------------------------------------------------------------------


def _count_aggregates() -> dict[str, Count]:
    return {
        f"{field}_{value}": Count("pk", filter=Q(**{field: value}))
        for field in ELEMENT_FIELDS
        for value in range(1, 5)
    }


def _answers_from_counts(row: dict[str, Any]) -> dict[str, list[int]]:
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
    distribution: dict[str, list[int]] | None = None

    @property
    def min_sample(self) -> int | None:
        return ikm_rules.min_sample(self.population) if self.population else None

    @property
    def below_min_sample(self) -> bool:
        return self.min_sample is not None and self.responses < self.min_sample

    @property
    def elements(self) -> list[tuple[Element, Any, Any, int]]:
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


def _summary(row: dict[str, Any], population: int | None = None) -> IndexSummary:
    n = row.get("n") or 0
    distribution = {
        field.upper(): [row.get(f"{field}_{v}") or 0 for v in range(1, 5)]
        for field in ELEMENT_FIELDS
    }
    result = ikm_rules.ikm(_answers_from_counts(row)) if n else None
    return IndexSummary(
        result=result, responses=n, population=population, distribution=distribution
    )


def counted_responses(
    *,
    services: Iterable[Service] | None = None,
    unit: OrgUnit | None = None,
    agency: Agency | None = None,
    period: SurveyPeriod | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Response]:
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


def index_of(queryset: QuerySet[Response], *, population: int | None = None) -> IndexSummary:
    """The index of the counted responses in `queryset`: one query."""
    row = queryset.aggregate(n=Count("pk"), **_count_aggregates())
    return _summary(row, population)


def index_by(
    queryset: QuerySet[Response], key: str, *, populations: dict[Any, int | None] | None = None
) -> dict[Any, IndexSummary]:
    """{key value: IndexSummary} for the responses grouped by `key` ("service_id",
    "period_id"): one query."""
    rows = queryset.order_by().values(key).annotate(n=Count("pk"), **_count_aggregates())
    populations = populations or {}
    return {row[key]: _summary(row, populations.get(row[key])) for row in rows}


def service_index(*, service: Service, period: SurveyPeriod | None = None) -> IndexSummary:
    qs = counted_responses(services=[service], period=period)
    return index_of(qs, population=service.served_population)


def unit_index(
    *,
    unit: OrgUnit,
    period: SurveyPeriod | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> IndexSummary:
    qs = counted_responses(unit=unit, period=period, start=start, end=end)
    population = Service.objects.filter(unit__path__startswith=unit.path, is_active=True).aggregate(
        total=Sum("served_population")
    )["total"]
    return index_of(qs, population=population or None)


def ikm_for_service(
    *, service: Service, period_start: dt.date, period_end: dt.date
) -> ikm_rules.IkmResult | None:
    """IKM of a service over responses submitted between two dates (inclusive), as an
    ``IkmResult`` (use ``.converted`` for the 25-100 index), or None without responses.
    For the planning/monitoring code: an IKI can take this as its realisation."""
    qs = counted_responses(services=[service], start=period_start, end=period_end)
    return index_of(qs).result


def ikm_for_unit(
    *, unit: OrgUnit, period_start: dt.date, period_end: dt.date
) -> ikm_rules.IkmResult | None:
    """IKM of every service in the unit's subtree, responses pooled (each response weighs the
    same), between two dates; ``IkmResult`` or None."""
    qs = counted_responses(unit=unit, start=period_start, end=period_end)
    return index_of(qs).result


def _path_ids(path: str) -> list[int]:
    """The unit ids on a tree path "/3/7/12/" (the unit and its ancestors)."""
    return [int(x) for x in path.strip("/").split("/") if x]


def periods_for_service(service: Service) -> list[SurveyPeriod]:
    """Periods that cover a service, newest first (one query)."""
    return list(
        SurveyPeriod.objects.filter(agency_id=service.agency_id)
        .filter(
            Q(service=service)
            | Q(unit_id__in=_path_ids(service.unit.path))
            | Q(unit__isnull=True, service__isnull=True)
        )
        .order_by("-start", "-pk")
    )


def periods_for_unit(unit: OrgUnit) -> list[SurveyPeriod]:
    return list(
        SurveyPeriod.objects.filter(agency_id=unit.agency_id)
        .filter(
            Q(unit_id__in=_path_ids(unit.path))
            | Q(unit__path__startswith=unit.path)
            | Q(service__unit__path__startswith=unit.path)
            | Q(unit__isnull=True, service__isnull=True)
        )
        .order_by("-start", "-pk")
    )


def trend(
    queryset: QuerySet[Response], periods: Iterable[SurveyPeriod]
) -> list[tuple[SurveyPeriod, IndexSummary]]:
    """[(period, IndexSummary)] in chronological order: one query."""
    by_period = index_by(queryset, "period_id")
    return [
        (p, by_period.get(p.pk, IndexSummary(result=None, responses=0)))
        for p in sorted(periods, key=lambda p: (p.start, p.pk))
    ]


# --- Lists -------------------------------------------------------------------------------


def response_queryset(access: Access) -> QuerySet[Response]:
    return Response.objects.filter(response_filter(access)).select_related(
        "service", "service__unit", "period", "answered_by"
    )


def staff_counts(access: Access) -> dict[str, int]:
    """Flagged responses and open complaints in `access`'s scope: one query."""
    return response_queryset(access).aggregate(
        flagged=Count("pk", filter=Q(flag=Response.Flag.PENDING)),
        complaints=Count(
            "pk",
            filter=Q(
                complaint_status__in=[
                    Response.ComplaintStatus.OPEN,
                    Response.ComplaintStatus.IN_PROGRESS,
                ]
            ),
        ),
    )


def comment_list(
    *,
    access: Access,
    service_id: int | str | None = None,
    complaint: str = "",
    moderation: str = "",
    search: str = "",
) -> QuerySet[Response]:
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


def service_choices(access: Access) -> QuerySet[Service]:
    """The services of `access`'s scope for a filter (id and name only)."""
    return Service.objects.filter(service_filter(access)).only("pk", "name")


def services_below(unit: OrgUnit) -> list[Service]:
    """Every service of the unit's subtree, with its unit."""
    return list(Service.objects.filter(unit__path__startswith=unit.path).select_related("unit"))


def pending_count(service: Service) -> int:
    """How many of the service's responses wait for review."""
    return Response.objects.filter(service=service, flag=Response.Flag.PENDING).count()


def flagged_list(*, access: Access) -> QuerySet[Response]:
    return response_queryset(access).filter(flag=Response.Flag.PENDING)


def complaints(service: Service, period: SurveyPeriod | None) -> list[Response]:
    """The service's complaints (of the period, when given), oldest first."""
    qs = Response.objects.filter(service=service, is_complaint=True)
    if period is not None:
        qs = qs.filter(period=period)
    return list(qs.order_by("submitted_at"))


def export_responses(service: Service, period_id: int | None = None) -> QuerySet[Response]:
    """Every response of the service (flags included) for the raw export, in order."""
    qs = Response.objects.filter(service=service).select_related("period").order_by("pk")
    return qs.filter(period_id=period_id) if period_id is not None else qs


def profile_summary(queryset: QuerySet[Response]) -> dict[str, list[tuple[Any, int]]]:
    """{field: [(label, count)]} for the respondent profile: one query per field (4)."""
    summary = {}
    for name, choices in PROFILE_FIELDS:
        counts = dict(queryset.order_by().values_list(name).annotate(n=Count("pk")))
        rows: list[tuple[Any, int]] = [
            (label, counts.get(value, 0)) for value, label in choices.choices
        ]
        rows.append(("—", counts.get("", 0)))
        summary[name] = rows
    return summary


# --- One-time codes ----------------------------------------------------------------------


def code_batches(service: Service) -> QuerySet[OneTimeCode, dict[str, Any]]:
    """The service's code batches, newest first, with how many codes each has and used."""
    return (
        OneTimeCode.objects.filter(service=service)
        .values("batch")
        .annotate(total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False)))
        .order_by("-batch")
    )


def unused_codes(service: Service, batch: str) -> list[str]:
    """The codes of a batch not used yet, in order (to print)."""
    return list(
        OneTimeCode.objects.filter(service=service, batch=batch, used_at__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )


# --- Links to performance -----------------------------------------------------------------

#: The IKI select of a service page lists at most this many (bounded, one query).
IKI_CHOICES_MAX = 200


def can_link_iki(access: Access, iki: Iki) -> bool:
    """Whether `access` may set the IKM source of `iki` (its SKP and unit loaded): admin BKD
    of the agency, the IKI's owner (the SKP's employee), their rater, or the head of a unit
    above the SKP's unit. `linkable_ikis` lists the same IKI."""
    if access.agency_id != iki.agency_id:
        return False
    if access.is_admin:
        return True
    skp = iki.rhk.skp
    me = access.employee
    if me is not None and me.pk in (skp.employee_id, skp.rater_id):
        return True
    return any(skp.unit.path.startswith(p) for p in access.head_unit_paths)


def open_year(agency_id: int) -> PerformanceYear | None:
    """The agency's open performance year (the latest if several), or None: one query."""
    return (
        PerformanceYear.objects.filter(agency_id=agency_id, status=PerformanceYear.Status.OPEN)
        .order_by("-year")
        .first()
    )


def linkable_ikis(*, access: Access, year: PerformanceYear | None, unit: OrgUnit) -> list[Iki]:
    """IKI of the year's current SKP in `unit`'s subtree that the user may link: admin BKD
    all, others those of their own SKP, of SKP they rate, or in a unit they head. One query,
    at most IKI_CHOICES_MAX rows."""
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


def agency_iki(agency_id: int, pk: int | None) -> Iki | None:
    """An IKI of the agency by id, or None (the service then refuses whom it must)."""
    if pk is None:
        return None
    return Iki.objects.filter(agency_id=agency_id, pk=pk).first()


def service_links(service: Service) -> list[IkiIkmSource]:
    """IKI taking this service's IKM as realisasi: one query."""
    return list(
        IkiIkmSource.objects.filter(service=service)
        .select_related("iki__rhk__skp__employee")
        .order_by("pk")
    )


def year_periods(year: PerformanceYear | None) -> list[Period]:
    """The performance periods of a year (for the sync button): one query."""
    return list(Period.objects.filter(year=year).order_by("number")) if year else []


def performance_period(agency_id: int, pk: int | None) -> Period | None:
    """A performance period of the agency by id, or None."""
    if pk is None:
        return None
    return Period.objects.filter(agency_id=agency_id, pk=pk).first()


def latest_org_performance(unit: OrgUnit) -> OrgPerformance | None:
    """The unit's latest predikat kinerja organisasi: the latest year, its annual result
    first, else its latest period; None without one. One query."""
    return (
        OrgPerformance.objects.filter(unit=unit)
        .select_related("year", "period")
        .order_by("-year__year", F("period__end").desc(nulls_first=True), "-pk")
        .first()
    )


# --- the home page (kinerja/org/inbox.py) ------------------------------------------------------


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    """Open complaints about the services of the units a unit head or admin BKD answers
    for (one aggregate query)."""
    if not can_manage(access):
        return []
    counts = response_queryset(access).aggregate(
        n=Count(
            "pk",
            filter=Q(
                complaint_status__in=[
                    Response.ComplaintStatus.OPEN,
                    Response.ComplaintStatus.IN_PROGRESS,
                ]
            ),
        ),
    )
    n = counts["n"]
    if not n:
        return []
    return [
        InboxItem(
            kind="survey_complaint",
            title=ngettext(
                "%(n)s pengaduan masyarakat belum dijawab",
                "%(n)s pengaduan masyarakat belum dijawab",
                n,
            )
            % {"n": n},
            detail=_("Jawab pengaduan dari survei kepuasan masyarakat layanan Anda."),
            url=reverse("surveys:comment_list") + "?complaint=open",
            count=n,
        )
    ]
