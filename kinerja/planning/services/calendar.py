"""The year's calendar, owned by admin BKD (docs/domain.md §1 "The calendar"): the agency's
dates and working-day rules of a year, and a unit's own dates for one window. Each change is
validated by kinerja/rules/calendar.py (nothing is saved when anything is wrong), audited, and
announced through `planning.signals.calendar_changed` (monitoring notifies those affected).

Whether a window "has been acted on" is asked through `planning.signals.calendar_acted_on`:
assessment answers with the windows in which evaluations were finalised, since planning may not
look at evaluations itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.audit.services import record
from kinerja.authz import require_admin
from kinerja.org.models import OrgUnit, User
from kinerja.rules import calendar as rules
from kinerja.rules.calendar import CalendarInput, PeriodInput, Problem, Span, WorkdayRules

from ..events import calendar_acted_on, calendar_changed
from ..models import CalendarOverride, PerformanceYear, Period, Skp
from ..selectors.calendar import (
    Calendar,
    agency_calendar,
    calendar_for,
    default_annual_start,
    year_periods,
)

WINDOW_LABELS = {
    rules.WINDOW_SKP: gettext_lazy("penetapan SKP"),
    rules.WINDOW_REALISASI: gettext_lazy("pengisian realisasi"),
    rules.WINDOW_EVALUATION: gettext_lazy("evaluasi"),
    rules.WINDOW_ANNUAL: gettext_lazy("evaluasi tahunan"),
}

WORKDAY_LABELS = {
    "deliver_days": gettext_lazy("Penyampaian dokumen evaluasi"),
    "deliver_days_by_superior": gettext_lazy(
        "Penyampaian dokumen evaluasi oleh atasan pejabat penilai"
    ),
    "acknowledge_days": gettext_lazy("Tanda terima pegawai"),
    "acknowledge_days_by_superior": gettext_lazy(
        "Tanda terima pegawai atas penilaian atasan pejabat penilai"
    ),
    "appeal_file_days": gettext_lazy("Pengajuan keberatan"),
    "appeal_decide_days": gettext_lazy("Keputusan keberatan"),
    "report_days": gettext_lazy("Laporan ke PyB"),
    "superior_rates_days": gettext_lazy("Penilaian oleh atasan pejabat penilai"),
}

MESSAGES = {
    "end_before_start": gettext_lazy(
        "Jendela %(window)s %(period)s berakhir sebelum dimulai; periksa tanggalnya."
    ),
    "skp_deadline_outside_year": gettext_lazy(
        "Batas penetapan SKP harus berada di dalam tahun penilaian."
    ),
    "closes_before_period_end": gettext_lazy(
        "Jendela %(window)s %(period)s ditutup sebelum periodenya berakhir; "
        "jendela harus tetap terbuka paling tidak sampai hari terakhir periode."
    ),
    "realisasi_opens_late": gettext_lazy(
        "Pengisian realisasi %(period)s dibuka setelah periodenya dimulai; "
        "buka paling lambat pada hari pertama periode."
    ),
    "evaluation_overlap": gettext_lazy(
        "Jendela evaluasi %(other)s tumpang tindih dengan jendela %(period)s: "
        "jendela %(other)s harus dibuka dan ditutup setelah jendela %(period)s."
    ),
    "annual_closes_before_year_end": gettext_lazy(
        "Jendela evaluasi tahunan ditutup sebelum tahun penilaian berakhir."
    ),
    "annual_opens_before_last_period": gettext_lazy(
        "Jendela evaluasi tahunan tidak boleh dibuka sebelum jendela evaluasi periode terakhir."
    ),
    "closed_and_acted": gettext_lazy(
        "Jendela %(window)s %(period)s sudah ditutup dan sudah ada yang diproses di dalamnya "
        "(evaluasi difinalkan atau SKP ditetapkan); tanggalnya tidak dapat diubah lagi."
    ),
    "workdays_out_of_range": gettext_lazy("%(rule)s harus antara 1 dan %(max)s hari kerja."),
}


def problem_message(problem: Problem) -> str:
    """The Indonesian sentence of a rule's problem."""
    params = dict(problem.params)
    if "window" in params:
        params["window"] = str(WINDOW_LABELS.get(str(params["window"]), params["window"]))
    if "rule" in params:
        params["rule"] = str(WORKDAY_LABELS.get(str(params["rule"]), params["rule"]))
    params.setdefault("period", "")
    params.setdefault("max", rules.MAX_WORKDAYS)
    return " ".join((str(MESSAGES[problem.code]) % params).split())


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError([problem_message(p) for p in problems])


