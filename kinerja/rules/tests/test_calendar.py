"""The calendar rules, table by table (kinerja/rules/calendar.py)."""

import datetime as dt
from dataclasses import replace

import pytest

from kinerja.rules import calendar as rules
from kinerja.rules import planning
from kinerja.rules.calendar import (
    CalendarInput,
    PeriodInput,
    Problem,
    Span,
    WorkdayRules,
    check_calendar,
    check_change,
    check_override,
    check_workdays,
    nearest,
    next_deadline,
)
from kinerja.rules.workdays import add_working_days, national_holidays

D = dt.date


def quarter(n, start, end, realisasi=None, evaluation=None):
    evaluation = evaluation or Span(end - dt.timedelta(days=6), end + dt.timedelta(days=20))
    realisasi = realisasi or Span(start, evaluation.end)
    return PeriodInput(n, f"Triwulan {n}", start, end, realisasi, evaluation)


Q = [
    quarter(1, D(2026, 1, 1), D(2026, 3, 31)),
    quarter(2, D(2026, 4, 1), D(2026, 6, 30)),
    quarter(3, D(2026, 7, 1), D(2026, 9, 30)),
    quarter(4, D(2026, 10, 1), D(2026, 12, 31)),
]
GOOD = CalendarInput(
    year_start=D(2026, 1, 1),
    year_end=D(2026, 12, 31),
    skp_deadline=D(2026, 1, 31),
    periods=Q,
    annual=Span(D(2026, 12, 25), D(2027, 1, 31)),
)


def with_period(n, **changes):
    periods = [replace(p, **changes) if p.number == n else p for p in Q]
    return replace(GOOD, periods=periods)


CALENDAR_TABLE = [
    ("good", GOOD, []),
    (
        "skp deadline after the year",
        replace(GOOD, skp_deadline=D(2027, 1, 2)),
        [Problem("skp_deadline_outside_year")],
    ),
    (
        "skp deadline before the year",
        replace(GOOD, skp_deadline=D(2025, 12, 31)),
        [Problem("skp_deadline_outside_year")],
    ),
    ("skp deadline on the last day", replace(GOOD, skp_deadline=D(2026, 12, 31)), []),
    (
        "evaluation ends before it starts",
        with_period(2, evaluation=Span(D(2026, 7, 10), D(2026, 7, 1))),
        [Problem("end_before_start", {"window": "evaluation", "period": "Triwulan 2"})],
    ),
    (
        "realisasi ends before it starts",
        with_period(2, realisasi=Span(D(2026, 4, 1), D(2026, 3, 31))),
        [Problem("end_before_start", {"window": "realisasi", "period": "Triwulan 2"})],
    ),
    (
        "evaluation closes the day before the period ends",
        with_period(2, evaluation=Span(D(2026, 6, 20), D(2026, 6, 29))),
        [Problem("closes_before_period_end", {"window": "evaluation", "period": "Triwulan 2"})],
    ),
    (
        "evaluation closes on the period's last day",
        with_period(2, evaluation=Span(D(2026, 6, 20), D(2026, 6, 30))),
        [],
    ),
    (
        "realisasi closes before the period ends",
        with_period(2, realisasi=Span(D(2026, 4, 1), D(2026, 6, 15))),
        [Problem("closes_before_period_end", {"window": "realisasi", "period": "Triwulan 2"})],
    ),
    (
        "realisasi opens after the period started",
        with_period(2, realisasi=Span(D(2026, 4, 2), D(2026, 7, 20))),
        [Problem("realisasi_opens_late", {"period": "Triwulan 2"})],
    ),
    (
        "realisasi opens early",
        with_period(2, realisasi=Span(D(2026, 3, 25), D(2026, 7, 20))),
        [],
    ),
    (
        "a window lies over the next period's: opens later, closes later",
        with_period(1, evaluation=Span(D(2026, 3, 25), D(2026, 7, 30))),
        [Problem("evaluation_overlap", {"period": "Triwulan 1", "other": "Triwulan 2"})],
    ),
    (
        "a window opens before the previous one",
        with_period(2, evaluation=Span(D(2026, 3, 20), D(2026, 7, 20))),
        [Problem("evaluation_overlap", {"period": "Triwulan 1", "other": "Triwulan 2"})],
    ),
    (
        "consecutive windows may share days",
        with_period(1, evaluation=Span(D(2026, 3, 25), D(2026, 6, 28))),
        [],
    ),
    (
        "annual closes before the year ends",
        replace(GOOD, annual=Span(D(2026, 12, 25), D(2026, 12, 30))),
        [Problem("annual_closes_before_year_end")],
    ),
    (
        "annual ends before it starts",
        replace(GOOD, annual=Span(D(2027, 1, 31), D(2027, 1, 1))),
        [Problem("end_before_start", {"window": "annual"})],
    ),
    (
        "annual opens before the last period's window",
        replace(GOOD, annual=Span(D(2026, 12, 24), D(2027, 1, 31))),
        [Problem("annual_opens_before_last_period")],
    ),
]


