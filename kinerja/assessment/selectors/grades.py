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

from django.db.models import Exists, OuterRef, Q, QuerySet

from kinerja.org.models import Employee, OrgUnit, RoleGrant
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

    @property
    def set_by(self) -> str:
        """The name of who set the grade (their account name without an employee)."""
        user = self.row.entered_by
        if user is None:
            return ""
        employee = getattr(user, "employee", None)  # a missing one raises AttributeError
        return employee.full_name if employee is not None else user.get_username()


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


# --- The grades page: the chart as a tree, bounded ----------------------------------------

# Children shown per unit; the rest come a page at a time ("berikutnya").
PAGE_SIZE = 100


@dataclass
class GradeNode:
    """One unit on the grades page, with the grade that holds for it."""

    unit: OrgUnit
    grade: EffectiveGrade | None
    has_children: bool
    children: list["GradeNode"]
    next_offset: int | None = None  # more children to load from this offset


def _tree_units(agency_id: int) -> QuerySet[OrgUnit]:
    below = OrgUnit.objects.filter(parent_id=OuterRef("pk"))
    return (
        OrgUnit.objects.filter(agency_id=agency_id)
        .annotate(has_children=Exists(below))
        .only("pk", "agency_id", "parent_id", "code", "name", "path", "depth", "is_active")
        .order_by("name", "pk")
    )


def grade_tree(
    agency_id: int, year: PerformanceYear, period: Period | None, open_unit: OrgUnit | None = None
) -> list[GradeNode]:
    """The top two levels of the chart (the agency's sekretariat and its units),
    and the children of every unit on the way to `open_unit`, each level
    capped at PAGE_SIZE. Two queries."""
    expanded = set(ancestors_from_path(open_unit.path)) if open_unit is not None else set()
    units = list(_tree_units(agency_id).filter(Q(depth__lte=1) | Q(parent_id__in=expanded)))
    expanded |= {unit.pk for unit in units if unit.parent_id is None}
    grades = grade_map(units, year, period)
    by_parent: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def level(parent_id: int | None) -> tuple[list[GradeNode], int | None]:
        found = by_parent.get(parent_id, [])
        nodes = []
        for unit in found[:PAGE_SIZE]:
            children, more = level(unit.pk) if unit.pk in expanded else ([], None)
            nodes.append(
                GradeNode(unit, grades[unit.pk], unit.has_children, children, more)  # type: ignore[attr-defined]
            )
        return nodes, (PAGE_SIZE if len(found) > PAGE_SIZE else None)

    return level(None)[0]


def grade_children(
    parent: OrgUnit, year: PerformanceYear, period: Period | None, offset: int = 0
) -> tuple[list[GradeNode], int | None]:
    """A page of a unit's children (for expanding the tree) and the offset of
    the next page (None when none). Two queries."""
    units = list(
        _tree_units(parent.agency_id).filter(parent_id=parent.pk)[offset : offset + PAGE_SIZE + 1]
    )
    more = offset + PAGE_SIZE if len(units) > PAGE_SIZE else None
    units = units[:PAGE_SIZE]
    grades = grade_map(units, year, period)
    nodes = [
        GradeNode(u, grades[u.pk], u.has_children, [])  # type: ignore[attr-defined]
        for u in units
    ]
    return nodes, more


@dataclass(frozen=True)
class Ungraded:
    """The units of an agency that have no grade, own or inherited."""

    total: int
    units: list[OrgUnit]  # the first ones, by name


def ungraded_units(
    agency_id: int, year: PerformanceYear, period: Period | None, limit: int = 20
) -> Ungraded:
    """Active units with no grade anywhere up their chain (two queries, bounded
    by the number of units, not of employees)."""
    units = list(
        OrgUnit.objects.filter(agency_id=agency_id, is_active=True)
        .only("pk", "agency_id", "name", "code", "path")
        .order_by("name", "pk")
    )
    grades = grade_map(units, year, period)
    missing = [u for u in units if grades[u.pk] is None]
    return Ungraded(len(missing), missing[:limit])


@dataclass(frozen=True)
class GradeNotice:
    """What a rater sees before rating: the grade their unit's evaluations need
    (own or inherited), or that it is missing and whom to ask."""

    unit: OrgUnit
    grade: EffectiveGrade | None
    admins: list[str]  # admin BKD's names, when the grade is missing


def grade_notice(
    employee: Employee, year: PerformanceYear, period: Period | None
) -> GradeNotice | None:
    """The grade of the unit the rater leads (their position's unit) for the
    period (None: the year); three queries at most."""
    unit_id = employee.position.unit_id if employee.position is not None else employee.unit_id
    unit = (
        OrgUnit.objects.filter(pk=unit_id, agency_id=year.agency_id)
        .only("pk", "agency_id", "name", "path")
        .first()
    )
    if unit is None:
        return None
    found = grade_map([unit], year, period)[unit.pk]
    admins: list[str] = []
    if found is None:
        grants = RoleGrant.objects.filter(
            agency_id=year.agency_id, role=RoleGrant.Role.ADMIN_BKD
        ).select_related("user__employee")
        for grant in grants:
            employee_row = getattr(grant.user, "employee", None)
            admins.append(
                employee_row.full_name if employee_row is not None else grant.user.get_username()
            )
    return GradeNotice(unit, found, sorted(admins))
