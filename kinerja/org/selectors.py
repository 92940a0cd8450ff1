"""Reads for the organisation pages and API. Each selector runs a fixed number
of queries whatever the agency's size."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from .models import Employee, OrgUnit, Position, PositionAssignment

PAGE_SIZE = 50


def employee_queryset(access):
    return (
        Employee.objects.filter(access.employee_filter())
        .select_related("position", "unit")
        .order_by("name", "pk")
    )


def employee_list(*, access, search="", unit_id=None, kind="", status="", active="1", page=1):
    qs = employee_queryset(access)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search))
    if unit_id:
        unit = OrgUnit.objects.filter(access.unit_filter(), pk=unit_id).only("path").first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if kind:
        qs = qs.filter(position__kind=kind)
    if status:
        qs = qs.filter(status=status)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def org_tree(*, access, search=""):
    """The visible units as a nested tree with employee counts per unit and per
    subtree: two queries."""
    units = list(OrgUnit.objects.filter(access.unit_filter()).order_by("path"))
    direct = dict(
        Employee.objects.filter(access.employee_filter(), is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    by_pk = {u.pk: u for u in units}
    for unit in units:
        unit.tree_children = []
        unit.direct_count = direct.get(unit.pk, 0)
        unit.total_count = unit.direct_count
        unit.matches = not search or search.lower() in unit.name.lower()
    roots = []
    for unit in units:
        parent = by_pk.get(unit.parent_id)
        (parent.tree_children if parent else roots).append(unit)
    # Deepest first, so subtree totals and search hits bubble up.
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = by_pk.get(unit.parent_id)
        if parent:
            parent.total_count += unit.total_count
            parent.has_match = (
                getattr(parent, "has_match", False)
                or unit.matches
                or getattr(unit, "has_match", False)
            )
    return roots


def unit_queryset(access):
    return OrgUnit.objects.filter(access.unit_filter()).select_related("parent")


def position_queryset(access):
    return Position.objects.filter(agency_id=access.agency_id).select_related("unit", "superior")


def employee_history(employee):
    return list(
        PositionAssignment.objects.filter(employee=employee)
        .select_related("position", "unit")
        .order_by("-start", "-pk")
    )
