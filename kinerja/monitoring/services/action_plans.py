"""Rencana aksi (form B.1.1; docs/domain.md §3): an optional breakdown of an RHK
into dated steps, agreed by the employee with their rater."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, audited_update
from kinerja.authz import require_employee
from kinerja.org.models import Employee, User
from kinerja.planning.models import Rhk, Skp

from ..models import ActionPlanStep
from ..selectors import is_rater
from ._checks import clean_text, require_same_agency


def _require_owner_or_rater(me: Employee, rhk: Rhk, today: dt.date, message: str) -> Employee:
    """The RHK's owner, when `me` is the owner or their rater."""
    owner = rhk.skp.employee
    if me.pk == owner.pk or is_rater(me, owner, today):
        return owner
    raise PermissionDenied(message)


@transaction.atomic
def action_plan_step_add(
    *, actor: User, rhk: Rhk, text: str, due: dt.date, today: dt.date | None = None
) -> ActionPlanStep:
    """A dated step of the RHK, within its performance year."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, rhk)
    owner = _require_owner_or_rater(
        me, rhk, today, _("Rencana aksi disusun oleh pegawai bersama pejabat penilainya.")
    )
    if rhk.skp.status == Skp.Status.DITUTUP:
        raise ValidationError(_("SKP ini sudah ditutup."))
    text = clean_text(text, _("Langkah"))
    if not isinstance(due, dt.date):
        raise ValidationError(_("Target waktu tidak valid."))
    year = rhk.skp.year
    if not year.start <= due <= year.end:
        raise ValidationError(_("Target waktu harus di dalam tahun %(y)s.") % {"y": year.year})
    step = ActionPlanStep(agency_id=rhk.agency_id, rhk=rhk, text=text, due=due, created_by=me)
    with audited(step, "monitoring.step.add", actor=actor, subject=owner):
        step.save()
    return step


@transaction.atomic
def action_plan_step_set_done(
    *, actor: User, step: ActionPlanStep, done: bool = True, today: dt.date | None = None
) -> ActionPlanStep:
    """Mark the step done today, or open it again."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, step)
    owner = _require_owner_or_rater(
        me, step.rhk, today, _("Anda tidak berhak mengubah rencana aksi ini.")
    )
    audited_update(
        step,
        "monitoring.step.done",
        actor=actor,
        changes={"done_at": today if done else None},
        subject=owner,
    )
    return step
