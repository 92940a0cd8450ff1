"""Team work through the matriks peran hasil (format A.1.5): a superior hands
one of their RHK to many direct subordinates at once."""

from collections.abc import Iterable
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import bulk_record
from kinerja.authz import actor_employee, require_same_agency
from kinerja.org.models import User

from ..models import Rhk, Skp
from ._shared import check_year_not_closed


class MatrixAssignment(TypedDict):
    created: int
    skipped_existing: int
    locked: list[str]  # names of the subordinates whose SKP could not be changed


@transaction.atomic
def rhk_matrix_assign(
    *,
    actor: User,
    parent_rhk: Rhk,
    skp_ids: Iterable[int | str],
    text: str = "",
    kind: str = Rhk.Kind.UTAMA,
) -> MatrixAssignment:
    """Hand one of the superior's RHK to many subordinates at once: each gets a
    linked draft RHK to refine. Set-based (one bulk insert). Subordinates who
    already have an RHK linked to it are skipped; SKP that are not editable
    (submitted/approved) are skipped and reported."""
    me = actor_employee(actor)
    parent_skp = parent_rhk.skp
    require_same_agency(actor, parent_rhk)
    check_year_not_closed(parent_skp.year)
    if me is None or parent_skp.employee_id != me.pk:
        raise PermissionDenied(_("Anda hanya dapat membagi RHK dari SKP Anda sendiri."))
    if kind not in Rhk.Kind.values:
        raise ValidationError(_("Jenis RHK harus utama atau tambahan."))
    ids = {int(i) for i in skp_ids}
    if not ids:
        raise ValidationError(_("Pilih minimal satu bawahan."))
    targets = list(
        Skp.objects.filter(pk__in=ids, agency_id=parent_skp.agency_id).select_related(
            "employee", "rater_position"
        )
    )
    wrong = [s for s in targets if s.rater_id != me.pk or s.year_id != parent_skp.year_id]
    if len(targets) != len(ids) or wrong:
        raise ValidationError(
            _("Sebagian SKP yang dipilih bukan SKP bawahan langsung Anda pada tahun yang sama.")
        )
    already = set(
        Rhk.objects.filter(parent=parent_rhk, skp_id__in=ids).values_list("skp_id", flat=True)
    )
    orders = dict(
        Rhk.objects.filter(skp_id__in=ids)
        .values_list("skp_id")
        .annotate(m=Max("order"))
        .values_list("skp_id", "m")
    )
    assigned_by = parent_skp.position.name if parent_skp.position else me.full_name
    new, locked = [], []
    for skp in targets:
        if skp.pk in already:
            continue
        if skp.status not in Skp.EDITABLE:
            locked.append(skp.employee.full_name)
            continue
        new.append(
            Rhk(
                agency_id=skp.agency_id,
                skp=skp,
                text=(text or parent_rhk.text).strip(),
                kind=kind,
                source=Rhk.Source.INTERVENSI,
                parent=parent_rhk,
                assigned_by=assigned_by[:200],
                order=(orders.get(skp.pk) or 0) + 1,
            )
        )
    Rhk.objects.bulk_create(new, batch_size=1000)
    by_skp = {s.pk: s for s in targets}
    bulk_record(
        [
            AuditEvent(
                agency_id=parent_skp.agency_id,
                actor=actor,
                actor_label=actor.get_username(),
                action="planning.rhk.matrix_assign",
                target_type="planning.skp",
                target_id=str(r.skp_id),
                target_label=str(by_skp[r.skp_id]),
                subject_id=by_skp[r.skp_id].employee_id,
                after={"parent_rhk": parent_rhk.pk, "text": r.text, "kind": r.kind},
            )
            for r in new
        ]
    )
    return {"created": len(new), "skipped_existing": len(already), "locked": locked}
