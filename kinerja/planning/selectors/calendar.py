"""The year's calendar as it applies to a unit or an employee: THE one place that says when a
window is open and which working-day rules hold (docs/domain.md §1 "The calendar").

`calendar_for(subject, year)` gives one unit's (or one employee's) effective calendar,
`calendar_map(units, year)` the calendars of many units in the same two queries (the year's
periods and its overrides), whatever their number. An override of the unit or of its nearest
ancestor wins, window by window; otherwise the agency's calendar applies. `year_position` says
where the year stands on a day and which deadline comes next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kinerja.org.models import Employee, OrgUnit
from kinerja.rules import calendar as rules
from kinerja.rules.calendar import Span, WorkdayRules
from kinerja.rules.workdays import add_working_days

from ..models import CalendarOverride, PerformanceYear, Period


@dataclass(frozen=True)
class Window:
    """One effective window, and where it comes from (`override` None: the agency's)."""

    start: dt.date
    end: dt.date
    override: CalendarOverride | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def is_open(self, today: dt.date) -> bool:
        return self.start <= today <= self.end

    def has_closed(self, today: dt.date) -> bool:
        return today > self.end

    @property
    def source(self) -> str:
        if self.override is None:
            return _("Kalender instansi")
        return _("Khusus %(unit)s") % {"unit": self.override.unit.name}


@dataclass(frozen=True)
class PeriodWindows:
    period: Period
    realisasi: Window
    evaluation: Window

    @property
    def pk(self) -> int:
        return self.period.pk

    @property
    def label(self) -> str:
        return self.period.label


@dataclass(frozen=True)
class Calendar:
    """The effective calendar of one unit (`unit_id` None: the agency's own)."""

    year: PerformanceYear
    unit_id: int | None
    skp: Window
    periods: tuple[PeriodWindows, ...]
    annual: Window

    @property
    def workdays(self) -> WorkdayRules:
        return self.year.workday_rules

    def period(self, period_id: int) -> PeriodWindows:
        for windows in self.periods:
            if windows.period.pk == period_id:
                return windows
        raise KeyError(period_id)

    @property
    def last_period(self) -> PeriodWindows | None:
        return self.periods[-1] if self.periods else None

    def superior_deadline(self, period_id: int | None, days_off: set[dt.date]) -> dt.date:
        """The rater's superior rates within `superior_rates_days` working days after the
        rater's window (of the period, or the annual window) closes."""
        end = self.annual.end if period_id is None else self.period(period_id).evaluation.end
        return add_working_days(end, self.workdays.superior_rates_days, days_off)

    @property
    def overrides(self) -> list[CalendarOverride]:
        found = [self.skp.override, self.annual.override]
        for p in self.periods:
            found += [p.realisasi.override, p.evaluation.override]
        return [o for o in found if o is not None]


def default_realisasi(period: Period) -> tuple[dt.date, dt.date]:
    """Realisasi is accepted from the period's first day until its evaluation window closes,
    unless admin BKD set other dates (docs/domain.md §3)."""
    return period.realisasi_start or period.start, period.realisasi_end or period.window_end


def default_annual_start(year: PerformanceYear, periods: list[Period]) -> dt.date:
    """The annual window opens with the last period's evaluation window, unless set."""
    if year.annual_start:
        return year.annual_start
    if periods:
        return max(periods, key=lambda p: p.number).window_start
    return year.end - dt.timedelta(days=6)


def year_periods(year: PerformanceYear) -> list[Period]:
    """The year's periods in order (one query), with their year attached."""
    periods = list(Period.objects.filter(year=year).order_by("number"))
    for period in periods:
        period.year = year
    return periods


def year_period_or_404(year: PerformanceYear, pk: int | None) -> Period | None:
    """A period of the year chosen on a page (none chosen: None)."""
    if pk is None:
        return None
    return get_object_or_404(Period, pk=pk, year=year)


def year_overrides(year: PerformanceYear) -> list[CalendarOverride]:
    """Every unit override of the year (one query), with its unit, period and author."""
    return list(
        CalendarOverride.objects.filter(year=year)
        .select_related("unit", "period", "created_by")
        .order_by("unit__path", "window", "period__number")
    )


def _build(
    year: PerformanceYear,
    periods: list[Period],
    path: str | None,
    by_key: dict[tuple[str, int | None], dict[int, CalendarOverride]],
    unit_id: int | None,
) -> Calendar:
    def pick(window: str, period_id: int | None) -> CalendarOverride | None:
        if path is None:
            return None
        return rules.nearest(path, by_key.get((window, period_id), {}))

    def window(start: dt.date, end: dt.date, name: str, period_id: int | None) -> Window:
        override = pick(name, period_id)
        if override is not None:
            return Window(override.start, override.end, override)
        return Window(start, end)

    return Calendar(
        year=year,
        unit_id=unit_id,
        skp=window(year.start, year.skp_deadline, rules.WINDOW_SKP, None),
        periods=tuple(
            PeriodWindows(
                period=p,
                realisasi=window(*default_realisasi(p), rules.WINDOW_REALISASI, p.pk),
                evaluation=window(p.window_start, p.window_end, rules.WINDOW_EVALUATION, p.pk),
            )
            for p in periods
        ),
        annual=window(
            default_annual_start(year, periods), year.annual_deadline, rules.WINDOW_ANNUAL, None
        ),
    )


def _index(
    overrides: Iterable[CalendarOverride],
) -> dict[tuple[str, int | None], dict[int, CalendarOverride]]:
    by_key: dict[tuple[str, int | None], dict[int, CalendarOverride]] = {}
    for override in overrides:
        by_key.setdefault((override.window, override.period_id), {})[override.unit_id] = override
    return by_key


def agency_calendar(year: PerformanceYear) -> Calendar:
    """The agency's own calendar, without any unit override (one query)."""
    return _build(year, year_periods(year), None, {}, None)


def calendar_map(units: Iterable[OrgUnit], year: PerformanceYear) -> dict[int, Calendar]:
    """{unit id: its effective calendar} for many units, in two queries."""
    periods = year_periods(year)
    by_key = _index(year_overrides(year))
    return {unit.pk: _build(year, periods, unit.path, by_key, unit.pk) for unit in units}


def calendar_for(subject: OrgUnit | Employee | None, year: PerformanceYear) -> Calendar:
    """The calendar that applies to a unit or an employee (their unit's), in two queries
    (three when the employee's unit is not loaded); None: the agency's own."""
    if subject is None:
        return agency_calendar(year)
    unit = subject.unit if isinstance(subject, Employee) else subject
    return calendar_map([unit], year)[unit.pk]


@dataclass(frozen=True)
class YearPosition:
    """Where the year stands on `today`: its stage (a text) and the next deadline."""

    today: dt.date
    stage: str
    open_windows: tuple[str, ...]
    next_label: str | None
    next_date: dt.date | None


def _deadlines(cal: Calendar) -> list[tuple[str, dt.date]]:
    found = [(_("Batas penetapan SKP"), cal.skp.end)]
    for p in cal.periods:
        found.append((_("Batas realisasi %(p)s") % {"p": p.label}, p.realisasi.end))
        found.append((_("Batas evaluasi %(p)s") % {"p": p.label}, p.evaluation.end))
    found.append((_("Batas evaluasi tahunan"), cal.annual.end))
    return found


def year_position(year: PerformanceYear | Calendar, today: dt.date) -> YearPosition:
    """The stage of the year on `today` for the agency's calendar (or the given unit's) and
    its next deadline. No query when given a Calendar, one when given a year."""
    cal = year if isinstance(year, Calendar) else agency_calendar(year)
    open_windows: list[str] = []
    if cal.skp.is_open(today):
        open_windows.append(_("Penetapan SKP"))
    for p in cal.periods:
        if p.realisasi.is_open(today):
            open_windows.append(_("Realisasi %(p)s") % {"p": p.label})
        if p.evaluation.is_open(today):
            open_windows.append(_("Evaluasi %(p)s") % {"p": p.label})
    if cal.annual.is_open(today):
        open_windows.append(_("Evaluasi tahunan"))
    if cal.year.status == PerformanceYear.Status.CLOSED:
        stage = _("Tahun penilaian sudah ditutup.")
    elif today < cal.year.start:
        stage = _("Tahun penilaian belum dimulai.")
    elif cal.annual.has_closed(today):
        stage = _("Semua jendela tahun ini sudah ditutup; menunggu penutupan tahunan.")
    elif cal.annual.is_open(today):
        stage = _("Evaluasi tahunan sedang berlangsung.")
    elif cal.skp.is_open(today):
        stage = _("Perencanaan: SKP ditetapkan paling lambat %(d)s.") % {
            "d": f"{cal.skp.end:%d-%m-%Y}"
        }
    else:
        current = next((p for p in cal.periods if p.period.start <= today <= p.period.end), None)
        stage = (
            _("Pelaksanaan dan pemantauan: %(p)s.") % {"p": current.label}
            if current
            else _("Pelaksanaan dan pemantauan.")
        )
    upcoming = rules.next_deadline(_deadlines(cal), today)
    return YearPosition(
        today=today,
        stage=stage,
        open_windows=tuple(open_windows),
        next_label=upcoming[0] if upcoming else None,
        next_date=upcoming[1] if upcoming else None,
    )
