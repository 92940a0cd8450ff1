"""Working days (hari kerja) for the deadlines of the performance cycle (docs/domain.md §1).

PermenPANRB 6/2022 counts its deadlines in hari kerja: 14 to deliver a signed evaluation, 14 to
acknowledge it (7 when signed by the rater's superior), 30 to report to the PyB, 14 to file an
appeal (keberatan) and 7 to decide it (lampiran Bab V). A working day is Monday to Friday and
not a day off; the days off are the national holidays from the ``holidays`` data package plus
the agency's own days (cuti bersama, regional holidays), which the caller adds, since
``holidays`` does not know an agency's calendar.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date, timedelta

import holidays

__all__ = ["add_working_days", "is_working_day", "national_holidays", "working_days_between"]

_ONE_DAY = timedelta(days=1)


def national_holidays(years: Iterable[int]) -> set[date]:
    """Indonesian national holidays (hari libur nasional) of ``years``.

    From ``holidays.country_holidays("ID")``, a data package that works offline. It does not
    contain cuti bersama (joint leave set yearly by SKB of three ministers): add those, and any
    regional or agency day off, to the set before counting.
    """
    return set(holidays.country_holidays("ID", years=list(years)))


def is_working_day(d: date, days_off: Container[date]) -> bool:
    """True when ``d`` is Monday to Friday and not in ``days_off``."""
    return d.weekday() < 5 and d not in days_off


def add_working_days(start: date, n: int, days_off: Container[date]) -> date:
    """The n-th working day after ``start``; ``start`` itself is never counted.

    This is how "paling lama 14 hari kerja sejak ..." becomes a due date: the event on ``start``
    (signing, receipt) is day 0, whatever kind of day it is. ``n = 0`` returns ``start``.
    Negative ``n`` raises ``ValueError``.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    current = start
    remaining = n
    while remaining:
        current += _ONE_DAY
        if is_working_day(current, days_off):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, days_off: Container[date]) -> int:
    """Working days after ``start`` up to and including ``end``.

    The inverse of :func:`add_working_days`: for a working day ``end``,
    ``add_working_days(start, working_days_between(start, end, off), off) == end``, so an act on
    ``end`` is on time for an n-day deadline exactly when the result is <= n. ``end == start``
    gives 0; ``end`` before ``start`` raises ``ValueError`` (a date error, not a count).
    """
    if end < start:
        raise ValueError("end must not be before start")
    count = 0
    current = start
    while current < end:
        current += _ONE_DAY
        if is_working_day(current, days_off):
            count += 1
    return count
