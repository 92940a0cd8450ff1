"""Reads of the audit trail: an employee's "who processed my data", the
agency's trail for admin BKD."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def events_about_employee(*, employee: Any, limit: int = 200) -> list[AuditEvent]:
    """Who changed, read or exported this employee's records (UU 27/2022).
    `employee` is an org.Employee (which the audit app may not import)."""
    return list(
        AuditEvent.objects.filter(subject=employee, agency_id=employee.agency_id)
        .select_related("actor__employee")
        .order_by("-at", "-id")[:limit]
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def agency_events(
    *,
    agency_id: int,
    action: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    outcome: str = "",
) -> QuerySet[AuditEvent]:
    """The agency's audit trail, newest first, filtered; for a paginated page.
    Dates are whole local days; `actor` matches the account name (NIP) or the
    employee's name."""
    qs = AuditEvent.objects.filter(agency_id=agency_id).select_related("actor__employee", "subject")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__employee__name__icontains=actor))
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-at", "-id")
