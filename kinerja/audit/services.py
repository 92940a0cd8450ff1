"""Writing to the audit trail. Every state change and every refused access
goes through `record` (or `record_denied`); a change to one row through
`audited` / `audited_update`, which take the before and after snapshots.

Action names are registered per app (`kinerja.audit.registry`) and written in
full where they are recorded.
"""

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import registry
from .context import current_origin
from .models import AuditEvent

# Who acted: a user account, the anonymous visitor, or nobody (the system).
Actor = AbstractBaseUser | AnonymousUser | None
# An agency (org.Agency) or an employee (org.Employee). The audit app sits
# below org and may not import its models, while the Django plugin accepts only
# those for the foreign keys: so these stay loosely typed here.
OrgRow = Any


def _check(action: str, *, denied: bool = False) -> None:
    if getattr(settings, "AUDIT_STRICT", False):
        registry.check(action, denied=denied)


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A plain dict of a model instance's concrete field values, for before/after."""
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if isinstance(field, models.FileField):
            data[field.name] = str(getattr(instance, field.attname) or "")
        else:
            data[field.name] = getattr(instance, field.attname)
    return _jsonable(data)


def _actor_fields(actor: Actor) -> tuple[OrgRow, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonim"
    return actor, actor.get_username()


def record(
    action: str,
    *,
    actor: Actor = None,
    agency: OrgRow = None,
    target: models.Model | None = None,
    subject: OrgRow = None,
    before: Any = None,
    after: Any = None,
    note: str = "",
    outcome: str = AuditEvent.Outcome.OK,
) -> AuditEvent:
    """Append one event. `target` is any model instance (or None)."""
    _check(action)
    origin = current_origin.get()
    actor_obj, actor_label = _actor_fields(actor)
    if agency is None and target is not None:
        agency = getattr(target, "agency", None) if hasattr(target, "agency_id") else None
    return AuditEvent.objects.create(
        agency=agency,
        actor=actor_obj,
        actor_label=actor_label[:200],
        action=action,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        subject=subject,
        before=_jsonable(before),
        after=_jsonable(after),
        note=note,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        path=origin.path,
    )


def record_denied(
    action: str, *, actor: Actor, target_type: str = "", target_id: object = "", note: str = ""
) -> AuditEvent:
    """A refused access: the object is not shown (404) but the attempt is kept."""
    _check(action, denied=True)
    origin = current_origin.get()
    actor_obj, actor_label = _actor_fields(actor)
    return AuditEvent.objects.create(
        agency=getattr(actor_obj, "agency", None) if actor_obj else None,
        actor=actor_obj,
        actor_label=actor_label[:200],
        action=action,
        outcome=AuditEvent.Outcome.DENIED,
        target_type=target_type,
        target_id=str(target_id)[:64],
        note=note,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        path=origin.path,
    )


def bulk_record(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Many events in one statement (imports, cycle opening). `events` are
    unsaved AuditEvent instances; origin fields are filled in here."""
    origin = current_origin.get()
    for action in {event.action for event in events}:
        _check(action)
    for event in events:
        event.ip_address = origin.ip_address
        event.user_agent = origin.user_agent
        event.path = origin.path
    return AuditEvent.objects.bulk_create(events, batch_size=2000)


@dataclass
class AuditedChange:
    """What `audited` hands to its block: the note may be set inside it, and
    `event` holds the recorded row afterwards."""

    note: str = ""
    event: AuditEvent | None = None


@contextmanager
def audited(
    instance: models.Model,
    action: str,
    *,
    actor: Actor,
    fields: Sequence[str] | None = None,
    subject: OrgRow = None,
    agency: OrgRow = None,
    note: str = "",
) -> Iterator[AuditedChange]:
    """Record `action` on `instance` with its snapshot before and after the block:

        with audited(skp, "planning.skp.submit", actor=actor, fields=["status"]):
            skp.status = Skp.Status.DIAJUKAN
            skp.save(update_fields=["status"])

    `fields` limits the snapshots (default: every concrete field). A new row
    (no primary key before the block) has no "before". Nothing is recorded when
    the block raises."""
    before = snapshot(instance, fields) if instance.pk is not None else None
    change = AuditedChange(note=note)
    yield change
    change.event = record(
        action,
        actor=actor,
        agency=agency,
        target=instance,
        subject=subject,
        before=before,
        after=snapshot(instance, fields),
        note=change.note,
    )


def audited_update(
    instance: models.Model,
    action: str,
    *,
    actor: Actor,
    changes: Mapping[str, Any],
    fields: Iterable[str] | None = None,
    subject: OrgRow = None,
    agency: OrgRow = None,
    note: str = "",
) -> AuditedChange:
    """Set `changes` on `instance`, save those fields and record `action` with
    the changed fields (or `fields`) before and after."""
    names = list(changes)
    with audited(
        instance,
        action,
        actor=actor,
        fields=list(fields) if fields is not None else names,
        subject=subject,
        agency=agency,
        note=note,
    ) as change:
        for name, value in changes.items():
            setattr(instance, name, value)
        if instance.pk is None:
            instance.save()
        else:
            auto_now = [
                f.name
                for f in instance._meta.concrete_fields
                if getattr(f, "auto_now", False) and f.name not in names
            ]
            instance.save(update_fields=[*names, *auto_now])
    return change
