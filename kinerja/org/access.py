"""Who may see what, following the org chart.

- admin BKD: the whole agency;
- pimpinan unit (granted, or holding the unit's head position): the unit's subtree;
- a superior: everyone below their position (direct subordinates editable, deeper
  levels read-only, decided by the feature);
- everyone: themselves;
- nobody: anything of another agency (a foreign id is a 404, and is recorded).

`Access` is computed once per request with a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from kinerja.audit.services import record_denied

from .models import Agency, Employee, OrgUnit, Position, PositionAssignment, RoleGrant

M = TypeVar("M", bound=Model)


@dataclass
class Access:
    user: Any  # request.user: an account, or the anonymous visitor
    agency_id: int | None
    employee: Employee | None = None
    is_admin: bool = False
    is_tim_penilai: bool = False
    head_unit_paths: tuple[str, ...] = ()
    position_paths: tuple[str, ...] = ()
    position_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def is_unit_head(self) -> bool:
        return bool(self.head_unit_paths)

    @property
    def is_superior(self) -> bool:
        return bool(self.position_paths)

    def employee_filter(self, prefix: str = "") -> Q:
        """A Q over Employee (or over a model with `prefix` pointing at one)."""
        if self.agency_id is None:
            return Q(pk__in=[])
        scope = Q(**{f"{prefix}agency_id": self.agency_id})
        if self.is_admin:
            return scope
        parts = []
        if self.employee is not None:
            parts.append(Q(**{f"{prefix}pk": self.employee.pk}))
        parts += [Q(**{f"{prefix}unit__path__startswith": p}) for p in self.head_unit_paths]
        parts += [
            Q(**{f"{prefix}position__path__startswith": p})
            & ~Q(**{f"{prefix}position_id__in": self.position_ids})
            for p in self.position_paths
        ]
        if not parts:
            return Q(pk__in=[])
        return scope & reduce(or_, parts)

    def unit_filter(self, prefix: str = "") -> Q:
        if self.agency_id is None:
            return Q(pk__in=[])
        scope = Q(**{f"{prefix}agency_id": self.agency_id})
        if self.is_admin or self.is_tim_penilai:
            return scope
        parts = [Q(**{f"{prefix}path__startswith": p}) for p in self.head_unit_paths]
        if self.employee is not None:
            parts.append(Q(**{f"{prefix}pk": self.employee.unit_id}))
        return scope & reduce(or_, parts) if parts else Q(pk__in=[])

    def visible_employees(self) -> QuerySet[Employee]:
        return Employee.objects.filter(self.employee_filter())

    def visible_units(self) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(self.unit_filter())


def compute_access(user: Any, *, on: dt.date | None = None) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access(user=user, agency_id=None)
    on = on or timezone.localdate()
    access = Access(user=user, agency_id=user.agency_id)
    if user.agency_id is None:
        return access
    roles = list(
        RoleGrant.objects.filter(user=user, agency_id=user.agency_id).select_related("unit")
    )
    access.is_admin = any(r.role == RoleGrant.Role.ADMIN_BKD for r in roles)
    access.is_tim_penilai = any(r.role == RoleGrant.Role.TIM_PENILAI for r in roles)
    head_paths = [
        r.unit.path for r in roles if r.role == RoleGrant.Role.PIMPINAN_UNIT and r.unit is not None
    ]
    employee = (
        Employee.objects.filter(user=user, agency_id=user.agency_id)
        .select_related("position", "position__unit", "unit")
        .first()
    )
    access.employee = employee
    if employee is not None and employee.is_active:
        positions = [employee.position] if employee.position is not None else []
        positions += [
            a.position
            for a in PositionAssignment.objects.filter(
                employee=employee,
                kind__in=[PositionAssignment.Kind.PLT, PositionAssignment.Kind.PLH],
                start__lte=on,
            )
            .filter(Q(end__isnull=True) | Q(end__gte=on))
            .select_related("position", "position__unit")
        ]
        access.position_paths = tuple(p.path for p in positions)
        access.position_ids = tuple(p.pk for p in positions)
        head_paths += [p.unit.path for p in positions if p.is_unit_head]
    access.head_unit_paths = tuple(sorted(set(head_paths)))
    return access


def get_access(request: HttpRequest) -> Access:
    """The request's Access, computed once and kept on the request."""
    cached: Access | None = getattr(request, "_kinerja_access", None)
    if cached is None:
        cached = compute_access(request.user)
        request._kinerja_access = cached  # type: ignore[attr-defined]
    return cached


