"""Writing to the audit trail. Every state change and every refused access
goes through `record` (or `record_denied`)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .context import current_origin
from .models import AuditEvent


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance, fields=None):
    """A plain dict of a model instance's concrete field values, for before/after."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.FileField):
            data[field.name] = str(getattr(instance, field.attname) or "")
        else:
            data[field.name] = getattr(instance, field.attname)
    return _jsonable(data)


def _actor_fields(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonim"
    return actor, actor.get_username()


def record(
    action,
    *,
    actor=None,
    agency=None,
    target=None,
    subject=None,
    before=None,
    after=None,
    note="",
    outcome=AuditEvent.Outcome.OK,
):
    """Append one event. `target` is any model instance (or None)."""
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


def record_denied(action, *, actor, target_type="", target_id="", note=""):
    """A refused access: the object is not shown (404) but the attempt is kept."""
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


def bulk_record(events):
    """Many events in one statement (imports, cycle opening). `events` are
    unsaved AuditEvent instances; origin fields are filled in here."""
    origin = current_origin.get()
    for event in events:
        event.ip_address = origin.ip_address
        event.user_agent = origin.user_agent
        event.path = origin.path
    return AuditEvent.objects.bulk_create(events, batch_size=2000)