@pytest.mark.parametrize(
    ("case", "cal", "expected"), CALENDAR_TABLE, ids=[row[0] for row in CALENDAR_TABLE]
)
def test_check_calendar(case, cal, expected):
    assert check_calendar(cal) == expected


@pytest.mark.parametrize("year", range(2024, 2033))
@pytest.mark.parametrize("frequency", [planning.MONTHLY, planning.QUARTERLY])
def test_the_default_calendar_of_every_year_is_valid(year, frequency):
    """The windows that year_create makes (6 days before the end, 14 working days after)
    pass the validation in every year, monthly or quarterly, whatever the holidays."""
    off = national_holidays([year, year + 1])
    periods = []
    for spec in planning.generate_periods(year, frequency, planning.LAST_PERIOD):
        end = add_working_days(spec.end, planning.EVALUATION_WINDOW_WORKING_DAYS, off)
        evaluation = Span(spec.end - dt.timedelta(days=6), end)
        periods.append(
            PeriodInput(
                spec.number, spec.label, spec.start, spec.end, Span(spec.start, end), evaluation
            )
        )
    cal = CalendarInput(
        D(year, 1, 1),
        D(year, 12, 31),
        planning.default_skp_deadline(year),
        periods,
        Span(periods[-1].evaluation.start, planning.default_annual_deadline(year)),
    )
    assert check_calendar(cal) == []


OLD = Span(D(2026, 3, 25), D(2026, 4, 21))
CHANGE_TABLE = [
    # new span, today, acted_on, problems
    (Span(D(2026, 3, 25), D(2026, 4, 30)), D(2026, 4, 21), True, []),  # still open on its last day
    (Span(D(2026, 3, 25), D(2026, 4, 30)), D(2026, 4, 22), False, []),  # closed, nothing done
    (Span(D(2026, 3, 25), D(2026, 4, 30)), D(2026, 4, 22), True, ["closed_and_acted"]),
    (Span(D(2026, 3, 20), D(2026, 4, 21)), D(2026, 5, 1), True, ["closed_and_acted"]),
    (OLD, D(2026, 5, 1), True, []),  # unchanged
]


@pytest.mark.parametrize(("new", "today", "acted_on", "codes"), CHANGE_TABLE)
def test_check_change(new, today, acted_on, codes):
    problems = check_change(
        window="evaluation", label="Triwulan 1", old=OLD, new=new, today=today, acted_on=acted_on
    )
    assert [p.code for p in problems] == codes
    if codes:
        assert problems[0].params == {"window": "evaluation", "period": "Triwulan 1"}


