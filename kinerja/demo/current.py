"""The demo's current performance year, at the stage its calendar gives for
`today` (issue 11): the SKP planned and (after the SKP deadline) approved,
realisasi of the periods that have ended and part of the running one, the
periodic evaluations of every window that has closed, part of the one that is
open, organisation grades once a window has opened, training so far.

The demo logins act through the services (so the SKP page has its approved
version, the atasan has something to approve in January, the history exists);
everyone else's rows are written in bulk with kinerja.demo.history's helpers.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinerja.assessment.models import Evaluation
from kinerja.org.models import OrgUnit
from kinerja.planning import services as planning
from kinerja.planning.models import CalendarOverride, PerformanceYear, Period, Skp
from kinerja.planning.selectors.calendar import agency_calendar, calendar_for

from .history import (
    Demo,
    _score,
    fill_realisasi,
    fill_skps,
    freeze_versions,
    open_year,
    rate,
    set_grades,
    training,
)

# The chain of demo logins whose SKP go through the services, superior first:
# kepala bidang, kepala seksi, pelaksana (kinerja.org.demo.DEMO_LOGINS).
SHOWCASE_CHAIN = ("DINKES-YANKES-KA", "DINKES-YANKES-1-KA", "DINKES-YANKES-1-P1")
RETURN_NOTE = (
    "Target IKI kedua belum terukur; tuliskan jumlah layanan per triwulan dan sumber datanya."
)
APPROVE_NOTE = "Sesuai dengan RHK atasan dan perjanjian kinerja unit."


def _chain(year: PerformanceYear) -> list[Skp]:
    """The chain's SKP; a position's first holder by NIP is its demo login."""
    skps: dict[str, Skp] = {}
    rows = (
        Skp.objects.filter(year=year, position__code__in=SHOWCASE_CHAIN)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("position", "employee__user", "rater__user")
        .order_by("employee__nip")
    )
    for skp in rows:
        if skp.position is not None:
            skps.setdefault(skp.position.code, skp)
    return [skps[code] for code in SHOWCASE_CHAIN if code in skps]


def _submit(skp: Skp) -> None:
    if skp.status in Skp.EDITABLE and skp.employee.user is not None:
        planning.skp_submit(actor=skp.employee.user, skp=skp)
        skp.refresh_from_db()


def _approve(skp: Skp, today: dt.date) -> None:
    if skp.status == Skp.Status.DIAJUKAN and skp.rater is not None and skp.rater.user:
        planning.skp_approve(actor=skp.rater.user, skp=skp, note=APPROVE_NOTE, today=today)
        skp.refresh_from_db()


def plan(demo: Demo, year: PerformanceYear, skps: list[Skp], today: dt.date) -> None:
    """SKP statuses as the calendar gives them. Before the SKP deadline the
    share approved grows through January, some more are submitted, the rest
    are drafts; the demo pelaksana's SKP waits for her kepala seksi and one SKP
    has been returned with a note. After the deadline every SKP is approved.
    The demo chain (kepala bidang, kepala seksi, pelaksana) goes through the
    services, so their SKP have approved versions."""
    chain = _chain(year)
    deadline = agency_calendar(year).skp.end
    before_deadline = today <= deadline
    for skp in chain:
        _submit(skp)
        if not (before_deadline and skp is chain[-1]):
            _approve(skp, today)
    showcase = {s.pk for s in chain}
    others = [s for s in skps if s.pk not in showcase and s.status in Skp.EDITABLE]
    span = max((deadline - year.start).days, 1)
    progress = 1.0 if not before_deadline else max((today - year.start).days, 0) / span
    approved, submitted = [], []
    for skp in others:
        u = _score(demo.people[skp.employee_id].nip, f"skp:{year.year}")
        if u < progress * 0.8:
            approved.append(skp.pk)
        elif u < progress * 0.8 + 0.15 or not before_deadline:
            (submitted if before_deadline else approved).append(skp.pk)
    when = timezone.make_aware(dt.datetime.combine(min(today, deadline), dt.time(10)))
    Skp.objects.filter(pk__in=approved).update(
        status=Skp.Status.DISETUJUI, submitted_at=when, approved_at=when
    )
    freeze_versions(approved, when)
    Skp.objects.filter(pk__in=submitted).update(status=Skp.Status.DIAJUKAN, submitted_at=when)
    if before_deadline:
        _return_one(year, today)


def _return_one(year: PerformanceYear, today: dt.date) -> None:
    """One submitted SKP returned by its rater with a note (service: audited)."""
    skp = (
        Skp.objects.filter(year=year, status=Skp.Status.DIAJUKAN, rater__user__isnull=False)
        .exclude(position__code__in=SHOWCASE_CHAIN)
        .select_related("rater__user")
        .order_by("employee__nip")
        .first()
    )
    if skp is not None and skp.rater is not None and skp.rater.user is not None:
        planning.skp_return(actor=skp.rater.user, skp=skp, note=RETURN_NOTE, today=today)


ACCREDITATION = (
    "Puskesmas sedang menjalani survei akreditasi; jendela evaluasi diperpanjang sepuluh hari."
)


def extend_for_accreditation(demo: Demo, year: PerformanceYear, today: dt.date) -> None:
    """Admin BKD extends the first puskesmas's evaluation window that is open or
    still to come (not the last period's) by ten days, with a reason: a
    calendar override through the service (audited and announced)."""
    unit = (
        OrgUnit.objects.filter(agency=demo.agency, kind=OrgUnit.Kind.PUSKESMAS)
        .order_by("pk")
        .first()
    )
    if unit is None or CalendarOverride.objects.filter(year=year, unit=unit).exists():
        return
    cal = calendar_for(unit, year)
    coming = [p for p in cal.periods[:-1] if not p.evaluation.has_closed(today)]
    if not coming:
        return
    window = coming[0].evaluation
    planning.calendar_override_add(
        actor=demo.admin,
        year=year,
        unit=unit,
        window=CalendarOverride.Window.EVALUATION,
        period=coming[0].period,
        start=window.start,
        end=window.end + dt.timedelta(days=10),
        reason=ACCREDITATION,
        today=today,
    )


def build_current_year(demo: Demo, today: dt.date) -> PerformanceYear:
    year = open_year(demo, today.year)
    periods = list(Period.objects.filter(year=year).order_by("number"))
    extend_for_accreditation(demo, year, today)
    # The agency's calendar decides the stage (kinerja.planning.selectors.calendar).
    cal = agency_calendar(year)
    evaluation = {p.period.pk: p.evaluation for p in cal.periods}
    skps = list(
        Skp.objects.filter(year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("rater_position", "rater")
        .order_by("pk")
    )
    fill_skps(demo, year, skps)
    plan(demo, year, skps, today)
    approved = list(
        Skp.objects.filter(year=year, status=Skp.Status.DISETUJUI)
        .select_related("rater_position", "rater")
        .order_by("pk")
    )
    ended = [p for p in periods if p.end < today]
    running = [p for p in periods if p.start <= today <= p.end]
    fill_realisasi(demo, year, ended)
    for period in running:
        # Half of the employees have entered this period's realisasi so far.
        fill_realisasi(
            demo,
            year,
            [period],
            employees={
                pk for pk, person in demo.people.items() if _score(person.nip, "half") < 0.5
            },
        )
    opened = [p for p in periods if evaluation[p.pk].start <= today]
    if opened:
        grades = set_grades(demo, year)
        for period in opened:
            if evaluation[period.pk].has_closed(today):
                rate(
                    demo,
                    year,
                    approved,
                    grades,
                    period,
                    status=Evaluation.Status.ACKNOWLEDGED,
                    published=True,
                    today=today,
                )
            else:
                # The window is open: about a third of the raters have finalised.
                share = [
                    s
                    for s in approved
                    if _score(demo.people[s.employee_id].nip, f"w{period.number}") < 0.35
                ]
                rate(
                    demo,
                    year,
                    share,
                    grades,
                    period,
                    status=Evaluation.Status.FINALISED,
                    published=True,
                    today=today,
                )
    training(demo, year.year, today)
    return year