@dataclass(frozen=True)
class PeriodDates:
    """The four dates of a period that admin BKD sets."""

    realisasi_start: dt.date
    realisasi_end: dt.date
    window_start: dt.date
    window_end: dt.date


def acted_windows(
    year: PerformanceYear, unit: OrgUnit | None = None
) -> set[tuple[str, int | None]]:
    """The windows of the year in which something was done (within `unit`'s subtree when
    given): (window, period id). SKP approved: the SKP window; evaluations finalised (asked of
    the later stages through `calendar_acted_on`): the period's evaluation and realisasi
    windows, or the annual window."""
    skps = Skp.objects.filter(year=year, approved_at__isnull=False)
    if unit is not None:
        skps = skps.filter(unit__path__startswith=unit.path)
    found: set[tuple[str, int | None]] = set()
    if skps.exists():
        found.add((rules.WINDOW_SKP, None))
    for _receiver, answer in calendar_acted_on.send(sender=Period, year=year, unit=unit):
        for period_id in answer or ():
            if period_id is None:
                found.add((rules.WINDOW_ANNUAL, None))
            else:
                found.add((rules.WINDOW_EVALUATION, int(period_id)))
                found.add((rules.WINDOW_REALISASI, int(period_id)))
    return found


def _check_year_editable(year: PerformanceYear) -> None:
    if year.status == PerformanceYear.Status.CLOSED:
        raise ValidationError(_("Periode penilaian sudah ditutup; kalendernya tidak dapat diubah."))


def _spans(cal: Calendar) -> dict[tuple[str, int | None], tuple[str, Span]]:
    """Every window of a calendar by (window, period id), with its period's label."""
    spans: dict[tuple[str, int | None], tuple[str, Span]] = {
        (rules.WINDOW_SKP, None): ("", cal.skp.span),
        (rules.WINDOW_ANNUAL, None): ("", cal.annual.span),
    }
    for p in cal.periods:
        spans[(rules.WINDOW_REALISASI, p.pk)] = (p.label, p.realisasi.span)
        spans[(rules.WINDOW_EVALUATION, p.pk)] = (p.label, p.evaluation.span)
    return spans


def _change_problems(
    old: Calendar, new: Mapping[tuple[str, int | None], Span], acted: set, today: dt.date
) -> list[Problem]:
    problems: list[Problem] = []
    for key, (label, span) in _spans(old).items():
        if key in new:
            problems += rules.check_change(
                window=key[0],
                label=label,
                old=span,
                new=new[key],
                today=today,
                acted_on=key in acted,
            )
    return problems


def _describe(cal_spans: Mapping[tuple[str, int | None], tuple[str, Span]]) -> dict[str, str]:
    return {
        f"{window}:{period_id or ''}": f"{span.start.isoformat()}..{span.end.isoformat()}"
        for (window, period_id), (_label, span) in cal_spans.items()
    }


def _following(period: Period, dates: PeriodDates) -> PeriodDates:
    """A realisasi end left at its default (the evaluation window's end) keeps following the
    evaluation window when that moves."""
    if period.realisasi_end is None and dates.realisasi_end == period.window_end:
        return replace(dates, realisasi_end=dates.window_end)
    return dates


