"""What a user may see of the monitoring rows: Q filters for the pages and the API."""

from django.db.models import Q

from kinerja.org.access import Access

from ..models import Dialogue


def employee_q(access: Access, prefix: str = "") -> Q:
    """Rows about an employee (`<prefix>employee`) that the user may see:
    their own, their chart below them, the unit they head, admin BKD all."""
    return access.employee_filter(f"{prefix}employee__")


def evidence_q(access: Access) -> Q:
    return access.employee_filter("owner__")


def feedback_q(access: Access) -> Q:
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, author_id=access.employee.pk)
    return q


def dialogue_q(access: Access) -> Q:
    if access.agency_id is None:
        return Q(pk__in=[])
    if access.is_admin:
        return Q(agency_id=access.agency_id)
    if access.employee is None:
        return Q(pk__in=[])
    me = access.employee.pk
    return Q(agency_id=access.agency_id) & (
        Q(superior_id=me)
        | Q(
            pk__in=Dialogue.participants.through.objects.filter(employee_id=me).values(
                "dialogue_id"
            )
        )
    )


def agreed_action_q(access: Access) -> Q:
    """Agreed actions the user owns (or may see the owner of), and those of the
    dialogues they lead."""
    q = access.employee_filter("owner__")
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, dialogue__superior_id=access.employee.pk)
    return q


def coaching_q(access: Access) -> Q:
    q = employee_q(access)
    if access.employee is not None:
        q |= Q(agency_id=access.agency_id, coach_id=access.employee.pk)
    return q


def rhk_q(access: Access, prefix: str = "") -> Q:
    q = access.employee_filter(f"{prefix}skp__employee__")
    if access.employee is not None:
        q |= Q(
            **{f"{prefix}agency_id": access.agency_id, f"{prefix}skp__rater_id": access.employee.pk}
        )
    return q


def same_agency_q(access: Access) -> Q:
    return Q(agency_id=access.agency_id) if access.agency_id else Q(pk__in=[])