YEAR = Span(D(2026, 1, 1), D(2026, 12, 31))
Q1 = (D(2026, 1, 1), D(2026, 3, 31))
OVERRIDE_TABLE = [
    ("evaluation", Span(D(2026, 3, 20), D(2026, 5, 1)), Q1, []),
    ("evaluation", Span(D(2026, 5, 1), D(2026, 3, 20)), Q1, ["end_before_start"]),
    ("evaluation", Span(D(2026, 3, 1), D(2026, 3, 30)), Q1, ["closes_before_period_end"]),
    ("realisasi", Span(D(2026, 1, 1), D(2026, 3, 31)), Q1, []),
    ("annual", Span(D(2026, 12, 1), D(2026, 12, 30)), None, ["annual_closes_before_year_end"]),
    ("annual", Span(D(2026, 12, 1), D(2027, 2, 28)), None, []),
    ("skp", Span(D(2026, 1, 1), D(2026, 2, 28)), None, []),
    ("skp", Span(D(2026, 1, 1), D(2027, 1, 1)), None, ["skp_deadline_outside_year"]),
]


@pytest.mark.parametrize(("window", "span", "period", "codes"), OVERRIDE_TABLE)
def test_check_override(window, span, period, codes):
    problems = check_override(window=window, span=span, period=period, year=YEAR)
    assert [p.code for p in problems] == codes


def test_the_regulation_defaults_of_the_working_day_rules():
    expected = WorkdayRules(
        deliver_days=14,
        deliver_days_by_superior=7,
        acknowledge_days=14,
        acknowledge_days_by_superior=7,
        appeal_file_days=14,
        appeal_decide_days=7,
        report_days=30,
        superior_rates_days=14,
    )
    assert expected == rules.DEFAULT_WORKDAY_RULES


@pytest.mark.parametrize(
    ("value", "codes"),
    [(0, ["workdays_out_of_range"]), (1, []), (90, []), (91, ["workdays_out_of_range"])],
)
def test_check_workdays_bounds(value, codes):
    problems = check_workdays(replace(rules.DEFAULT_WORKDAY_RULES, report_days=value))
    assert [p.code for p in problems] == codes
    assert all(p.params == {"rule": "report_days"} for p in problems)


NEAREST_TABLE = [
    ("/1/2/3/", {3: "own", 1: "root"}, "own"),
    ("/1/2/3/", {2: "parent", 1: "root"}, "parent"),
    ("/1/2/3/", {1: "root"}, "root"),
    ("/1/2/3/", {4: "sibling"}, None),
    ("/1/", {}, None),
    ("/12/57/", {12: "dinas"}, "dinas"),
    ("/12/57/", {5: "not an ancestor of 57"}, None),
]


@pytest.mark.parametrize(("path", "by_unit", "expected"), NEAREST_TABLE)
def test_nearest_override_of_the_unit_or_its_ancestors(path, by_unit, expected):
    assert nearest(path, by_unit) == expected


def test_next_deadline_is_the_first_on_or_after_today():
    deadlines = [("skp", D(2026, 1, 31)), ("q1", D(2026, 4, 21)), ("q1r", D(2026, 4, 21))]
    assert next_deadline(deadlines, D(2026, 1, 31)) == ("skp", D(2026, 1, 31))
    assert next_deadline(deadlines, D(2026, 2, 1)) == ("q1", D(2026, 4, 21))
    assert next_deadline(deadlines, D(2026, 4, 22)) is None


CLOSE_TABLE = [
    # today, last window opens, reason, codes
    (D(2026, 12, 24), D(2026, 12, 25), "", ["annual_close_early"]),
    (D(2026, 12, 24), D(2026, 12, 25), "  ", ["annual_close_early"]),
    (D(2026, 12, 24), D(2026, 12, 25), "Pemeriksaan BPK", []),
    (D(2026, 12, 25), D(2026, 12, 25), "", []),
    (D(2027, 1, 5), D(2026, 12, 25), "", []),
    (D(2026, 6, 1), None, "", []),
]


@pytest.mark.parametrize(("today", "opens", "reason", "codes"), CLOSE_TABLE)
def test_check_annual_close(today, opens, reason, codes):
    problems = rules.check_annual_close(today=today, last_window_start=opens, reason=reason)
    assert [p.code for p in problems] == codes
    assert all(p.params == {"date": opens} for p in problems)