@transaction.atomic
def calendar_update(
    *,
    actor: User,
    year: PerformanceYear,
    skp_deadline: dt.date,
    periods: Mapping[int, PeriodDates],
    annual_start: dt.date,
    annual_deadline: dt.date,
    workdays: WorkdayRules,
    today: dt.date | None = None,
) -> PerformanceYear:
    """Sets the agency's calendar of a year: the SKP deadline, each period's realisasi and
    evaluation windows (`periods` by period id; every period of the year), the annual window
    and the working-day rules. All or nothing."""
    require_admin(actor, year.agency_id)
    _check_year_editable(year)
    today = today or timezone.localdate()
    rows = year_periods(year)
    if set(periods) != {p.pk for p in rows}:
        raise ValidationError(_("Isi tanggal setiap periode tahun ini."))
    old = agency_calendar(year)
    periods = {p.pk: _following(p, periods[p.pk]) for p in rows}
    cal = CalendarInput(
        year_start=year.start,
        year_end=year.end,
        skp_deadline=skp_deadline,
        periods=[
            PeriodInput(
                p.number,
                p.label,
                p.start,
                p.end,
                Span(periods[p.pk].realisasi_start, periods[p.pk].realisasi_end),
                Span(periods[p.pk].window_start, periods[p.pk].window_end),
            )
            for p in rows
        ],
        annual=Span(annual_start, annual_deadline),
    )
    problems = rules.check_calendar(cal) + rules.check_workdays(workdays)
    _refuse(problems)
    new: dict[tuple[str, int | None], Span] = {
        (rules.WINDOW_SKP, None): Span(year.start, skp_deadline),
        (rules.WINDOW_ANNUAL, None): Span(annual_start, annual_deadline),
    }
    for p in rows:
        dates = periods[p.pk]
        new[(rules.WINDOW_REALISASI, p.pk)] = Span(dates.realisasi_start, dates.realisasi_end)
        new[(rules.WINDOW_EVALUATION, p.pk)] = Span(dates.window_start, dates.window_end)
    changed = {key for key, (_label, span) in _spans(old).items() if new[key] != span}
    if changed:
        _refuse(_change_problems(old, new, acted_windows(year), today))
    before = _describe(_spans(old))
    before.update({name: getattr(year, name) for name in WorkdayRules.names()})
    for p in rows:
        dates = periods[p.pk]
        p.window_start, p.window_end = dates.window_start, dates.window_end
        # The default (the period's first day, the evaluation window's end) stays blank, so
        # that it follows the evaluation window when that moves later.
        p.realisasi_start = None if dates.realisasi_start == p.start else dates.realisasi_start
        p.realisasi_end = None if dates.realisasi_end == dates.window_end else dates.realisasi_end
    Period.objects.bulk_update(
        rows, ["window_start", "window_end", "realisasi_start", "realisasi_end"]
    )
    year.skp_deadline = skp_deadline
    year.annual_deadline = annual_deadline
    year.annual_start = None if annual_start == default_annual_start(year, rows) else annual_start
    for name in WorkdayRules.names():
        setattr(year, name, getattr(workdays, name))
    year.save(
        update_fields=["skp_deadline", "annual_deadline", "annual_start", *WorkdayRules.names()]
    )
    after = _describe(_spans(agency_calendar(year)))
    after.update({name: getattr(year, name) for name in WorkdayRules.names()})
    if after == before:
        return year
    record(
        "planning.calendar.update",
        actor=actor,
        agency=year.agency,
        target=year,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
    )
    if changed:
        calendar_changed.send(
            sender=PerformanceYear,
            year=year,
            unit=None,
            actor=actor,
            text=_("Admin BKD mengubah kalender penilaian tahun %(y)s.") % {"y": year.year},
            key=f"{year.pk}:{timezone.now().isoformat()}",
        )
    return year


def _override_span(
    year: PerformanceYear,
    unit: OrgUnit,
    window: str,
    period: Period | None,
    start: dt.date,
    end: dt.date,
) -> Span:
    """Validates one override's dates (the SKP window starts with the year)."""
    if window == rules.WINDOW_SKP:
        start = year.start
    span = Span(start, end)
    _refuse(
        rules.check_override(
            window=window,
            span=span,
            period=(period.start, period.end) if period else None,
            year=Span(year.start, year.end),
        )
    )
    return span


def _check_override_target(
    year: PerformanceYear, unit: OrgUnit, window: str, period: Period | None, reason: str
) -> None:
    if unit.agency_id != year.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    if window not in CalendarOverride.Window.values:
        raise ValidationError(_("Jendela tidak dikenal."))
    if window in CalendarOverride.PERIOD_WINDOWS:
        if period is None or period.year_id != year.pk:
            raise ValidationError(_("Pilih periode tahun ini untuk jendela ini."))
    elif period is not None:
        raise ValidationError(_("Jendela ini berlaku untuk seluruh tahun; jangan memilih periode."))
    if not reason.strip():
        raise ValidationError(_("Alasan wajib diisi."))


def _check_unit_change(
    year: PerformanceYear,
    unit: OrgUnit,
    window: str,
    period: Period | None,
    new: Span,
    today: dt.date,
) -> None:
    """The unit's window as it applies now must not have closed after being acted on."""
    cal = calendar_for(unit, year)
    key = (window, period.pk if period else None)
    label, old = _spans(cal)[key]
    if old == new:
        return
    _refuse(
        rules.check_change(
            window=window,
            label=label,
            old=old,
            new=new,
            today=today,
            acted_on=old.has_closed(today) and key in acted_windows(year, unit),
        )
    )


def _announce(override: CalendarOverride, actor: User, text: str) -> None:
    calendar_changed.send(
        sender=CalendarOverride,
        year=override.year,
        unit=override.unit,
        actor=actor,
        text=text,
        key=f"{override.year_id}:{override.unit_id}:{timezone.now().isoformat()}",
    )


def _window_text(override: CalendarOverride) -> str:
    label = str(WINDOW_LABELS[override.window])
    if override.period is not None:
        label = f"{label} {override.period.label}"
    return label


