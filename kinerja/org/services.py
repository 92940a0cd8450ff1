"""Write operations on the organisation: one function per action, called by
pages, the API, the importer, the platform admin and the demo-data commands
alike. Each validates, writes and records the audit trail."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, record, snapshot

from . import signals, tokens
from .models import Agency, Employee, OrgUnit, Position, PositionAssignment, RoleGrant, User
from .nip import parse_nip


def _paths(rows: Mapping[int, int | None]) -> dict[int, tuple[str, int]]:
    """rows: {pk: parent_pk}. Returns {pk: (path, depth)}; a cycle is an error."""
    result: dict[int, tuple[str, int]] = {}

    def resolve(pk: int, trail: tuple[int, ...] = ()) -> tuple[str, int]:
        if pk in result:
            return result[pk]
        if pk in trail:
            raise ValidationError(
                _("Struktur melingkar: sebuah unit/jabatan menjadi atasannya sendiri.")
            )
        parent = rows.get(pk)
        if parent is None or parent not in rows:
            value = (f"/{pk}/", 0)
        else:
            parent_path, depth = resolve(parent, (*trail, pk))
            value = (f"{parent_path}{pk}/", depth + 1)
        result[pk] = value
        return value

    for pk in rows:
        resolve(pk)
    return result


def rebuild_paths(agency: Agency) -> None:
    """Recompute the materialised paths of the agency's units and positions,
    set-based: two reads and two bulk updates whatever the size."""
    units = list(OrgUnit.objects.filter(agency=agency).only("pk", "parent_id", "path", "depth"))
    unit_paths = _paths({u.pk: u.parent_id for u in units})
    changed_units = []
    for unit in units:
        path, depth = unit_paths[unit.pk]
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed_units.append(unit)
    OrgUnit.objects.bulk_update(changed_units, ["path", "depth"], batch_size=2000)
    positions = list(Position.objects.filter(agency=agency).only("pk", "superior_id", "path"))
    position_paths = _paths({p.pk: p.superior_id for p in positions})
    changed_positions = []
    for position in positions:
        path = position_paths[position.pk][0]
        if position.path != path:
            position.path = path
            changed_positions.append(position)
    Position.objects.bulk_update(changed_positions, ["path"], batch_size=2000)


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    name: str,
    code: str,
    kind: str,
    place: str = "",
    is_active: bool = True,
) -> Agency:
    agency = Agency.objects.create(
        name=name, code=code, kind=kind, place=place, is_active=is_active
    )
    record("org.agency.create", actor=actor, agency=agency, target=agency, after=snapshot(agency))
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, **changes: Any) -> Agency:
    """Change an agency's data (the platform superuser's admin)."""
    allowed = {"name", "code", "kind", "place", "is_active"}
    if set(changes) - allowed:
        raise ValidationError(_("Kolom ini tidak dapat diubah."))
    with audited(agency, "org.agency.update", actor=actor, agency=agency):
        for name, value in changes.items():
            setattr(agency, name, value)
        agency.save()
    return agency


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    agency: Agency,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    is_independent: bool = False,
) -> OrgUnit:
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError(_("Unit induk berasal dari instansi lain."))
    unit = OrgUnit.objects.create(
        agency=agency, code=code, name=name, kind=kind, parent=parent, is_independent=is_independent
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    record("org.unit.create", actor=actor, agency=agency, target=unit, after=snapshot(unit))
    return unit


def _check_jenjang(kind: str, jenjang: str) -> None:
    if kind != Position.Kind.FUNGSIONAL and jenjang:
        raise ValidationError(_("Jenjang hanya untuk jabatan fungsional."))
    if kind == Position.Kind.FUNGSIONAL and not jenjang:
        raise ValidationError(_("Jabatan fungsional harus punya jenjang."))


@transaction.atomic
def position_create(
    *,
    actor: User | None,
    agency: Agency,
    unit: OrgUnit,
    code: str,
    name: str,
    kind: str,
    superior: Position | None = None,
    jenjang: str = "",
    is_unit_head: bool = False,
) -> Position:
    if unit.agency_id != agency.pk or (superior is not None and superior.agency_id != agency.pk):
        raise ValidationError(_("Unit atau jabatan atasan berasal dari instansi lain."))
    _check_jenjang(kind, jenjang)
    position = Position.objects.create(
        agency=agency,
        unit=unit,
        code=code,
        name=name,
        kind=kind,
        jenjang=jenjang,
        superior=superior,
        is_unit_head=is_unit_head,
    )
    position.path = f"{superior.path if superior else '/'}{position.pk}/"
    position.save(update_fields=["path"])
    record(
        "org.position.create", actor=actor, agency=agency, target=position, after=snapshot(position)
    )
    return position


def _placed(actor: User | None, employee: Employee, start: dt.date) -> None:
    """Tell the later stages that `employee` took up a definitive position."""
    signals.employees_placed.send(
        sender=Employee, agency=employee.agency, placements=[(employee, start)], actor=actor
    )


@transaction.atomic
def employee_create(
    *,
    actor: User | None,
    agency: Agency,
    nip: str,
    name: str,
    status: str,
    position: Position | None = None,
    unit: OrgUnit | None = None,
    golongan: str = "",
    pangkat: str = "",
    front_title: str = "",
    back_title: str = "",
    email: str = "",
    phone: str = "",
    start: dt.date | None = None,
    password: str | None = None,
) -> Employee:
    info = parse_nip(nip)
    if status == Employee.Status.PNS and info.is_pppk:
        raise ValidationError(_("NIP ini berkode PPPK (bulan TMT 21) tetapi status tertulis PNS."))
    if Employee.objects.filter(nip=info.nip).exists():
        raise ValidationError(_("NIP %(nip)s sudah terdaftar.") % {"nip": info.nip})
    unit = unit or (position.unit if position else None)
    if unit is None:
        raise ValidationError(_("Pegawai harus punya unit kerja."))
    if unit.agency_id != agency.pk or (position is not None and position.agency_id != agency.pk):
        raise ValidationError(_("Unit atau jabatan berasal dari instansi lain."))
    start = start or timezone.localdate()
    user = User(username=info.nip, agency=agency, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    employee = Employee.objects.create(
        agency=agency,
        user=user,
        nip=info.nip,
        name=name,
        front_title=front_title,
        back_title=back_title,
        status=status,
        golongan=golongan,
        pangkat=pangkat,
        gender=info.gender,
        birth_date=info.birth_date,
        position=position,
        unit=unit,
        email=email,
        phone=phone,
        active_from=start,
    )
    if position is not None:
        PositionAssignment.objects.create(
            agency=agency,
            employee=employee,
            position=position,
            unit=unit,
            kind=PositionAssignment.Kind.DEFINITIF,
            start=start,
        )
        _placed(actor, employee, start)
    record(
        "org.employee.create",
        actor=actor,
        agency=agency,
        target=employee,
        subject=employee,
        after=snapshot(employee),
    )
    return employee


@transaction.atomic
def employee_move(
    *,
    actor: User | None,
    employee: Employee,
    position: Position,
    start: dt.date,
    note: str = "",
) -> Employee:
    """A definitive move: the old assignment ends the day before `start`, so
    who was the superior when stays answerable."""
    if position.agency_id != employee.agency_id:
        raise ValidationError(_("Jabatan berasal dari instansi lain."))
    with audited(employee, "org.employee.move", actor=actor, subject=employee, note=note):
        current = employee.assignments.filter(
            kind=PositionAssignment.Kind.DEFINITIF, end__isnull=True
        ).first()
        if current is not None:
            if start <= current.start:
                raise ValidationError(
                    _("Tanggal mulai harus sesudah tanggal mulai jabatan sekarang.")
                )
            current.end = start - dt.timedelta(days=1)
            current.save(update_fields=["end"])
        PositionAssignment.objects.create(
            agency_id=employee.agency_id,
            employee=employee,
            position=position,
            unit=position.unit,
            kind=PositionAssignment.Kind.DEFINITIF,
            start=start,
            note=note,
        )
        employee.position = position
        employee.unit = position.unit
        employee.save(update_fields=["position", "unit", "updated_at"])
        _placed(actor, employee, start)
    return employee


@transaction.atomic
def employee_acting_assign(
    *,
    actor: User | None,
    employee: Employee,
    position: Position,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    note: str = "",
) -> PositionAssignment:
    """Plt/Plh: while it runs, `employee` is the superior of `position`'s subordinates."""
    if kind not in (PositionAssignment.Kind.PLT, PositionAssignment.Kind.PLH):
        raise ValidationError(_("Jenis penugasan harus Plt atau Plh."))
    if position.agency_id != employee.agency_id:
        raise ValidationError(_("Jabatan berasal dari instansi lain."))
    if end is not None and end < start:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    assignment = PositionAssignment.objects.create(
        agency_id=employee.agency_id,
        employee=employee,
        position=position,
        unit=position.unit,
        kind=kind,
        start=start,
        end=end,
        note=note,
    )
    record(
        "org.employee.acting_assign",
        actor=actor,
        target=assignment,
        agency=employee.agency,
        subject=employee,
        after=snapshot(assignment),
    )
    return assignment


