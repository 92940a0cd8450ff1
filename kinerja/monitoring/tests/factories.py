"""Builders and data for the monitoring tests (fixtures live in conftest.py).

The tests run on a fixed day, TODAY (15 May 2026: the first quarter is closed,
the second open, the third not yet open); conftest.py makes
`django.utils.timezone.localdate()` return it, for the pages and services alike.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kinerja.planning import services as planning
from kinerja.planning.models import Iki, PerformanceYear, Period, Rhk, Skp

YEAR = 2026
TODAY = dt.date(YEAR, 5, 15)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def noon(day=TODAY):
    """An aware moment of a day, for datetimes in the tests."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@dataclass
class Plan:
    year: PerformanceYear
    skp: Skp
    rhk: Rhk
    rhk2: Rhk
    iki: Iki
    period: Period  # the period containing today

    def period_on(self, date):
        return Period.objects.select_related("year").get(
            year=self.year, start__lte=date, end__gte=date
        )


def _skp(employee, year):
    return (
        Skp.objects.select_related("year", "employee", "rater")
        .exclude(status=Skp.Status.DITUTUP)
        .get(employee=employee, year=year)
    )


def add_rhk(actor, skp, text, target=12):
    rhk = planning.rhk_add(actor=actor, skp=skp, text=text, kind=Rhk.Kind.UTAMA)
    iki = planning.iki_add(
        actor=actor,
        rhk=rhk,
        text=f"Jumlah {text.lower()}",
        target_text=f"{target} dokumen",
        aspect="kuantitas",
        perspektif="",
        target_min=target,
        target_max=target,
        unit="dokumen",
    )
    return rhk, iki


def make_plan(world):
    """Today's performance year opened (every employee has a draft SKP); the
    staff's SKP has two RHK with one IKI each."""
    today = timezone.localdate()
    year = planning.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=today.year,
        frequency=PerformanceYear.Frequency.QUARTERLY,
        annual_source=PerformanceYear.AnnualSource.LAST_PERIOD,
    )
    planning.year_open(actor=world.user("admin"), year=year)
    year.refresh_from_db()
    skp = _skp(world.staff, year)
    rhk, iki = add_rhk(world.user("staff"), skp, "Laporan layanan primer")
    rhk2, _iki2 = add_rhk(world.user("staff"), skp, "Data kunjungan")
    period = Period.objects.select_related("year").get(year=year, start__lte=today, end__gte=today)
    return Plan(year=year, skp=skp, rhk=rhk, rhk2=rhk2, iki=iki, period=period)


def mid_year(plan):
    """A fixed day of the plan's year: 15 May (Q1 closed, Q2 open, Q3 not yet open)."""
    return dt.date(plan.year.year, 5, 15)
