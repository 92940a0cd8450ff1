"""The demo's citizens' satisfaction surveys (SKM/IKM, docs/domain.md §7): a
service per puskesmas, the RSUD and the Disdukcapil counters, one agency-wide
survey period per year (closed for the past years), and anonymous responses
written in bulk up to `today`, each service with its own level of
satisfaction and a few complaints."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinerja.org.models import OrgUnit
from kinerja.surveys import services as surveys
from kinerja.surveys.models import Response, Service, SurveyPeriod

from .history import BATCH, Demo, _score

SERVICE_UNITS = (OrgUnit.Kind.PUSKESMAS, OrgUnit.Kind.RSUD)
# (name, description, population): the Disdukcapil's two counters.
DUKCAPIL_SERVICES = [
    ("Penerbitan KTP-el", "Perekaman dan pencetakan KTP elektronik.", 12000),
    ("Penerbitan Akta Kelahiran", "Akta kelahiran dan kartu identitas anak.", 4000),
]
RESPONSES_PER_YEAR = 60
COMMENTS = [
    "Petugas ramah dan cepat.",
    "Antrean panjang pada hari Senin.",
    "Ruang tunggu perlu kipas angin tambahan.",
    "",
    "",
    "Informasi persyaratan sudah jelas di papan pengumuman.",
]
COMPLAINT = "Berkas saya hilang dan harus mengulang dari awal; mohon ditindaklanjuti."
AGES = [c.value for c in Response.AgeGroup]
EDUCATION = [c.value for c in Response.Education]
OCCUPATION = [c.value for c in Response.Occupation]


def services_for(demo: Demo) -> list[Service]:
    """The demo's surveyed services (service_create: audited), once."""
    have = {(s.unit_id, s.name): s for s in Service.objects.filter(agency=demo.agency)}
    wanted: list[tuple[OrgUnit, str, str, int]] = []
    for unit in OrgUnit.objects.filter(agency=demo.agency, kind__in=SERVICE_UNITS).order_by("pk"):
        name = "Pelayanan rawat jalan" if unit.kind == OrgUnit.Kind.RSUD else "Pelayanan umum"
        wanted.append((unit, name, f"Layanan {unit.name}.", 8000))
    dukcapil = (
        OrgUnit.objects.filter(
            agency=demo.agency, parent__isnull=True, name__icontains="Kependudukan"
        )
        .order_by("pk")
        .first()
    )
    if dukcapil is not None:
        wanted += [(dukcapil, name, text, n) for name, text, n in DUKCAPIL_SERVICES]
    out = []
    for unit, name, text, population in wanted:
        service = have.get((unit.pk, name))
        if service is None:
            service = surveys.service_create(
                actor=demo.admin,
                agency=demo.agency,
                unit=unit,
                name=name,
                description=text,
                served_population=population,
            )
        out.append(service)
    return out


def survey_year(demo: Demo, year: int, until: dt.date, *, closed: bool) -> None:
    """The year's agency-wide survey period and its responses up to `until`."""
    services = services_for(demo)
    period = SurveyPeriod.objects.filter(
        agency=demo.agency, unit__isnull=True, service__isnull=True, start=dt.date(year, 1, 1)
    ).first()
    if period is None:
        period = surveys.period_create(
            actor=demo.admin,
            agency=demo.agency,
            name=f"SKM tahun {year}",
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
        )
    if not Response.objects.filter(period=period).exists():
        rows = []
        days = max((min(until, period.end) - period.start).days + 1, 0)
        total = (period.end - period.start).days + 1
        for service in services:
            level = 2.6 + _score(service.name, f"ikm:{year}") * 1.2  # 2.6 .. 3.8
            count = RESPONSES_PER_YEAR * days // total
            for index in range(count):
                seed = f"{service.name}:{year}:{index}"
                answers = {}
                for element in range(1, 10):
                    u = _score(seed, f"u{element}")
                    value = round(level + (u - 0.5) * 1.6)
                    answers[f"u{element}"] = min(max(value, 1), 4)
                day = period.start + dt.timedelta(days=int(_score(seed, "day") * days))
                complaint = index == 7
                rows.append(
                    Response(
                        agency_id=demo.agency.pk,
                        service=service,
                        period=period,
                        submitted_at=timezone.make_aware(
                            dt.datetime.combine(day, dt.time(8 + index % 8, 15))
                        ),
                        **answers,
                        age_group=AGES[index % len(AGES)],
                        sex=Response.Sex.FEMALE if index % 2 else Response.Sex.MALE,
                        education=EDUCATION[index % len(EDUCATION)],
                        occupation=OCCUPATION[index % len(OCCUPATION)],
                        comment=COMPLAINT if complaint else COMMENTS[index % len(COMMENTS)],
                        is_complaint=complaint,
                        complaint_status=(
                            Response.ComplaintStatus.ANSWERED
                            if complaint and closed
                            else Response.ComplaintStatus.OPEN
                            if complaint
                            else Response.ComplaintStatus.NONE
                        ),
                        complaint_answer=(
                            "Berkas telah ditemukan dan layanan diselesaikan."
                            if complaint and closed
                            else ""
                        ),
                    )
                )
        Response.objects.bulk_create(rows, batch_size=BATCH)
    if closed and not period.is_closed:
        surveys.period_set_closed(actor=demo.admin, period=period, closed=True)
