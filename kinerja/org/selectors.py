"""Reads for the organisation pages and API. Each selector runs a fixed number
of queries whatever the agency's size."""

from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from .models import Employee, OrgUnit, Position, PositionAssignment, RoleGrant

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


def _current(qs, on, prefix=""):
    """Assignments running on `on`."""
    return qs.filter(**{f"{prefix}start__lte": on}).filter(
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def unit_heads(*, access, on=None):
    """unit id → (head employee, assignment kind) for the visible units, in one
    query. An acting head (Plt/Plh) comes first, as in `superior_of`."""
    on = on or timezone.localdate()
    rows = _current(
        PositionAssignment.objects.filter(
            access.unit_filter("position__unit__"),
            position__is_unit_head=True,
            employee__is_active=True,
        ),
        on,
    ).select_related("employee", "position")
    heads = {}
    for row in rows.order_by("start", "pk"):
        unit_id = row.position.unit_id
        current = heads.get(unit_id)
        if current is None or (
            current[1] == PositionAssignment.Kind.DEFINITIF
            and row.kind != PositionAssignment.Kind.DEFINITIF
        ):
            heads[unit_id] = (row.employee, row.kind)
    return heads


def org_tree(*, access, search=""):
    """The visible units as a nested tree with employee counts per unit and per
    subtree and each unit's head: three queries. With `search`, units whose
    name, code or head's name match are marked, and their ancestors open."""
    units = list(OrgUnit.objects.filter(access.unit_filter()).order_by("path"))
    direct = dict(
        Employee.objects.filter(access.employee_filter(), is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    heads = unit_heads(access=access)
    needle = search.lower()
    by_pk = {u.pk: u for u in units}
    for unit in units:
        unit.tree_children = []
        unit.direct_count = direct.get(unit.pk, 0)
        unit.total_count = unit.direct_count
        unit.head, unit.head_kind = heads.get(unit.pk, (None, ""))
        unit.matches = bool(needle) and (
            needle in unit.name.lower()
            or needle in unit.code.lower()
            or (unit.head is not None and needle in unit.head.name.lower())
        )
        unit.has_match = False
    roots = []
    for unit in units:
        parent = by_pk.get(unit.parent_id)
        (parent.tree_children if parent else roots).append(unit)
    # Deepest first, so subtree totals and search hits bubble up.
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = by_pk.get(unit.parent_id)
        if parent:
            parent.total_count += unit.total_count
            parent.has_match = parent.has_match or unit.matches or unit.has_match
    return roots


def tree_match_count(roots):
    count, stack = 0, list(roots)
    while stack:
        unit = stack.pop()
        count += unit.matches
        stack.extend(unit.tree_children)
    return count


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


def direct_subordinates(employee, *, access, on=None):
    """The employees whose pejabat penilai is `employee` on `on` (the same rule
    as `superior_of`: acting first, climbing over vacant positions), each with
    `visible` telling whether the viewer (`access`) may open their page. Four
    queries whatever the size of the subtree."""
    on = on or timezone.localdate()
    if not employee.is_active:
        return []
    held = dict(
        _current(PositionAssignment.objects.filter(employee=employee), on).values_list(
            "position_id", "position__path"
        )
    )
    if not held:
        return []
    below_q = reduce(or_, [Q(path__startswith=p) for p in set(held.values())])
    below = dict(
        Position.objects.filter(below_q, agency_id=employee.agency_id)
        .exclude(pk__in=held)
        .values_list("pk", "superior_id")
    )
    occupied = set(
        _current(
            PositionAssignment.objects.filter(
                reduce(or_, [Q(position__path__startswith=p) for p in set(held.values())]),
                agency_id=employee.agency_id,
            ),
            on,
        )
        .exclude(employee=employee)
        .order_by()
        .values_list("position_id", flat=True)
        .distinct()
    )
    memo = {}

    def rated_here(position_id):
        """Whether the holder of `position_id` is rated by `employee`: climb
        the superior chain over vacant positions to the first held one."""
        if position_id in memo:
            return memo[position_id]
        chain, current = [position_id], below.get(position_id)
        while True:
            if current is None or current in occupied:
                result = False
                break
            if current in held:
                result = True
                break
            if current in memo:
                result = memo[current]
                break
            chain.append(current)
            current = below.get(current)
        for pk in chain:
            memo[pk] = result
        return result

    direct_ids = [pk for pk in below if rated_here(pk)]
    if not direct_ids:
        return []
    return list(
        Employee.objects.filter(
            position_id__in=direct_ids, is_active=True, agency_id=employee.agency_id
        )
        .exclude(pk=employee.pk)
        .select_related("position", "unit")
        .annotate(
            visible=Case(
                When(access.employee_filter(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("position__path", "name", "pk")
    )


def role_grants_of(user):
    if user is None:
        return []
    return list(RoleGrant.objects.filter(user=user).select_related("unit").order_by("role", "pk"))