@transaction.atomic
def employee_deactivate(
    *, actor: User | None, employee: Employee, until: dt.date, reason: str = ""
) -> Employee:
    with audited(employee, "org.employee.deactivate", actor=actor, subject=employee, note=reason):
        employee.is_active = False
        employee.active_until = until
        employee.save(update_fields=["is_active", "active_until", "updated_at"])
        employee.assignments.filter(end__isnull=True).update(end=until)
        if employee.user is not None:
            User.objects.filter(pk=employee.user.pk).update(is_active=False)
            tokens.tokens_revoke_all(user=employee.user, reason=tokens.DEACTIVATED, actor=actor)
        signals.employee_left.send(sender=Employee, employee=employee, end=until, actor=actor)
    return employee


@transaction.atomic
def user_password_set(*, actor: User | None, employee: Employee, password: str) -> User:
    """Admin BKD sets (or resets) an employee's password. The audit trail says
    that it was set and by whom, never the password; a lockout of the account
    after failed logins is lifted."""
    user = employee.user
    if user is None:
        raise ValidationError(_("Pegawai ini belum punya akun."))
    validate_password(password, user)
    user.set_password(password)
    user.save()
    tokens.tokens_revoke_all(user=user, reason=tokens.PASSWORD_RESET, actor=actor)
    record(
        "org.user.password_set",
        actor=actor,
        agency=employee.agency,
        target=employee,
        subject=employee,
    )
    axes_reset(username=user.get_username())
    return user


