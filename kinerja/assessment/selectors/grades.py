"""The organisation grade that holds for a unit: its own, else its nearest
ancestor's, for the period, else the year, else (late) the previous year
(kinerja.rules.org_grades; docs/domain.md §4 step one).

`grade_map` is the one resolver: evaluation finalise, calibration, the rating
proposal of a unit head and the grades page all read through it. It is
set-based: the ancestors come from the units' materialised paths (no query),
the grades in one query, whatever the number of units.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from kinerja.org.models import OrgUnit
from kinerja.planning.models import PerformanceYear, Period
from kinerja.rules.org_grades import ancestors_from_path, resolve

from ..models import OrgPerformance

# The layers, most specific first (kinerja.rules.org_grades).
LAYER_PERIOD = "period"
LAYER_YEAR = "year"
LAYER_PREVIOUS_YEAR = "previous_year"

# Above this many unit ids, the grades are read by agency instead of by id list
# (one query either way; keeps the SQL parameter list bounded).
_ID_LIST_LIMIT = 500


@dataclass(frozen=True)
class EffectiveGrade:
    """The grade that holds for one unit: the row it comes from, whether it is
    inherited (the row is an ancestor's) and in which layer it was found."""

    grade: str
    row: OrgPerformance
    inherited: bool
    layer: str

    @property
    def origin_unit(self) -> OrgUnit:
        return self.row.unit


def _layers(period: Period | None) -> list[str]:
    if period is None:
        return [LAYER_YEAR, LAYER_PREVIOUS_YEAR]
    return [LAYER_PERIOD, LAYER_YEAR, LAYER_PREVIOUS_YEAR]


def grade_rows(
    agency_id: int, unit_ids: Iterable[int], year: PerformanceYear, period: Period | None
) -> list[OrgPerformance]:
    """The own grades that may matter for the units (one query)."""
    ids = set(unit_ids)
    scope = Q(year=year, period__isnull=True) | Q(
        year__agency_id=agency_id, year__year=year.year - 1, period__isnull=True
    )
    if period is not None:
        scope |= Q(period=period)
    rows = OrgPerformance.objects.filter(scope, agency_id=agency_id)
    if len(ids) <= _ID_LIST_LIMIT:
        rows = rows.filter(unit_id__in=ids)
    return list(rows.select_related("unit", "period", "year", "entered_by__employee"))


def grade_map(
    units: Iterable[OrgUnit], year: PerformanceYear, period: Period | None = None
) -> dict[int, EffectiveGrade | None]:
    """unit id → the grade that holds for it (None: no grade anywhere up its
    chain). `units` need their `path`. One query."""
    units = list(units)
    chains = {unit.pk: ancestors_from_path(unit.path) or [unit.pk] for unit in units}
    wanted = {pk for chain in chains.values() for pk in chain}
    names = _layers(period)
    layers: dict[str, dict[int, OrgPerformance]] = {name: {} for name in names}
    for row in grade_rows(year.agency_id, wanted, year, period):
        if row.period_id is not None:
            if period is not None and row.period_id == period.pk:
                layers[LAYER_PERIOD][row.unit_id] = row
        elif row.year_id == year.pk:
            layers[LAYER_YEAR][row.unit_id] = row
        else:
            layers[LAYER_PREVIOUS_YEAR][row.unit_id] = row
    ordered = [layers[name] for name in names]
    out: dict[int, EffectiveGrade | None] = {}
    for pk, chain in chains.items():
        found = resolve(chain, ordered)
        out[pk] = (
            None
            if found is None
            else EffectiveGrade(found.value.grade, found.value, found.inherited, names[found.layer])
        )
    return out


def effective_grade(
    unit_id: int | None, year: PerformanceYear, period: Period | None = None
) -> EffectiveGrade | None:
    """The grade that holds for one unit (two queries)."""
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id, agency_id=year.agency_id).only("pk", "path").first()
    if unit is None:
        return None
    return grade_map([unit], year, period)[unit.pk]


def org_grade_for(unit_id: int | None, year: PerformanceYear, period: Period | None = None) -> str:
    """The grade code that holds for a unit ("" when none): the one the rating
    proposal, evaluation finalise and calibration use."""
    found = effective_grade(unit_id, year, period)
    return found.grade if found is not None else ""
