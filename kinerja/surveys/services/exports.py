"""Exports of a service's data (codes, report, raw responses), recorded in the audit trail."""

from kinerja.audit.services import record
from kinerja.org.models import User

from ..models import Service


def record_export(action: str, *, actor: User, service: Service, rows: int | None = None) -> None:
    """Record an export of a service's data (`action`: surveys.<what>.export)."""
    record(
        action,
        actor=actor,
        agency=service.agency,
        target=service,
        after={"rows": rows} if rows is not None else None,
    )
