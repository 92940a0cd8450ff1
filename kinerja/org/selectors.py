"""Reads for the organisation pages and API. Each selector runs a fixed number
of queries whatever the agency's size."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, Max, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .access import Access
from .inbox import InboxItem
from .models import (
    Employee,
    ImportRun,
    OrgUnit,
    Position,
    PositionAssignment,
    RoleGrant,
    User,
)

PAGE_SIZE = 50


def employee_queryset(access: Access) -> QuerySet[Employee]:
    return (
        Employee.objects.filter(access.employee_filter())
        .select_related("position", "unit")
        .order_by("name", "pk")
    )


def employee_list(
    *,
    access: Access,
    search: str = "",
    unit_id: int | str | None = None,
    kind: str = "",
    status: str = "",
    active: str = "1",
    page: int | str = 1,
) -> Page:
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


def _current(
    qs: QuerySet[PositionAssignment], on: dt.date, prefix: str = ""
) -> QuerySet[PositionAssignment]:
    """Assignments running on `on`."""
    return qs.filter(**{f"{prefix}start__lte": on}).filter(
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def unit_heads(*, access: Access, on: dt.date | None = None) -> dict[int, tuple[Employee, str]]:
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
    heads: dict[int, tuple[Employee, str]] = {}
    for row in rows.order_by("start", "pk"):
        unit_id = row.position.unit_id
        current = heads.get(unit_id)
        if current is None or (
            current[1] == PositionAssignment.Kind.DEFINITIF
            and row.kind != PositionAssignment.Kind.DEFINITIF
        ):
            heads[unit_id] = (row.employee, row.kind)
    return heads


@dataclass
class ChartNode:
    """One unit on the org chart page: its employee counts (the unit's own
    and its subtree's), its head, and whether it (or a unit below) matches
    the search."""

    unit: OrgUnit
    direct_count: int
    head: Employee | None
    head_kind: str
    matches: bool
    total_count: int = 0
    has_match: bool = False
    children: list["ChartNode"] = field(default_factory=list)


def org_tree(*, access: Access, search: str = "") -> list[ChartNode]:
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
    nodes: dict[int, ChartNode] = {}
    for unit in units:
        head, head_kind = heads.get(unit.pk, (None, ""))
        count = direct.get(unit.pk, 0)
        nodes[unit.pk] = ChartNode(
            unit=unit,
            direct_count=count,
            total_count=count,
            head=head,
            head_kind=head_kind,
            matches=bool(needle)
            and (
                needle in unit.name.lower()
                or needle in unit.code.lower()
                or (head is not None and needle in head.name.lower())
            ),
        )
    roots: list[ChartNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[unit.pk])
    # Deepest first, so subtree totals and search hits bubble up.
    for unit in sorted(units, key=lambda u: -u.depth):
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        if parent:
            node = nodes[unit.pk]
            parent.total_count += node.total_count
            parent.has_match = parent.has_match or node.matches or node.has_match
    return roots


def tree_match_count(roots: list[ChartNode]) -> int:
    count, stack = 0, list(roots)
    while stack:
        node = stack.pop()
        count += node.matches
        stack.extend(node.children)
    return count


def unit_queryset(access: Access) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(access.unit_filter()).select_related("parent")


def position_queryset(access: Access) -> QuerySet[Position]:
    """Every position of the agency: the chart's positions are no secret."""
    if access.agency_id is None:
        return Position.objects.none()
    return Position.objects.filter(agency_id=access.agency_id).select_related("unit", "superior")


def employee_history(employee: Employee) -> list[PositionAssignment]:
    return list(
        PositionAssignment.objects.filter(employee=employee)
        .select_related("position", "unit")
        .order_by("-start", "-pk")
    )


def direct_subordinates(
    employee: Employee, *, access: Access, on: dt.date | None = None
) -> list[Employee]:
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
    memo: dict[int, bool] = {}

    def rated_here(position_id: int) -> bool:
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


def role_grants_of(user: User | None) -> list[RoleGrant]:
    if user is None:
        return []
    return list(RoleGrant.objects.filter(user=user).select_related("unit").order_by("role", "pk"))


def superiors_for(
    employees: Sequence[Employee], *, on: dt.date | None = None
) -> dict[int, Employee | None]:
    """{employee id: pejabat penilai Employee or None} for a page of employees
    (with `position` loaded), in one query whatever the page size. Same rule as
    `access.superior_of`: the nearest superior position that someone holds,
    acting (Plt/Plh) before definitive, never the employee themselves."""
    on = on or timezone.localdate()
    ancestors: dict[int, list[int]] = {}
    for employee in employees:
        path = employee.position.path if employee.position is not None else ""
        ancestors[employee.pk] = [int(x) for x in path.strip("/").split("/")[:-1] if x]
    wanted = {pk for ids in ancestors.values() for pk in ids}
    holders: dict[int, list[PositionAssignment]] = defaultdict(list)
    if wanted:
        rows = (
            PositionAssignment.objects.filter(position_id__in=wanted, start__lte=on)
            .filter(Q(end__isnull=True) | Q(end__gte=on))
            .select_related("employee")
        )
        for row in rows:
            holders[row.position_id].append(row)
    result: dict[int, Employee | None] = {}
    for employee in employees:
        result[employee.pk] = None
        for position_id in reversed(ancestors[employee.pk]):
            chosen: PositionAssignment | None = None
            for row in holders.get(position_id, ()):
                if row.employee_id == employee.pk:
                    continue
                if chosen is None or (
                    chosen.kind == PositionAssignment.Kind.DEFINITIF
                    and row.kind != PositionAssignment.Kind.DEFINITIF
                ):
                    chosen = row
            if chosen is not None:
                result[employee.pk] = chosen.employee
                break
    return result


def role_grant_of(employee: Employee, grant_pk: int) -> RoleGrant | None:
    """One of the employee's role grants (in the employee's agency), or None."""
    if employee.user_id is None:
        return None
    return (
        RoleGrant.objects.filter(user_id=employee.user_id, agency_id=employee.agency_id)
        .select_related("user", "agency", "unit")
        .filter(pk=grant_pk)
        .first()
    )


def latest_open_assignment_start(employee: Employee) -> dt.date | None:
    """Start of the employee's latest assignment that has not ended."""
    return (
        PositionAssignment.objects.filter(employee=employee, end__isnull=True)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )


# --- pickers (search as you type) --------------------------------------------------------

PICKER_LIMIT = 20


@dataclass(frozen=True)
class PickerOption:
    """One match of a picker: the id it posts, the text it shows once chosen
    (name and NIP, or name and code) and a second line (position and unit)."""

    pk: int
    label: str
    detail: str


def _employee_option(e: Employee) -> PickerOption:
    detail = " — ".join(x for x in (e.position.name if e.position else "", e.unit.name) if x)
    return PickerOption(pk=e.pk, label=f"{e.full_name} ({e.nip})", detail=detail)


def _unit_option(u: OrgUnit) -> PickerOption:
    return PickerOption(pk=u.pk, label=f"{u.name} ({u.code})", detail=u.get_kind_display())


def _position_option(p: Position) -> PickerOption:
    return PickerOption(pk=p.pk, label=f"{p.name} ({p.code})", detail=p.unit.name)


def _term_q(kind: str, term: str) -> Q:
    if kind == "employee":
        return Q(name__icontains=term) | Q(nip__startswith=term) | Q(unit__code__iexact=term)
    if kind == "unit":
        return Q(name__icontains=term) | Q(code__istartswith=term)
    return Q(name__icontains=term) | Q(code__istartswith=term) | Q(unit__code__iexact=term)


def picker_queryset(kind: str, qs: QuerySet) -> QuerySet:
    """`qs` with what a picker shows of each row, in the picker's order."""
    if kind == "employee":
        return qs.select_related("position", "unit").order_by("name", "pk")
    if kind == "unit":
        return qs.order_by("path", "pk")
    return qs.select_related("unit").order_by("unit__path", "name", "pk")


def option_of(kind: str, obj: Employee | OrgUnit | Position) -> PickerOption:
    if kind == "employee":
        assert isinstance(obj, Employee)
        return _employee_option(obj)
    if kind == "unit":
        assert isinstance(obj, OrgUnit)
        return _unit_option(obj)
    assert isinstance(obj, Position)
    return _position_option(obj)


def picker_search(
    qs: QuerySet, kind: str, text: str, *, limit: int = PICKER_LIMIT
) -> tuple[list[PickerOption], bool]:
    """At most `limit` matches of `text` in `qs` (already limited to what the
    user may see), and whether there are more: one query whatever the size of
    the agency. Every word must match the name, or start the NIP or code, or
    be a unit's exact code (the people or positions of that unit)."""
    terms = text.split()[:5]
    if not terms:
        return [], False
    query = reduce(lambda acc, t: acc & _term_q(kind, t[:100]), terms, Q())
    rows = list(picker_queryset(kind, qs.filter(query))[: limit + 1])
    return [option_of(kind, r) for r in rows[:limit]], len(rows) > limit


def picker_exact(qs: QuerySet, kind: str, text: str) -> Employee | OrgUnit | Position | None:
    """What a typed text names without a choice from the list (the page without
    JavaScript): an employee's NIP, a unit's or position's code, an id, or a
    search that finds exactly one match. One or two queries."""
    text = text.strip()
    if not text:
        return None
    qs = picker_queryset(kind, qs)
    compact = text.replace(" ", "")
    if kind == "employee" and compact.isdigit() and len(compact) == 18:
        return qs.filter(nip=compact).first()
    if kind != "employee":
        found = qs.filter(code__iexact=text).first()
        if found is not None:
            return found
    if text.isdigit():
        found = qs.filter(pk=int(text)).first()
        if found is not None:
            return found
    terms = text.split()[:5]
    query = reduce(lambda acc, t: acc & _term_q(kind, t[:100]), terms, Q())
    rows = list(qs.filter(query)[:2])
    return rows[0] if len(rows) == 1 else None


# --- the codes an import needs ------------------------------------------------------------

UNIT_CODE_COLUMNS = ("kode", "nama", "jenis", "kode_induk", "unit_mandiri")
POSITION_CODE_COLUMNS = (
    "kode",
    "nama",
    "jenis",
    "jenjang",
    "kode_unit",
    "kode_atasan",
    "kepala_unit",
)


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def unit_codes(agency_id: int, *, search: str = "") -> QuerySet[OrgUnit]:
    """The agency's units in chart order, with their parent (for `kode_induk`)."""
    qs = OrgUnit.objects.filter(agency_id=agency_id).select_related("parent").order_by("path")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def position_codes(agency_id: int, *, search: str = "") -> QuerySet[Position]:
    """The agency's positions with their unit and superior (for `kode_unit`, `kode_atasan`)."""
    qs = (
        Position.objects.filter(agency_id=agency_id)
        .select_related("unit", "superior")
        .order_by("unit__path", "path", "pk")
    )
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(unit__code__iexact=search)
        )
    return qs