@transaction.atomic
def calendar_override_add(
    *,
    actor: User,
    year: PerformanceYear,
    unit: OrgUnit,
    window: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    period: Period | None = None,
    today: dt.date | None = None,
) -> CalendarOverride:
    """Gives a unit (and its subtree) its own dates for one window: opened early or
    extended, with a reason."""
    require_admin(actor, year.agency_id)
    _check_year_editable(year)
    _check_override_target(year, unit, window, period, reason)
    today = today or timezone.localdate()
    span = _override_span(year, unit, window, period, start, end)
    if CalendarOverride.objects.filter(unit=unit, year=year, window=window, period=period).exists():
        raise ValidationError(
            _("Unit ini sudah punya tanggal sendiri untuk jendela ini; ubah atau hapus dulu.")
        )
    _check_unit_change(year, unit, window, period, span, today)
    override = CalendarOverride.objects.create(
        agency_id=year.agency_id,
        year=year,
        unit=unit,
        window=window,
        period=period,
        start=span.start,
        end=span.end,
        reason=reason.strip(),
        created_by=actor,
    )
    record(
        "planning.calendar.override.add",
        actor=actor,
        agency=year.agency,
        target=override,
        after={
            "unit": unit.name,
            "window": window,
            "period": period.label if period else "",
            "start": span.start.isoformat(),
            "end": span.end.isoformat(),
            "reason": override.reason,
        },
    )
    _announce(
        override,
        actor,
        _("Jadwal %(w)s untuk %(u)s tahun %(y)s: %(s)s s.d. %(e)s (%(r)s).")
        % {
            "w": _window_text(override),
            "u": unit.name,
            "y": year.year,
            "s": f"{span.start:%d-%m-%Y}",
            "e": f"{span.end:%d-%m-%Y}",
            "r": override.reason,
        },
    )
    return override


@transaction.atomic
def calendar_override_update(
    *,
    actor: User,
    override: CalendarOverride,
    start: dt.date,
    end: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> CalendarOverride:
    """Changes a unit's own dates for its window."""
    require_admin(actor, override.agency_id)
    year = override.year
    _check_year_editable(year)
    _check_override_target(year, override.unit, override.window, override.period, reason)
    today = today or timezone.localdate()
    span = _override_span(year, override.unit, override.window, override.period, start, end)
    _check_unit_change(year, override.unit, override.window, override.period, span, today)
    before = {
        "start": override.start.isoformat(),
        "end": override.end.isoformat(),
        "reason": override.reason,
    }
    override.start, override.end, override.reason = span.start, span.end, reason.strip()
    override.save(update_fields=["start", "end", "reason"])
    record(
        "planning.calendar.override.update",
        actor=actor,
        agency=year.agency,
        target=override,
        before=before,
        after={
            "start": span.start.isoformat(),
            "end": span.end.isoformat(),
            "reason": override.reason,
        },
    )
    _announce(
        override,
        actor,
        _("Jadwal %(w)s untuk %(u)s tahun %(y)s diubah: %(s)s s.d. %(e)s (%(r)s).")
        % {
            "w": _window_text(override),
            "u": override.unit.name,
            "y": year.year,
            "s": f"{span.start:%d-%m-%Y}",
            "e": f"{span.end:%d-%m-%Y}",
            "r": override.reason,
        },
    )
    return override


@transaction.atomic
def calendar_override_remove(
    *, actor: User, override: CalendarOverride, today: dt.date | None = None
) -> None:
    """The unit goes back to the calendar of its nearest ancestor (or the agency's)."""
    require_admin(actor, override.agency_id)
    year = override.year
    _check_year_editable(year)
    today = today or timezone.localdate()
    current = Span(override.start, override.end)
    key = (override.window, override.period_id)
    if current.end < today and key in acted_windows(year, override.unit):
        _refuse(
            [
                Problem(
                    "closed_and_acted",
                    {
                        "window": override.window,
                        "period": override.period.label if override.period else "",
                    },
                )
            ]
        )
    record(
        "planning.calendar.override.remove",
        actor=actor,
        agency=year.agency,
        target=override,
        before={
            "unit": override.unit.name,
            "window": override.window,
            "period": override.period.label if override.period else "",
            "start": override.start.isoformat(),
            "end": override.end.isoformat(),
            "reason": override.reason,
        },
    )
    text = _("Jadwal khusus %(w)s untuk %(u)s tahun %(y)s dihapus; berlaku kalender instansi.") % {
        "w": _window_text(override),
        "u": override.unit.name,
        "y": year.year,
    }
    _announce(override, actor, text)
    override.delete()
