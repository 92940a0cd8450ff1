"""Rencana hasil kerja (RHK) of an SKP, and their links up the cascade: to the
rater's RHK they intervene in, or for a JPT to a sasaran strategis."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, audited_update, record, snapshot
from kinerja.org.models import User

from .. import selectors
from ..models import OrgGoal, Rhk, Skp
from ._shared import check_editable, next_order


def _validate_parent(skp: Skp, parent: Rhk | None) -> None:
    problem = selectors.parent_problem(skp, parent)
    if problem:
        raise ValidationError(problem)


def _validate_goal(skp: Skp, goal: OrgGoal | None) -> None:
    if goal is None:
        return
    if goal.agency_id != skp.agency_id or goal.year_id != skp.year_id:
        raise ValidationError(_("Sasaran strategis harus dari instansi dan tahun yang sama."))


def _validate_fields(skp: Skp, *, text: str | None, kind: str, source: str) -> None:
    if not (text or "").strip():
        raise ValidationError(_("Rencana hasil kerja wajib diisi."))
    if kind not in Rhk.Kind.values:
        raise ValidationError(_("Jenis RHK harus utama atau tambahan."))
    if source not in Rhk.Source.values:
        raise ValidationError(_("Sumber RHK tidak dikenal."))
    if (
        source == Rhk.Source.TUGAS_JABATAN
        and not skp.is_jpt
        and (skp.position is None or skp.position.kind != "fungsional")
    ):
        raise ValidationError(
            _("Hanya jabatan fungsional yang dapat mengambil RHK dari tugas jabatan sendiri.")
        )


@transaction.atomic
def rhk_add(
    *,
    actor: User,
    skp: Skp,
    text: str,
    kind: str = Rhk.Kind.UTAMA,
    source: str = Rhk.Source.INTERVENSI,
    parent: Rhk | None = None,
    org_goal: OrgGoal | None = None,
    assigned_by: str = "",
) -> Rhk:
    check_editable(actor, skp)
    _validate_fields(skp, text=text, kind=kind, source=source)
    _validate_parent(skp, parent)
    _validate_goal(skp, org_goal)
    if not assigned_by:
        assigned_by = skp.rater_position.name if skp.rater_position is not None else ""
    rhk = Rhk.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        text=text.strip(),
        kind=kind,
        source=source,
        parent=parent,
        org_goal=org_goal,
        assigned_by=assigned_by[:200],
        order=next_order(skp.rhks.all()),
    )
    record("planning.rhk.add", actor=actor, target=rhk, subject=skp.employee, after=snapshot(rhk))
    return rhk


@transaction.atomic
def rhk_update(
    *,
    actor: User,
    rhk: Rhk,
    text: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    assigned_by: str | None = None,
) -> Rhk:
    """Changes what is given (None: unchanged)."""
    skp = rhk.skp
    check_editable(actor, skp)
    text = rhk.text if text is None else text
    kind = rhk.kind if kind is None else kind
    source = rhk.source if source is None else source
    _validate_fields(skp, text=text, kind=kind, source=source)
    with audited(rhk, "planning.rhk.update", actor=actor, subject=skp.employee):
        rhk.text, rhk.kind, rhk.source = text.strip(), kind, source
        if assigned_by is not None:
            rhk.assigned_by = assigned_by[:200]
        rhk.save()
    return rhk


@transaction.atomic
def rhk_delete(*, actor: User, rhk: Rhk) -> None:
    skp = rhk.skp
    check_editable(actor, skp)
    if rhk.interventions.exists():
        raise ValidationError(
            _("RHK ini sudah diintervensi oleh RHK bawahan; lepaskan kaitannya terlebih dahulu.")
        )
    record(
        "planning.rhk.delete", actor=actor, target=rhk, subject=skp.employee, before=snapshot(rhk)
    )
    try:
        with transaction.atomic():
            rhk.delete()
    except ProtectedError as exc:
        # Later stages keep rows that point at the RHK (daily logs); the whole
        # deletion, its audit record included, is rolled back.
        raise ValidationError(
            _("RHK ini sudah dipakai di catatan harian; tidak dapat dihapus.")
        ) from exc


@transaction.atomic
def rhk_link(
    *, actor: User, rhk: Rhk, parent: Rhk | None = None, org_goal: OrgGoal | None = None
) -> Rhk:
    """Link an RHK to the superior RHK it intervenes in (or, for JPT, to a
    sasaran strategis). `parent=None` and `org_goal=None` unlink."""
    skp = rhk.skp
    check_editable(actor, skp)
    _validate_parent(skp, parent)
    _validate_goal(skp, org_goal)
    intervenes = parent is not None and rhk.source != Rhk.Source.INTERVENSI and not skp.is_jpt
    audited_update(
        rhk,
        "planning.rhk.link",
        actor=actor,
        subject=skp.employee,
        changes={
            "parent": parent,
            "org_goal": org_goal,
            "source": Rhk.Source.INTERVENSI if intervenes else rhk.source,
        },
        fields=["parent", "org_goal"],
    )
    return rhk
