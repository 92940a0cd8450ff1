from .models import AuditEvent


def events_about_employee(*, employee, limit=200):
    """Who changed, read or exported this employee's records (UU 27/2022)."""
    return list(
        AuditEvent.objects.filter(subject=employee, agency_id=employee.agency_id)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def events_for_agency(*, agency, limit=200):
    return list(AuditEvent.objects.filter(agency=agency).order_by("-at", "-id")[:limit])
