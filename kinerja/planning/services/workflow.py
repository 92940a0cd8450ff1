"""The SKP's way to approval: the employee submits, the rater approves (sets,
ditetapkan) or returns it with a note; an approved SKP changes only through a
recorded revision. Each approval freezes the content in a new SkpVersion."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited_update, record
from kinerja.authz import actor_employee, require_same_agency
from kinerja.lib.hashing import content_hash
from kinerja.org.models import Employee, User

from .. import events, selectors
from ..models import ReviewNote, Skp, SkpVersion
from ._shared import check_editable, check_year_not_closed


@transaction.atomic
def skp_submit(*, actor: User, skp: Skp) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    check_editable(actor, skp)
    problems = selectors.submit_problems(skp)
    if problems:
        raise ValidationError(problems)
    audited_update(
        skp,
        "planning.skp.submit",
        actor=actor,
        subject=skp.employee,
        changes={"status": Skp.Status.DIAJUKAN, "submitted_at": timezone.now()},
        fields=["status"],
    )
    return skp


def _decider(actor: User, skp: Skp, today: dt.date | None) -> Employee | None:
    """The deciding employee (None: admin BKD without an employee record, for
    the top of the tree)."""
    require_same_agency(actor, skp)
    check_year_not_closed(skp.year)
    me = actor_employee(actor)
    if me is not None and me.pk == skp.employee_id:
        raise PermissionDenied(
            _("Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri.")
        )
    if not selectors.may_decide(actor, skp, today=today):
        raise PermissionDenied(_("Hanya pejabat penilai SKP ini yang dapat memutuskannya."))
    if skp.status != Skp.Status.DIAJUKAN:
        raise ValidationError(_("Hanya SKP berstatus diajukan yang dapat diputuskan."))
    return me


def _add_note(skp: Skp, *, actor: User, author: Employee | None, kind: str, text: str) -> None:
    ReviewNote.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        author=author,
        author_name=author.full_name if author else actor.get_username(),
        kind=kind,
        text=text.strip(),
    )


@transaction.atomic
def skp_approve(
    *, actor: User, skp: Skp, note: str = "", today: dt.date | None = None
) -> SkpVersion:
    """Approve and set (tetapkan) the SKP: its content is frozen in a new
    SkpVersion with a sha256 of the canonical JSON."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    me = _decider(actor, skp, today)
    now = timezone.now()
    skp.status = Skp.Status.DISETUJUI
    skp.approved_at = now
    skp.save(update_fields=["status", "approved_at", "updated_at"])
    content = selectors.skp_content(skp)
    version = SkpVersion.objects.create(
        agency_id=skp.agency_id,
        skp=skp,
        number=skp.version,
        content=content,
        content_hash=content_hash(content),
        reason=skp.revision_reason,
        approved_by=me,
        approved_by_name=me.full_name if me else actor.get_username(),
        approved_at=now,
    )
    if note.strip():
        _add_note(skp, actor=actor, author=me, kind=ReviewNote.Kind.APPROVE, text=note)
    record(
        "planning.skp.approve",
        actor=actor,
        target=skp,
        subject=skp.employee,
        before={"status": Skp.Status.DIAJUKAN},
        after={"status": skp.status, "version": version.number, "hash": version.content_hash},
        note=note,
    )
    events.skp_approved.send(sender=Skp, skp=skp, version=version, note=note.strip(), actor=actor)
    return version


@transaction.atomic
def skp_return(*, actor: User, skp: Skp, note: str, today: dt.date | None = None) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    me = _decider(actor, skp, today)
    if not (note or "").strip():
        raise ValidationError(_("Catatan wajib diisi saat mengembalikan SKP."))
    audited_update(
        skp,
        "planning.skp.return",
        actor=actor,
        subject=skp.employee,
        changes={"status": Skp.Status.DIKEMBALIKAN},
        note=note.strip(),
    )
    _add_note(skp, actor=actor, author=me, kind=ReviewNote.Kind.RETURN, text=note)
    events.skp_returned.send(sender=Skp, skp=skp, note=note.strip(), actor=actor)
    return skp


@transaction.atomic
def skp_revise(*, actor: User, skp: Skp, reason: str) -> Skp:
    """An approved SKP changes only through a recorded revision: a new version
    in draft, with a reason; the approved versions stay readable."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    require_same_agency(actor, skp)
    check_year_not_closed(skp.year)
    if skp.status != Skp.Status.DISETUJUI:
        raise ValidationError(_("Hanya SKP yang sudah disetujui yang dapat direvisi."))
    me = actor_employee(actor)
    if me is None or me.pk not in (skp.employee_id, skp.rater_id):
        raise PermissionDenied(_("Hanya pegawai atau pejabat penilainya yang dapat merevisi SKP."))
    if not (reason or "").strip():
        raise ValidationError(_("Alasan revisi wajib diisi."))
    audited_update(
        skp,
        "planning.skp.revise",
        actor=actor,
        subject=skp.employee,
        changes={
            "version": skp.version + 1,
            "status": Skp.Status.DRAFT,
            "revision_reason": reason.strip(),
        },
        fields=["status", "version"],
        note=reason.strip(),
    )
    _add_note(skp, actor=actor, author=me, kind=ReviewNote.Kind.REVISE, text=reason)
    return skp