def role_grant_check(*, user: User, role: str, unit: OrgUnit | None = None) -> None:
    """Raise ValidationError if `user` may not hold `role` (for `unit`)."""
    if user.agency_id is None:
        raise ValidationError(_("Akun ini tidak terikat pada instansi."))
    if unit is not None and unit.agency_id != user.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    if role == RoleGrant.Role.PIMPINAN_UNIT and unit is None:
        raise ValidationError(_("Peran pimpinan unit memerlukan unit."))


@transaction.atomic
def role_grant(
    *, actor: User | None, user: User, role: str, unit: OrgUnit | None = None
) -> RoleGrant:
    role_grant_check(user=user, role=role, unit=unit)
    grant, created = RoleGrant.objects.get_or_create(
        agency_id=user.agency_id, user=user, role=role, unit=unit
    )
    if created:
        record(
            "org.role.grant",
            actor=actor,
            agency=grant.agency,
            target=grant,
            after={"user": user.username, "role": role, "unit": unit.pk if unit else None},
        )
        tokens.tokens_revoke_all(user=user, reason=tokens.ROLES_CHANGED, actor=actor)
    return grant


@transaction.atomic
def role_revoke(*, actor: User | None, grant: RoleGrant) -> None:
    """Revoke a role. The agency's last admin BKD keeps theirs: the other
    admin grants are locked while we look, so two admins revoking each other
    at once cannot both succeed."""
    if (
        grant.role == RoleGrant.Role.ADMIN_BKD
        and not RoleGrant.objects.select_for_update()
        .filter(agency_id=grant.agency_id, role=RoleGrant.Role.ADMIN_BKD)
        .exclude(pk=grant.pk)
        .exists()
    ):
        raise ValidationError(_("Peran admin BKD terakhir di instansi ini tidak dapat dicabut."))
    before = {"user": grant.user.username, "role": grant.role, "unit": grant.unit_id}
    record("org.role.revoke", actor=actor, agency=grant.agency, target=grant, before=before)
    grant.delete()
    tokens.tokens_revoke_all(user=grant.user, reason=tokens.ROLES_CHANGED, actor=actor)