def import_codes_page(agency_id: int, *, kind: str, search: str = "", page: int | str = 1) -> Page:
    """One page (50) of the unit or position codes: two queries."""
    qs = (
        unit_codes(agency_id, search=search)
        if kind == "unit"
        else position_codes(agency_id, search=search)
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def unit_code_rows(agency_id: int) -> list[tuple[str, ...]]:
    """Every unit as a row of the import's Unit sheet: one query."""
    rows = (
        OrgUnit.objects.filter(agency_id=agency_id)
        .order_by("path")
        .values_list("code", "name", "kind", "parent__code", "is_independent")
    )
    return [(c, n, k, p or "", _yes_no(i)) for c, n, k, p, i in rows]


def position_code_rows(agency_id: int) -> list[tuple[str, ...]]:
    """Every position as a row of the import's Jabatan sheet: one query."""
    rows = (
        Position.objects.filter(agency_id=agency_id)
        .order_by("unit__path", "path", "pk")
        .values_list(
            "code", "name", "kind", "jenjang", "unit__code", "superior__code", "is_unit_head"
        )
    )
    return [(c, n, k, j or "", u, s or "", _yes_no(h)) for c, n, k, j, u, s, h in rows]


# --- the home page (kinerja/org/inbox.py) ------------------------------------------------------

#: A failed or invalid import stays in admin BKD's inbox this many days.
IMPORT_FAILED_DAYS = 14


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    """Imports of the last IMPORT_FAILED_DAYS days that failed or were found invalid and
    were not applied since (admin BKD; one aggregate query)."""
    if not access.is_admin or access.agency_id is None:
        return []
    since = timezone.now() - dt.timedelta(days=IMPORT_FAILED_DAYS)
    failed = ImportRun.objects.filter(
        agency_id=access.agency_id,
        created_at__gte=since,
        status__in=[ImportRun.Status.FAILED, ImportRun.Status.INVALID],
    ).aggregate(n=Count("pk"), last=Max("pk"))
    if not failed["n"]:
        return []
    n = failed["n"]
    return [
        InboxItem(
            kind="import_failed",
            title=ngettext(
                "%(n)s impor data gagal atau berisi kesalahan",
                "%(n)s impor data gagal atau berisi kesalahan",
                n,
            )
            % {"n": n},
            detail=_("Perbaiki berkasnya dan unggah ulang."),
            url=(
                reverse("org:import_detail", args=[failed["last"]])
                if n == 1
                else reverse("org:import")
            ),
            count=n,
        )
    ]
