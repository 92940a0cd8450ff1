"""The index through the selectors, against hand-computed examples (docs/domain.md §7).

The arithmetic itself is kinerja.rules.ikm's (tested table by table there); these tests check
the wiring: the aggregate query rebuilds the exact answers, flagged and hidden responses stay
out, periods and date ranges scope, a unit pools its subtree.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.surveys import selectors
from kinerja.surveys.models import Response

from .factories import bulk_responses, make_period, make_service

pytestmark = pytest.mark.django_db


def spread(n, total):
    """n responses whose 9n answers add up to `total`, as evenly as possible."""
    cells = 9 * n
    base, extra = divmod(total, cells)
    values = [base + (1 if i < extra else 0) for i in range(cells)]
    return [tuple(values[i * 9 : i * 9 + 9]) for i in range(n)]


# (name, rows, ikm 1-4, converted, mutu, kinerja). Converted = 25 x total / (9 x n) when every
# element has n answers; the boundary rows sit on each side of the grade limits.
CASES = [
    ("all four", [(4,) * 9] * 4, "4.0000", "100.00", "A", "sangat_baik"),
    ("all one", [(1,) * 9] * 3, "1.0000", "25.00", "D", "tidak_baik"),
    ("all three", [(3,) * 9] * 5, "3.0000", "75.00", "C", "kurang_baik"),
    # NRR 4, 3.5, 3, 2.5, 4, 3.5, 3, 2.5, 4 -> 30/9 = 3.3333 -> 83.33
    (
        "mixed",
        [(4, 3, 2, 1, 4, 3, 2, 1, 4), (4,) * 9],
        "3.3333",
        "83.33",
        "B",
        "baik",
    ),
    ("64.99 is D", spread(38, 889), "2.5994", "64.99", "D", "tidak_baik"),
    ("65.00 is C", spread(5, 117), "2.6000", "65.00", "C", "kurang_baik"),
    ("76.60 is C", spread(26, 717), "3.0641", "76.60", "C", "kurang_baik"),
    ("76.61 is B", spread(19, 524), "3.0643", "76.61", "B", "baik"),
    ("88.30 is B", spread(19, 604), "3.5322", "88.30", "B", "baik"),
    ("88.31 is A", spread(24, 763), "3.5324", "88.31", "A", "sangat_baik"),
]


@pytest.mark.parametrize(
    ("rows", "ikm", "converted", "mutu", "kinerja"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_service_index_matches_worked_examples(
    world, service, period, rows, ikm, converted, mutu, kinerja
):
    bulk_responses(service, period, rows)
    summary = selectors.service_index(service=service, period=period)
    assert summary.responses == len(rows)
    assert summary.result.ikm == Decimal(ikm)
    assert summary.result.converted == Decimal(converted)
    assert (summary.result.mutu, summary.result.kinerja) == (mutu, kinerja)
    start, end = period.start, period.end
    assert selectors.ikm_for_service(service=service, period_start=start, period_end=end) == (
        summary.result
    )


def test_per_element_nrr_and_distribution(world, service, period):
    bulk_responses(service, period, [(4, 3, 2, 1, 4, 3, 2, 1, 4), (4,) * 9, (1,) * 9])
    summary = selectors.service_index(service=service, period=period)
    assert summary.result.nrr["U1"] == Decimal("3.000")  # (4+4+1)/3
    assert summary.result.nrr["U4"] == Decimal("2.000")  # (1+4+1)/3
    assert summary.result.nrr["U2"] == Decimal("2.667")  # (3+4+1)/3
    assert summary.distribution["U4"] == [2, 0, 0, 1]
    assert summary.result.counts["U9"] == 3


def test_flagged_and_hidden_responses_are_not_counted(world, service, period):
    bulk_responses(service, period, [(4,) * 9])
    bulk_responses(service, period, [(1,) * 9], flag=Response.Flag.PENDING)
    bulk_responses(service, period, [(1,) * 9], flag=Response.Flag.REJECTED)
    bulk_responses(service, period, [(1,) * 9], moderation=Response.Moderation.HIDDEN)
    bulk_responses(service, period, [(2,) * 9], flag=Response.Flag.ACCEPTED)
    summary = selectors.service_index(service=service, period=period)
    assert summary.responses == 2
    assert summary.result.converted == Decimal("75.00")  # (4 + 2) / 2 = 3 -> 75


def test_no_responses_gives_none(world, service, period):
    bulk_responses(service, period, [(4,) * 9], flag=Response.Flag.PENDING)
    assert selectors.service_index(service=service, period=period).result is None
    assert (
        selectors.ikm_for_service(service=service, period_start=period.start, period_end=period.end)
        is None
    )


def test_period_and_date_range_scoping(world, service):
    first = make_period(
        world.agency, name="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    second = make_period(
        world.agency, name="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    t2025 = timezone.make_aware(dt.datetime(2025, 6, 1, 10))
    t2026 = timezone.make_aware(dt.datetime(2026, 6, 1, 10))
    bulk_responses(service, first, [(1,) * 9], submitted_at=t2025)
    bulk_responses(service, second, [(4,) * 9], submitted_at=t2026)
    assert selectors.service_index(service=service, period=first).result.converted == 25
    assert selectors.service_index(service=service, period=second).result.converted == 100
    assert selectors.service_index(service=service).result.converted == Decimal("62.50")
    result = selectors.ikm_for_service(
        service=service, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 1)
    )
    assert result.converted == 100
    points = selectors.trend(selectors.counted_responses(services=[service]), [second, first])
    assert [(p.name, s.result.converted) for p, s in points] == [("2025", 25), ("2026", 100)]


def test_unit_pools_its_subtree(world, period):
    seksi = make_service(world, unit="seksi", name="Imunisasi", served_population=100)
    bidang = make_service(world, unit="bidang", name="Rujukan", served_population=1000)
    other = make_service(world, unit="bkpsdm", name="Legalisir SK")
    bulk_responses(seksi, period, [(4,) * 9] * 3)
    bulk_responses(bidang, period, [(2,) * 9])
    bulk_responses(other, period, [(1,) * 9] * 5)
    unit_summary = selectors.unit_index(unit=world.units["bidang"], period=period)
    assert unit_summary.responses == 4
    assert unit_summary.result.converted == Decimal("87.50")  # (4*3 + 2) / 4 = 3.5
    assert unit_summary.population == 1100
    assert unit_summary.min_sample == 285  # Krejcie-Morgan for N = 1,100
    assert unit_summary.below_min_sample
    seksi_only = selectors.ikm_for_unit(
        unit=world.units["seksi"], period_start=period.start, period_end=period.end
    )
    assert seksi_only.converted == 100
    dinkes = selectors.unit_index(unit=world.units["dinkes"], period=period)
    assert dinkes.responses == 4


def test_min_sample_warning(world, service, period):
    # served_population 100 -> minimum 80 respondents
    bulk_responses(service, period, [(4,) * 9] * 79)
    summary = selectors.service_index(service=service, period=period)
    assert (summary.min_sample, summary.below_min_sample) == (80, True)
    bulk_responses(service, period, [(4,) * 9])
    assert not selectors.service_index(service=service, period=period).below_min_sample


def test_index_is_one_query_whatever_the_size(world, service, period):
    bulk_responses(service, period, [(3,) * 9] * 2)
    with CaptureQueriesContext(connection) as small:
        selectors.service_index(service=service, period=period)
    bulk_responses(service, period, [(4,) * 9] * 500)
    with CaptureQueriesContext(connection) as big:
        summary = selectors.service_index(service=service, period=period)
    assert len(small) == len(big) == 1
    assert summary.responses == 502
