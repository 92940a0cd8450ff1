"""Reads for the planning pages and API. Each runs a fixed number of queries
whatever the agency's size (tested at two sizes)."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from kinerja.org.models import OrgUnit
from kinerja.rules import planning as rules

from .models import Iki, OrgGoal, PerformanceYear, Rhk, Skp

# Flat lists on the tree page show at most this many rows (counts stay exact);
# narrow the page to a unit to see the rest.
LIST_LIMIT = 200

SKP_RELATED = (
    "year",
    "employee",
    "position",
    "unit",
    "rater",
    "rater_position",
    "rater_position__unit",
)


def skp_filter(access, prefix=""):
    """A Q over Skp: what the user may see. Own, the chart below them (as
    employee_filter), SKP they rate (acting raters outside the chart path),
    and for admin BKD the whole agency."""
    if access.agency_id is None:
        return Q(pk__in=[])
    visible = access.employee_filter(f"{prefix}employee__")
    if access.employee is not None:
        visible |= Q(**{f"{prefix}rater_id": access.employee.pk})
    return Q(**{f"{prefix}agency_id": access.agency_id}) & visible


def skp_queryset(access):
    return Skp.objects.filter(skp_filter(access)).select_related(*SKP_RELATED)


def years(agency_id):
    return PerformanceYear.objects.filter(agency_id=agency_id).order_by("-year")


def current_year(agency_id, today=None):
    """The open year containing today, else the latest open one, else the latest."""
    today = today or timezone.localdate()
    qs = years(agency_id)
    return (
        qs.filter(status=PerformanceYear.Status.OPEN, start__lte=today, end__gte=today).first()
        or qs.filter(status=PerformanceYear.Status.OPEN).first()
        or qs.first()
    )


def my_skps(employee, year):
    return list(
        Skp.objects.filter(employee=employee, year=year)
        .select_related(*SKP_RELATED)
        .order_by("-valid_from")
    )


def rhk_queryset():
    return Rhk.objects.select_related(
        "parent", "parent__skp__employee", "org_goal"
    ).prefetch_related(
        Prefetch("ikis", queryset=Iki.objects.select_related("manual").order_by("order", "pk"))
    )


def skp_rhks(skp):
    return list(rhk_queryset().filter(skp=skp).order_by("kind", "order", "pk"))


def rater_skp(skp):
    """The rater's SKP of the same year (what subordinates link to)."""
    if skp.rater_id is None:
        return None
    return (
        Skp.objects.filter(employee_id=skp.rater_id, year_id=skp.year_id)
        .exclude(status=Skp.Status.DITUTUP)
        .first()
    )


def parent_choices(skp):
    """The rater's RHK this SKP may intervene in."""
    parent = rater_skp(skp)
    if parent is None:
        return []
    return list(Rhk.objects.filter(skp=parent).order_by("kind", "order", "pk"))


def annotate_late(skps, today=None):
    today = today or timezone.localdate()
    for skp in skps:
        skp.is_late = rules.is_late(
            deadline=skp.year.skp_deadline,
            today=today,
            done=skp.status in (Skp.Status.DISETUJUI, Skp.Status.DITUTUP),
        )
    return skps


def team_skps(*, access, year):
    """Subordinates' SKP of the year (direct ones reviewable, deeper ones
    read-only), with RHK counts: one query."""
    if access.employee is None:
        return []
    rows = list(
        Skp.objects.filter(skp_filter(access), year=year)
        .exclude(employee=access.employee)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related(*SKP_RELATED)
        .annotate(n_rhk=Count("rhks"))
        .order_by("unit__path", "employee__name", "pk")
    )
    for skp in rows:
        skp.can_review = skp.rater_id == access.employee.pk
    return annotate_late(rows)


def matrix(*, employee, year):
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
    sub_ids = [s.employee_id for s in subs]
    members = list(
        Skp.objects.filter(year=year, rater_id__in=sub_ids)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("employee", "position")
        .order_by("employee__name", "pk")
    )
    all_skps = subs + members
    rhks = list(
        Rhk.objects.filter(skp__in=[s.pk for s in all_skps]).only(
            "pk", "skp_id", "parent_id", "text", "kind"
        )
    )
    by_skp_parent = defaultdict(list)
    parent_of = {}
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
            [r for r in rhks if r.skp_id == skp.pk and parent_of.get(r.parent_id) == col.pk]
            for col in columns
        ]
        skp.level = 2
    rows = []
    members_by_lead = defaultdict(list)
    for skp in members:
        members_by_lead[skp.rater_id].append(skp)
    for skp in subs:
        rows.append(skp)
        rows.extend(members_by_lead.get(skp.employee_id, []))
    return {"own": own, "columns": columns, "rows": rows, "direct": subs}


def performance_tree(*, year, unit_path=""):
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
    children = defaultdict(list)
    by_goal = defaultdict(list)
    roots, unlinked = [], []
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
            required = (
                skp.rater_id is not None and rhk.kind == Rhk.Kind.UTAMA
                if skp.is_jpt
                else rules.link_required(
                    form=skp.form,
                    position_kind=skp.position.kind if skp.position_id else None,
                    has_rater=skp.rater_id is not None,
                    source=rhk.source,
                )
            )
            rhk.is_unlinked = required
            (unlinked if required else roots).append(rhk)
    for goal in goals:
        goal.tree_children = by_goal.get(goal.pk, [])
    stats = {u.pk: {"employees": 0, "approved": 0, "rhk": 0, "unlinked": 0} for u in units}
    for skp in skps.values():
        row = stats.setdefault(
            skp.unit_id, {"employees": 0, "approved": 0, "rhk": 0, "unlinked": 0}
        )
        row["employees"] += 1
        row["approved"] += skp.status == Skp.Status.DISETUJUI
    for rhk in rhks:
        stats[rhk.owner.unit_id]["rhk"] += 1
    for rhk in unlinked:
        stats[rhk.owner.unit_id]["unlinked"] += 1
    for unit in units:
        unit.stats = stats[unit.pk]
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
        "units": [u for u in units if u.stats["employees"]],
        "total": len(skps),
        "approved": sum(1 for s in skps.values() if s.status == Skp.Status.DISETUJUI),
    }


def year_summary(year):
    """Counts by status and late SKP for the admin's year page: one query."""
    counts = dict(
        Skp.objects.filter(year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return counts