def get_visible_or_404(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    access_filter: Q,
    pk: object,
    action: str = "view",
) -> M:
    """Fetch `pk` from `queryset` through the user's access; a miss (foreign or
    not visible) is recorded as a refused access and answered with 404."""
    try:
        obj = queryset.filter(access_filter).filter(pk=pk).first()
    except (TypeError, ValueError, OverflowError, ValidationError):  # not an id: a miss
        obj = None
    if obj is None:
        record_denied(
            f"{queryset.model._meta.label_lower}.{action}",
            actor=request.user,
            target_type=queryset.model._meta.label_lower,
            target_id=pk,
        )
        raise Http404
    return obj


def get_employee_or_404(
    request: HttpRequest, pk: object, queryset: QuerySet[Employee] | None = None
) -> Employee:
    access = get_access(request)
    qs = queryset if queryset is not None else Employee.objects.select_related("position", "unit")
    return get_visible_or_404(request, qs, access_filter=access.employee_filter(), pk=pk)


def superior_of(employee: Employee, *, on: dt.date | None = None) -> Employee | None:
    """The employee's pejabat penilai on a date: the holder (acting first) of
    the nearest superior position that someone holds. Two queries."""
    on = on or timezone.localdate()
    position = employee.position
    if position is None:
        return None
    ancestor_ids = [int(x) for x in position.path.strip("/").split("/")[:-1] if x]
    if not ancestor_ids:
        return None
    rows = (
        PositionAssignment.objects.filter(position_id__in=ancestor_ids, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .exclude(employee=employee)
        .select_related("employee")
    )
    by_position: dict[int, PositionAssignment] = {}
    for row in rows:
        current = by_position.get(row.position_id)
        # Acting assignments (Plt/Plh) override the definitive holder.
        if current is None or (
            current.kind == PositionAssignment.Kind.DEFINITIF
            and row.kind != PositionAssignment.Kind.DEFINITIF
        ):
            by_position[row.position_id] = row
    for position_id in reversed(ancestor_ids):
        if position_id in by_position:
            return by_position[position_id].employee
    return None


def superior_map(agency: Agency, *, on: dt.date | None = None) -> dict[int, int | None]:
    """employee id → pejabat penilai's employee id for the whole agency, in two
    queries, for set-based work (opening a year for 20,000 employees)."""
    on = on or timezone.localdate()
    superior_of_position = dict(
        Position.objects.filter(agency=agency).values_list("pk", "superior_id")
    )
    definitive: dict[int, int] = {}
    acting: dict[int, int] = {}
    own_position: dict[int, int] = {}
    rows = (
        PositionAssignment.objects.filter(agency=agency, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .values_list("employee_id", "position_id", "kind")
    )
    for employee_id, position_id, kind in rows:
        if kind == PositionAssignment.Kind.DEFINITIF:
            definitive.setdefault(position_id, employee_id)
            own_position[employee_id] = position_id
        else:
            acting.setdefault(position_id, employee_id)
    result: dict[int, int | None] = {}
    for employee_id, position_id in own_position.items():
        superior = None
        seen: set[int] = set()
        sup_position = superior_of_position.get(position_id)
        while sup_position is not None and sup_position not in seen:
            seen.add(sup_position)
            holder = acting.get(sup_position) or definitive.get(sup_position)
            if holder is not None and holder != employee_id:
                superior = holder
                break
            sup_position = superior_of_position.get(sup_position)
        result[employee_id] = superior
    return result
