"""The two views of the cascade: the matriks peran hasil of one superior and
the pohon kinerja of an agency or unit. Each runs a fixed number of queries
whatever the size, assembled in Python."""

from collections import defaultdict
from typing import TypedDict

from kinerja.org.models import Employee, OrgUnit

from ..models import OrgGoal, PerformanceYear, Rhk, Skp
from .submission import needs_link

# Flat lists on the tree page show at most this many rows (counts stay exact);
# narrow the page to a unit to see the rest.
LIST_LIMIT = 200


class RoleMatrix(TypedDict):
    own: Skp  # the superior's SKP: its RHK are the columns
    columns: list[Rhk]
    rows: list[Skp]  # direct subordinates, each followed by the members they rate
    direct: list[Skp]


class PerformanceTree(TypedDict):
    goals: list[OrgGoal]
    roots: list[Rhk]
    unlinked: list[Rhk]
    unlinked_count: int
    not_approved: list[Skp]
    not_approved_count: int
    no_rhk_count: int
    units: list[OrgUnit]
    total: int
    approved: int


def role_matrix(*, employee: Employee, year: PerformanceYear) -> RoleMatrix | None:
    """Matriks peran hasil: the superior's RHK (columns) × direct subordinates'
    SKP (rows); each cell lists the subordinate RHK linked to that column.
    Second level: members rated by a direct subordinate (team leads). Four
    queries whatever the size."""
    own = (
        Skp.objects.filter(employee=employee, year=year).exclude(status=Skp.Status.DITUTUP).first()
    )
    if own is None:
        return None
    columns = list(
        Rhk.objects.filter(skp=own).prefetch_related("ikis").order_by("kind", "order", "pk")
    )
    subs = list(
        Skp.objects.filter(year=year, rater=employee)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("employee", "position")
        .order_by("employee__name", "pk")
    )
    members = list(
        Skp.objects.filter(year=year, rater_id__in=[s.employee_id for s in subs])
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("employee", "position")
        .order_by("employee__name", "pk")
    )
    rhks = list(
        Rhk.objects.filter(skp__in=[s.pk for s in subs + members]).only(
            "pk", "skp_id", "parent_id", "text", "kind"
        )
    )
    by_skp_parent: defaultdict[tuple[int, int | None], list[Rhk]] = defaultdict(list)
    parent_of: dict[int, int | None] = {}
    for rhk in rhks:
        by_skp_parent[(rhk.skp_id, rhk.parent_id)].append(rhk)
        parent_of[rhk.pk] = rhk.parent_id
    for skp in subs:
        skp.cells = [by_skp_parent.get((skp.pk, col.pk), []) for col in columns]
        skp.level = 1
    for skp in members:
        # A member's cell under a column: their RHK intervening in the team lead's
        # RHK that itself intervenes in the column.
        skp.cells = [
            [
                r
                for r in rhks
                if r.skp_id == skp.pk
                and r.parent_id is not None
                and parent_of.get(r.parent_id) == col.pk
            ]
            for col in columns
        ]
        skp.level = 2
    members_by_lead: defaultdict[int | None, list[Skp]] = defaultdict(list)
    for skp in members:
        members_by_lead[skp.rater_id].append(skp)
    rows = []
    for skp in subs:
        rows.append(skp)
        rows.extend(members_by_lead.get(skp.employee_id, []))
    return {"own": own, "columns": columns, "rows": rows, "direct": subs}


def _no_stats() -> dict[str, int]:
    return {"employees": 0, "approved": 0, "rhk": 0, "unlinked": 0}


def performance_tree(*, year: PerformanceYear, unit_path: str = "") -> PerformanceTree:
    """Pohon kinerja: agency goals → JPT RHK → … → each employee's RHK, with
    unlinked RHK, employees without an approved SKP and counts per unit.
    Four flat queries, assembled in Python."""
    goals = list(OrgGoal.objects.filter(year=year).select_related("unit").order_by("order", "pk"))
    skp_qs = Skp.objects.filter(year=year).exclude(status=Skp.Status.DITUTUP)
    if unit_path:
        skp_qs = skp_qs.filter(unit__path__startswith=unit_path)
    skps = {
        s.pk: s
        for s in skp_qs.select_related("employee", "position", "unit").order_by(
            "unit__path", "employee__name"
        )
    }
    rhks = list(
        Rhk.objects.filter(skp__in=list(skps))
        .only("pk", "skp_id", "parent_id", "org_goal_id", "text", "kind", "source")
        .order_by("skp_id", "kind", "order", "pk")
    )
    units = list(OrgUnit.objects.filter(agency_id=year.agency_id).order_by("path"))
    if unit_path:
        units = [u for u in units if u.path.startswith(unit_path)]
    children: defaultdict[int, list[Rhk]] = defaultdict(list)
    by_goal: defaultdict[int, list[Rhk]] = defaultdict(list)
    roots: list[Rhk] = []
    unlinked: list[Rhk] = []
    rhk_ids = {r.pk for r in rhks}
    for rhk in rhks:
        skp = skps[rhk.skp_id]
        rhk.owner = skp
        rhk.tree_children = children[rhk.pk]
        if rhk.parent_id in rhk_ids:
            children[rhk.parent_id].append(rhk)
        elif rhk.org_goal_id:
            by_goal[rhk.org_goal_id].append(rhk)
        elif rhk.parent_id:
            roots.append(rhk)  # linked to an RHK outside the selection
        else:
            position_kind = skp.position.kind if skp.position is not None else None
            rhk.is_unlinked = needs_link(skp, rhk, position_kind)
            (unlinked if rhk.is_unlinked else roots).append(rhk)
    for goal in goals:
        goal.tree_children = by_goal.get(goal.pk, [])
    stats = {u.pk: _no_stats() for u in units}
    for skp in skps.values():
        row = stats.setdefault(skp.unit_id, _no_stats())
        row["employees"] += 1
        row["approved"] += skp.status == Skp.Status.DISETUJUI
    for rhk in rhks:
        stats[rhk.owner.unit_id]["rhk"] += 1
    for rhk in unlinked:
        stats[rhk.owner.unit_id]["unlinked"] += 1
    for unit in units:
        unit.stats = stats[unit.pk]  # type: ignore[attr-defined]  # for the page
    has_rhk = {r.skp_id for r in rhks}
    not_approved = [s for s in skps.values() if s.status != Skp.Status.DISETUJUI]
    return {
        "goals": goals,
        "roots": roots,
        "unlinked": unlinked[:LIST_LIMIT],
        "unlinked_count": len(unlinked),
        "not_approved": not_approved[:LIST_LIMIT],
        "not_approved_count": len(not_approved),
        "no_rhk_count": sum(1 for s in skps.values() if s.pk not in has_rhk),
        "units": [u for u in units if u.stats["employees"]],  # type: ignore[attr-defined]
        "total": len(skps),
        "approved": sum(1 for s in skps.values() if s.status == Skp.Status.DISETUJUI),
    }
