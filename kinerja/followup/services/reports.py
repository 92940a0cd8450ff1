"""Exports of the follow-up report, recorded in the audit trail."""

from kinerja.audit.services import record
from kinerja.org.models import Agency, OrgUnit, User


def record_export(
    action: str,
    *,
    actor: User,
    agency: Agency,
    unit: OrgUnit | None = None,
    year: int | None = None,
) -> None:
    """Record an export of the follow-up report (`action`: followup.report.export.<format>)."""
    record(
        action,
        actor=actor,
        agency=agency,
        target=unit,
        after={"year": year, "unit": unit.pk if unit else None},
    )
