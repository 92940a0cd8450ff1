"""Tests of kinerja.rules.workdays, with real Indonesian holidays and weekends."""

from datetime import date, timedelta

import pytest

from kinerja.rules.workdays import (
    add_working_days,
    is_working_day,
    national_holidays,
    working_days_between,
)

OFF_2025 = national_holidays([2025])


def test_national_holidays_contains_real_indonesian_holidays():
    assert date(2025, 1, 1) in OFF_2025  # Tahun Baru Masehi
    assert date(2025, 8, 17) in OFF_2025  # Hari Kemerdekaan
    assert date(2025, 12, 25) in OFF_2025  # Hari Raya Natal
    assert date(2025, 3, 31) in OFF_2025  # Idul Fitri 1446 H
    assert date(2025, 8, 18) not in OFF_2025
    assert all(d.year == 2025 for d in OFF_2025)


def test_national_holidays_several_years():
    off = national_holidays([2024, 2025])
    assert {date(2024, 8, 17), date(2025, 8, 17), date(2024, 1, 1)} <= off
    assert national_holidays([]) == set()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 8, 15), True),  # Friday
        (date(2025, 8, 16), False),  # Saturday
        (date(2025, 8, 17), False),  # Sunday and Independence Day
        (date(2025, 8, 18), True),  # Monday
        (date(2025, 1, 1), False),  # Wednesday, New Year
        (date(2025, 1, 2), True),  # Thursday
        (date(2025, 12, 25), False),  # Thursday, Christmas
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day, OFF_2025) is expected


def test_is_working_day_agency_day_off():
    # 26 December 2025 is a Friday: a working day unless the agency adds it (cuti bersama).
    assert is_working_day(date(2025, 12, 26), OFF_2025) is True
    assert is_working_day(date(2025, 12, 26), OFF_2025 | {date(2025, 12, 26)}) is False


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 8, 13), 0, date(2025, 8, 13)),
        (date(2025, 8, 16), 0, date(2025, 8, 16)),  # n = 0 is start, even on a Saturday
        (date(2025, 8, 14), 1, date(2025, 8, 15)),  # Thu -> Fri
        (date(2025, 8, 15), 1, date(2025, 8, 18)),  # Fri -> Mon over the weekend (17 Aug Sun)
        (date(2025, 8, 16), 1, date(2025, 8, 18)),  # from a Saturday
        (date(2024, 8, 15), 1, date(2024, 8, 16)),  # 2024: Thu -> Fri
        (date(2024, 8, 16), 1, date(2024, 8, 19)),  # 17 Aug 2024 is a Saturday anyway
        (date(2024, 12, 31), 1, date(2025, 1, 2)),  # over New Year (Wed)
        (date(2024, 12, 24), 1, date(2024, 12, 26)),  # over Christmas (Wed)
        (date(2025, 1, 2), 14, date(2025, 1, 22)),  # 14 working days, plain January
        # 14 working days from Thu 20 March 2025: 21, 24-28 Mar (6), Nyepi on Sat 29 Mar, Idul
        # Fitri Mon 31 Mar and Tue 1 Apr skipped, 2-4 Apr (9), 7-11 Apr (14).
        (date(2025, 3, 20), 14, date(2025, 4, 11)),
    ],
)
def test_add_working_days(start, n, expected):
    off = national_holidays([2024, 2025])
    assert add_working_days(start, n, off) == expected


def test_add_working_days_without_holidays_counts_only_weekends():
    assert add_working_days(date(2025, 8, 15), 1, set()) == date(2025, 8, 18)
    assert add_working_days(date(2024, 12, 31), 1, set()) == date(2025, 1, 1)


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 2), -1, set())


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 8, 13), date(2025, 8, 13), 0),
        (date(2025, 8, 14), date(2025, 8, 15), 1),  # Thu -> Fri
        (date(2025, 8, 15), date(2025, 8, 17), 0),  # Sat, Sun
        (date(2025, 8, 15), date(2025, 8, 18), 1),
        (date(2024, 12, 31), date(2025, 1, 1), 0),  # New Year only
        (date(2024, 12, 31), date(2025, 1, 3), 2),  # Thu 2, Fri 3
        (date(2025, 1, 2), date(2025, 1, 22), 14),
        (date(2025, 3, 20), date(2025, 4, 10), 13),
        (date(2025, 3, 20), date(2025, 4, 11), 14),
        (date(2025, 3, 20), date(2025, 4, 13), 14),  # the weekend after adds nothing
    ],
)
def test_working_days_between(start, end, expected):
    off = national_holidays([2024, 2025])
    assert working_days_between(start, end, off) == expected


def test_working_days_between_rejects_reversed_dates():
    with pytest.raises(ValueError):
        working_days_between(date(2025, 1, 3), date(2025, 1, 2), set())


def test_working_days_between_inverts_add_working_days():
    off = national_holidays([2025, 2026])
    start = date(2025, 12, 20)
    for n in range(0, 40):
        end = add_working_days(start, n, off)
        assert working_days_between(start, end, off) == n
    for offset in range(0, 60):
        end = start + timedelta(days=offset)
        count = working_days_between(start, end, off)
        back = add_working_days(start, count, off)
        assert back <= end
        assert (back == end) is (offset == 0 or is_working_day(end, off))
