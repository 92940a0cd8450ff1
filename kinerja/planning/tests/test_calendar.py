"""The year's calendar: effective windows with unit overrides, and where the year stands."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.org.models import OrgUnit
from kinerja.planning.models import CalendarOverride
from kinerja.planning.selectors.calendar import calendar_for, calendar_map, year_position
from kinerja.rules.calendar import DEFAULT_WORKDAY_RULES
from kinerja.testing import performance_year

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def cal_year(world):
    return performance_year(world, 2026, periods=True)


def override(world, year, unit, window, start, end, period=None, reason="Kepala unit berganti"):
    return CalendarOverride.objects.create(
        agency=world.agency,
        year=year,
        unit=world.units[unit],
        window=window,
        period=period,
        start=start,
        end=end,
        reason=reason,
        created_by=world.user("admin"),
    )


def test_without_overrides_everyone_has_the_agency_calendar(world, cal_year):
    cal = calendar_for(world.staff, cal_year)
    q1 = cal.periods[0]
    assert (cal.skp.start, cal.skp.end) == (D(2026, 1, 1), D(2026, 1, 31))
    assert (q1.evaluation.start, q1.evaluation.end) == (D(2026, 3, 25), D(2026, 4, 20))
    # Realisasi: from the period's first day until its evaluation window closes.
    assert (q1.realisasi.start, q1.realisasi.end) == (D(2026, 1, 1), D(2026, 4, 20))
    # The annual window opens with the last period's evaluation window.
    assert (cal.annual.start, cal.annual.end) == (D(2026, 12, 25), D(2027, 1, 31))
    assert cal.workdays == DEFAULT_WORKDAY_RULES
    assert cal.overrides == []
    assert q1.evaluation.source == "Kalender instansi"


def test_override_of_an_ancestor_applies_to_the_subtree_and_the_nearest_wins(world, cal_year):
    q2 = cal_year.periods.get(number=2)
    dinas = override(world, cal_year, "dinkes", "evaluation", D(2026, 6, 20), D(2026, 7, 31), q2)
    seksi = override(world, cal_year, "seksi", "evaluation", D(2026, 6, 24), D(2026, 8, 14), q2)
    cals = calendar_map(OrgUnit.objects.filter(agency=world.agency), cal_year)
    u = world.units
    assert cals[u["setda"].pk].period(q2.pk).evaluation.override is None
    assert cals[u["bkpsdm"].pk].period(q2.pk).evaluation.end == D(2026, 7, 20)
    assert cals[u["dinkes"].pk].period(q2.pk).evaluation.override == dinas
    assert cals[u["bidang"].pk].period(q2.pk).evaluation.end == D(2026, 7, 31)
    assert cals[u["seksi"].pk].period(q2.pk).evaluation.override == seksi
    assert cals[u["seksi"].pk].period(q2.pk).evaluation.source == ("Khusus Seksi Layanan Primer")
    # Only that window of that period moves.
    assert cals[u["seksi"].pk].period(q2.pk).realisasi.override is None
    assert cals[u["seksi"].pk].periods[0].evaluation.override is None
    assert calendar_for(world.staff, cal_year).period(q2.pk).evaluation.end == D(2026, 8, 14)


def test_calendar_map_takes_two_queries_whatever_the_number_of_units(world, cal_year):
    override(world, cal_year, "dinkes", "skp", D(2026, 1, 1), D(2026, 2, 28))
    units = list(OrgUnit.objects.filter(agency=world.agency))
    with CaptureQueriesContext(connection) as ctx:
        cals = calendar_map(units, cal_year)
    assert len(ctx.captured_queries) == 2
    assert cals[world.units["seksi"].pk].skp.end == D(2026, 2, 28)
    assert cals[world.units["bkpsdm"].pk].skp.end == D(2026, 1, 31)


POSITION_TABLE = [
    (D(2025, 12, 1), "Tahun penilaian belum dimulai.", "Batas penetapan SKP", D(2026, 1, 31)),
    (
        D(2026, 1, 10),
        "Perencanaan: SKP ditetapkan paling lambat 31-01-2026.",
        "Batas penetapan SKP",
        D(2026, 1, 31),
    ),
    (
        D(2026, 5, 2),
        "Pelaksanaan dan pemantauan: Triwulan 2.",
        "Batas realisasi Triwulan 2",
        D(2026, 7, 20),
    ),
    (
        D(2026, 12, 28),
        "Evaluasi tahunan sedang berlangsung.",
        "Batas realisasi Triwulan 4",
        D(2027, 1, 20),
    ),
    (
        D(2027, 2, 1),
        "Semua jendela tahun ini sudah ditutup; menunggu penutupan tahunan.",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("today", "stage", "label", "when"), POSITION_TABLE)
def test_year_position(world, cal_year, today, stage, label, when):
    position = year_position(cal_year, today)
    assert (position.stage, position.next_label, position.next_date) == (stage, label, when)


def test_year_position_lists_the_open_windows(world, cal_year):
    position = year_position(cal_year, D(2026, 3, 28))
    assert position.open_windows == ("Realisasi Triwulan 1", "Evaluasi Triwulan 1")
