"""The year's calendar (docs/domain.md §1 "The calendar"): its windows, the working-day rules of
the documents and appeals with the regulation's defaults, which unit override applies, and the
validation of a calendar that admin BKD edits. Pure Python, tested table by table in
kinerja/rules/tests/test_calendar.py.

A window is a closed span of dates ``[start, end]``: it is open on both days. The windows of a
year are the SKP window (the year's start to the SKP deadline), each period's realisasi and
evaluation windows, and the annual evaluation window. An agency's default applies everywhere;
an override of a unit applies to the unit's subtree, and the override of the nearest unit wins.

Validation returns problems as ``(code, params)`` so that the app words them (the codes are
listed on :func:`check_calendar`). Nothing here knows the database: the service passes in the
facts it needs, such as "evaluations were finalised in this window".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TypeVar

__all__ = [
    "DEFAULT_WORKDAY_RULES",
    "MAX_WORKDAYS",
    "WINDOW_ANNUAL",
    "WINDOW_EVALUATION",
    "WINDOW_REALISASI",
    "WINDOW_SKP",
    "CalendarInput",
    "PeriodInput",
    "Problem",
    "Span",
    "WorkdayRules",
    "check_calendar",
    "check_change",
    "check_override",
    "check_workdays",
    "check_annual_close",
    "nearest",
    "next_deadline",
    "path_ids",
]

WINDOW_SKP = "skp"
WINDOW_REALISASI = "realisasi"
WINDOW_EVALUATION = "evaluation"
WINDOW_ANNUAL = "annual"

# An agency may lengthen or shorten a working-day rule, within reason.
MAX_WORKDAYS = 90


@dataclass(frozen=True)
class WorkdayRules:
    """Deadlines in hari kerja, counted by kinerja/rules/workdays.py (the event is day 0).

    Defaults from the regulation (docs/domain.md §1): the signed document reaches the employee
    within 14 working days (7 when the rater's superior signed: lampiran lines 4712-4714,
    4789-4791); the employee acknowledges within 14 (7) (lines 4715-4719, 4792-4796); an appeal
    is filed within 14 and decided within 7 (Pasal 29; lines 4863-4879); the report to the PyB
    within 30 after the period ends (lines 4771-4774); the rater's superior rates within 14 after
    the rater's window closes (lines 3724-3728, 4775-4788).
    """

    deliver_days: int = 14
    deliver_days_by_superior: int = 7
    acknowledge_days: int = 14
    acknowledge_days_by_superior: int = 7
    appeal_file_days: int = 14
    appeal_decide_days: int = 7
    report_days: int = 30
    superior_rates_days: int = 14

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT_WORKDAY_RULES = WorkdayRules()


@dataclass(frozen=True)
class Span:
    start: date
    end: date

    def is_open(self, today: date) -> bool:
        return self.start <= today <= self.end

    def has_closed(self, today: date) -> bool:
        return today > self.end


@dataclass(frozen=True)
class Problem:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodInput:
    number: int
    label: str
    start: date
    end: date
    realisasi: Span
    evaluation: Span


@dataclass(frozen=True)
class CalendarInput:
    year_start: date
    year_end: date
    skp_deadline: date
    periods: Sequence[PeriodInput]
    annual: Span


def _span_problems(name: str, span: Span) -> list[Problem]:
    if span.end < span.start:
        return [Problem("end_before_start", {"window": name})]
    return []


def check_calendar(cal: CalendarInput) -> list[Problem]:
    """Every problem of a whole calendar, in the order of the year. Codes:

    - ``end_before_start`` (window): a window ends before it starts;
    - ``skp_deadline_outside_year``: the SKP deadline is not within the year;
    - ``closes_before_period_end`` (window, period): a period's realisasi or evaluation window
      closes before the period ends (the period could not be completed or rated whole);
    - ``realisasi_opens_late`` (period): realisasi opens after the period has started;
    - ``evaluation_overlap`` (period, other): the evaluation window of a later period opens or
      closes no later than the window of the period before it, so that one window lies over the
      other (the windows of consecutive periods may share days: a monthly window runs 14
      working days past its month and the next one opens 6 days before its month ends, but each
      opens and closes after the one before);
    - ``annual_closes_before_year_end``: the annual window closes before the year ends;
    - ``annual_opens_before_last_period``: the annual window opens before the last period's
      evaluation window.
    """
    problems: list[Problem] = []
    if not cal.year_start <= cal.skp_deadline <= cal.year_end:
        problems.append(Problem("skp_deadline_outside_year"))
    ordered = sorted(cal.periods, key=lambda p: p.number)
    for p in ordered:
        for name, span in ((WINDOW_REALISASI, p.realisasi), (WINDOW_EVALUATION, p.evaluation)):
            bad = _span_problems(name, span)
            problems.extend(Problem(b.code, {**b.params, "period": p.label}) for b in bad)
            if not bad and span.end < p.end:
                problems.append(
                    Problem("closes_before_period_end", {"window": name, "period": p.label})
                )
        if p.realisasi.start > p.start:
            problems.append(Problem("realisasi_opens_late", {"period": p.label}))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if (
            after.evaluation.start <= before.evaluation.start
            or after.evaluation.end <= before.evaluation.end
        ):
            problems.append(
                Problem("evaluation_overlap", {"period": before.label, "other": after.label})
            )
    bad_annual = _span_problems(WINDOW_ANNUAL, cal.annual)
    problems.extend(bad_annual)
    if not bad_annual and cal.annual.end < cal.year_end:
        problems.append(Problem("annual_closes_before_year_end"))
    if ordered and cal.annual.start < ordered[-1].evaluation.start:
        problems.append(Problem("annual_opens_before_last_period"))
    return problems


def check_workdays(rules: WorkdayRules) -> list[Problem]:
    """``workdays_out_of_range`` (rule): each rule is 1 to MAX_WORKDAYS working days."""
    return [
        Problem("workdays_out_of_range", {"rule": name})
        for name in WorkdayRules.names()
        if not 1 <= getattr(rules, name) <= MAX_WORKDAYS
    ]


def check_change(
    *, window: str, label: str, old: Span, new: Span, today: date, acted_on: bool
) -> list[Problem]:
    """``closed_and_acted`` (window, period): a window that has already closed and in which
    something was done (evaluations finalised in it, an SKP approved by its deadline) keeps its
    dates: moving them would rewrite what happened. A closed window with nothing done in it
    may be reopened (extended)."""
    if new != old and old.has_closed(today) and acted_on:
        return [Problem("closed_and_acted", {"window": window, "period": label})]
    return []


def check_override(
    *, window: str, span: Span, period: tuple[date, date] | None, year: Span
) -> list[Problem]:
    """One unit's override of one window: ``end_before_start``; for a period's windows
    ``closes_before_period_end``; for the annual window ``annual_closes_before_year_end``; for
    the SKP window ``skp_deadline_outside_year``."""
    problems = _span_problems(window, span)
    if problems:
        return problems
    if period is not None and span.end < period[1]:
        return [Problem("closes_before_period_end", {"window": window})]
    if window == WINDOW_ANNUAL and span.end < year.end:
        return [Problem("annual_closes_before_year_end")]
    if window == WINDOW_SKP and not year.start <= span.end <= year.end:
        return [Problem("skp_deadline_outside_year")]
    return []


def path_ids(path: str) -> list[int]:
    """The unit ids of a materialised path ("/12/57/" -> [12, 57]), the root first."""
    return [int(part) for part in path.split("/") if part]


T = TypeVar("T")


def nearest(path: str, by_unit: Mapping[int, T]) -> T | None:
    """The value of the unit itself or of its nearest ancestor in ``by_unit``, else None."""
    for unit_id in reversed(path_ids(path)):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def next_deadline(deadlines: Iterable[tuple[str, date]], today: date) -> tuple[str, date] | None:
    """The first deadline on or after today (the earliest; ties keep the given order)."""
    upcoming = [(when, i, name) for i, (name, when) in enumerate(deadlines) if when >= today]
    if not upcoming:
        return None
    when, _i, name = min(upcoming)
    return name, when


def check_annual_close(
    *, today: date, last_window_start: date | None, reason: str
) -> list[Problem]:
    """The annual close computes the year's predikat and opens calibration: before the last
    period's evaluation window has opened the year's results cannot be complete, so it is
    refused (``annual_close_early``, with ``date``) unless admin BKD records a reason."""
    if last_window_start is not None and today < last_window_start and not reason.strip():
        return [Problem("annual_close_early", {"date": last_window_start})]
    return []
