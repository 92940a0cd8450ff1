"""Write operations on the organisation: one function per action, called by
pages, the API, the importer and the demo-data commands alike."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, snapshot

from . import signals
from .models import Agency, Employee, OrgUnit, Position, PositionAssignment, RoleGrant, User
from .nip import parse_nip


def _paths(rows):
    """rows: {pk: parent_pk}. Returns {pk: (path, depth)}; a cycle is an error."""
    result = {}

    def resolve(pk, trail=()):
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


def rebuild_paths(agency):
    """Recompute the materialised paths of the agency's units and positions,
    set-based: two reads and two bulk updates whatever the size."""
    units = list(OrgUnit.objects.filter(agency=agency).only("pk", "parent_id", "path", "depth"))
    unit_paths = _paths({u.pk: u.parent_id for u in units})
    changed = []
    for unit in units:
        path, depth = unit_paths[unit.pk]
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=2000)
    positions = list(Position.objects.filter(agency=agency).only("pk", "superior_id", "path"))
    position_paths = _paths({p.pk: p.superior_id for p in positions})
    changed = []
    for position in positions:
        path = position_paths[position.pk][0]
        if position.path != path:
            position.path = path
            changed.append(position)
    Position.objects.bulk_update(changed, ["path"], batch_size=2000)


@transaction.atomic
def agency_create(*, actor, name, code, kind):
    agency = Agency.objects.create(name=name, code=code, kind=kind)
    record("org.agency.create", actor=actor, agency=agency, target=agency, after=snapshot(agency))
    return agency


@transaction.atomic
def unit_create(*, actor, agency, code, name, kind, parent=None, is_independent=False):
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


@transaction.atomic
def position_create(
    *, actor, agency, unit, code, name, kind, superior=None, jenjang="", is_unit_head=False
):
    if unit.agency_id != agency.pk or (superior is not None and superior.agency_id != agency.pk):
        raise ValidationError(_("Unit atau jabatan atasan berasal dari instansi lain."))
    if kind != Position.Kind.FUNGSIONAL and jenjang:
        raise ValidationError(_("Jenjang hanya untuk jabatan fungsional."))
    if kind == Position.Kind.FUNGSIONAL and not jenjang:
        raise ValidationError(_("Jabatan fungsional harus punya jenjang."))
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


@transaction.atomic
def employee_create(
    *,
    actor,
    agency,
    nip,
    name,
    status,
    position=None,
    unit=None,
    golongan="",
    pangkat="",
    front_title="",
    back_title="",
    email="",
    phone="",
    start=None,
    password=None,
):
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
        signals.employees_placed.send(
            sender=Employee, agency=employee.agency, placements=[(employee, start)], actor=actor
        )
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
def employee_move(*, actor, employee, position, start: dt.date, note=""):
    """A definitive move: the old assignment ends the day before `start`, so
    who was the superior when stays answerable."""
    if position.agency_id != employee.agency_id:
        raise ValidationError(_("Jabatan berasal dari instansi lain."))
    before = snapshot(employee)
    current = employee.assignments.filter(
        kind=PositionAssignment.Kind.DEFINITIF, end__isnull=True
    ).first()
    if current is not None:
        if start <= current.start:
            raise ValidationError(_("Tanggal mulai harus sesudah tanggal mulai jabatan sekarang."))
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
    signals.employees_placed.send(
        sender=Employee, agency=employee.agency, placements=[(employee, start)], actor=actor
    )
    record(
        "org.employee.move",
        actor=actor,
        target=employee,
        subject=employee,
        before=before,
        after=snapshot(employee),
        note=note,
    )
    return employee


@transaction.atomic
def acting_assign(*, actor, employee, position, kind, start, end=None, note=""):
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
def employee_deactivate(*, actor, employee, until: dt.date, reason=""):
    before = snapshot(employee)
    employee.is_active = False
    employee.active_until = until
    employee.save(update_fields=["is_active", "active_until", "updated_at"])
    employee.assignments.filter(end__isnull=True).update(end=until)
    if employee.user_id:
        User.objects.filter(pk=employee.user_id).update(is_active=False)
    signals.employee_left.send(sender=Employee, employee=employee, end=until, actor=actor)
    record(
        "org.employee.deactivate",
        actor=actor,
        target=employee,
        subject=employee,
        before=before,
        after=snapshot(employee),
        note=reason,
    )
    return employee


@transaction.atomic
def role_grant(*, actor, user, role, unit=None):
    if user.agency_id is None:
        raise ValidationError(_("Akun ini tidak terikat pada instansi."))
    if unit is not None and unit.agency_id != user.agency_id:
        raise ValidationError(_("Unit berasal dari instansi lain."))
    if role == RoleGrant.Role.PIMPINAN_UNIT and unit is None:
        raise ValidationError(_("Peran pimpinan unit memerlukan unit."))
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
    return grant


@transaction.atomic
def role_revoke(*, actor, grant):
    before = {"user": grant.user.username, "role": grant.role, "unit": grant.unit_id}
    record("org.role.revoke", actor=actor, agency=grant.agency, target=grant, before=before)
    grant.delete()


def _check_code_free(model, *, agency_id, code, exclude_pk):
    if model.objects.filter(agency_id=agency_id, code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError(_("Kode %(code)s sudah dipakai di instansi ini.") % {"code": code})


@transaction.atomic
def unit_update(*, actor, unit, **changes):
    """Change a unit's code, name, kind, parent, independence or activity. A
    new parent recomputes the agency's paths (a cycle is refused)."""
    allowed = {"code", "name", "kind", "parent", "is_independent", "is_active"}
    if set(changes) - allowed:
        raise ValidationError(_("Kolom ini tidak dapat diubah."))
    parent = changes.get("parent", unit.parent)
    if parent is not None and parent.agency_id != unit.agency_id:
        raise ValidationError(_("Unit induk berasal dari instansi lain."))
    if "code" in changes:
        _check_code_free(
            OrgUnit, agency_id=unit.agency_id, code=changes["code"], exclude_pk=unit.pk
        )
    before = snapshot(unit)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.save()
    if "parent" in changes and before["parent"] != unit.parent_id:
        rebuild_paths(unit.agency)
        unit.refresh_from_db()
    record("org.unit.update", actor=actor, target=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def position_update(*, actor, position, **changes):
    """Change a position; a new superior recomputes the agency's paths."""
    allowed = {"code", "name", "kind", "jenjang", "unit", "superior", "is_unit_head", "is_active"}
    if set(changes) - allowed:
        raise ValidationError(_("Kolom ini tidak dapat diubah."))
    unit = changes.get("unit", position.unit)
    superior = changes.get("superior", position.superior)
    if unit.agency_id != position.agency_id or (
        superior is not None and superior.agency_id != position.agency_id
    ):
        raise ValidationError(_("Unit atau jabatan atasan berasal dari instansi lain."))
    kind = changes.get("kind", position.kind)
    jenjang = changes.get("jenjang", position.jenjang)
    if kind != Position.Kind.FUNGSIONAL and jenjang:
        raise ValidationError(_("Jenjang hanya untuk jabatan fungsional."))
    if kind == Position.Kind.FUNGSIONAL and not jenjang:
        raise ValidationError(_("Jabatan fungsional harus punya jenjang."))
    if "code" in changes:
        _check_code_free(
            Position, agency_id=position.agency_id, code=changes["code"], exclude_pk=position.pk
        )
    before = snapshot(position)
    for name, value in changes.items():
        setattr(position, name, value)
    position.save()
    if "superior" in changes and before["superior"] != position.superior_id:
        rebuild_paths(position.agency)
        position.refresh_from_db()
    record(
        "org.position.update",
        actor=actor,
        target=position,
        before=before,
        after=snapshot(position),
    )
    return position


@transaction.atomic
def employee_update(*, actor, employee, **changes):
    """Change an employee's personal data. The NIP is fixed; a new position goes
    through `employee_move`, leaving through `employee_deactivate`."""
    allowed = {"name", "front_title", "back_title", "golongan", "pangkat", "email", "phone"}
    if set(changes) - allowed:
        raise ValidationError(
            _("Jabatan diubah lewat mutasi, status aktif lewat penonaktifan; NIP tetap.")
        )
    before = snapshot(employee)
    for name, value in changes.items():
        setattr(employee, name, value)
    employee.save()
    if "email" in changes and employee.user_id:
        User.objects.filter(pk=employee.user_id).update(email=employee.email)
    record(
        "org.employee.update",
        actor=actor,
        target=employee,
        subject=employee,
        before=before,
        after=snapshot(employee),
    )
    return employee