def _check_code_free(
    model: type[OrgUnit] | type[Position], *, agency_id: int, code: str, exclude_pk: int
) -> None:
    if model.objects.filter(agency_id=agency_id, code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError(_("Kode %(code)s sudah dipakai di instansi ini.") % {"code": code})


def _chart_node_update(
    node: OrgUnit | Position,
    changes: Mapping[str, Any],
    *,
    link: str,
    actor: User | None,
    action: str,
) -> None:
    """Save a unit's or position's changes (a code must stay unique in the
    agency); a new parent or superior (`link`) recomputes the agency's paths."""
    if "code" in changes:
        _check_code_free(
            type(node), agency_id=node.agency_id, code=changes["code"], exclude_pk=node.pk
        )
    old_link = getattr(node, f"{link}_id")
    with audited(node, action, actor=actor):
        _save_changes(node, changes)
        if link in changes and old_link != getattr(node, f"{link}_id"):
            rebuild_paths(node.agency)
            node.refresh_from_db()


def _check_changes(changes: Mapping[str, Any], allowed: set[str], message: str) -> None:
    if set(changes) - allowed:
        raise ValidationError(message)


@transaction.atomic
def unit_update(*, actor: User | None, unit: OrgUnit, **changes: Any) -> OrgUnit:
    """Change a unit's code, name, kind, parent, independence or activity. A
    new parent recomputes the agency's paths (a cycle is refused)."""
    allowed = {"code", "name", "kind", "parent", "is_independent", "is_active"}
    _check_changes(changes, allowed, _("Kolom ini tidak dapat diubah."))
    parent = changes.get("parent", unit.parent)
    if parent is not None and parent.agency_id != unit.agency_id:
        raise ValidationError(_("Unit induk berasal dari instansi lain."))
    _chart_node_update(unit, changes, link="parent", actor=actor, action="org.unit.update")
    return unit


@transaction.atomic
def position_update(*, actor: User | None, position: Position, **changes: Any) -> Position:
    """Change a position; a new superior recomputes the agency's paths."""
    allowed = {"code", "name", "kind", "jenjang", "unit", "superior", "is_unit_head", "is_active"}
    _check_changes(changes, allowed, _("Kolom ini tidak dapat diubah."))
    unit = changes.get("unit", position.unit)
    superior = changes.get("superior", position.superior)
    if unit.agency_id != position.agency_id or (
        superior is not None and superior.agency_id != position.agency_id
    ):
        raise ValidationError(_("Unit atau jabatan atasan berasal dari instansi lain."))
    _check_jenjang(changes.get("kind", position.kind), changes.get("jenjang", position.jenjang))
    _chart_node_update(
        position, changes, link="superior", actor=actor, action="org.position.update"
    )
    return position


@transaction.atomic
def employee_update(*, actor: User | None, employee: Employee, **changes: Any) -> Employee:
    """Change an employee's personal data. The NIP is fixed; a new position goes
    through `employee_move`, leaving through `employee_deactivate`."""
    allowed = {"name", "front_title", "back_title", "golongan", "pangkat", "email", "phone"}
    _check_changes(
        changes,
        allowed,
        _("Jabatan diubah lewat mutasi, status aktif lewat penonaktifan; NIP tetap."),
    )
    with audited(employee, "org.employee.update", actor=actor, subject=employee):
        _save_changes(employee, changes)
        if "email" in changes and employee.user_id:
            User.objects.filter(pk=employee.user_id).update(email=employee.email)
    return employee


def _save_changes(instance: models.Model, changes: Mapping[str, Any]) -> None:
    """Set `changes` and save the whole row (the update services' snapshots
    cover every field)."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
