"""Taking an RHK over (PermenPANRB 6/2022 art. 20; docs/domain.md §3): when the
employee still cannot complete it after adjustment and coaching, the rater
takes it over with a note that counts in the evaluation."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited
from kinerja.authz import require_employee
from kinerja.org.models import User
from kinerja.planning.models import Rhk

from ..models import Notification, RhkTakeover
from ..notify import notify_employee
from ..selectors import has_coaching, is_taken_over
from ._checks import clean_text, require_rater, require_same_agency


@transaction.atomic
def rhk_take_over(
    *,
    actor: User,
    rhk: Rhk,
    note: str | None,
    date: dt.date | None = None,
    today: dt.date | None = None,
) -> RhkTakeover:
    """Art. 20: after adjustment and coaching, the rater takes the RHK over with
    a note that the employee could not complete it."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    require_same_agency(actor, rhk)
    owner = rhk.skp.employee
    require_rater(me, owner, today, _("Hanya pejabat penilai yang dapat mengambil alih RHK."))
    if is_taken_over(rhk):
        raise ValidationError(_("RHK ini sudah diambil alih."))
    note = clean_text(note, _("Catatan pengambilalihan"))
    if not has_coaching(owner):
        raise ValidationError(
            _(
                "Ambil alih RHK hanya setelah penyesuaian dan pembinaan kinerja: catat dahulu "
                "sesi coaching, mentoring, atau konseling untuk pegawai ini."
            )
        )
    takeover = RhkTakeover(agency_id=rhk.agency_id, rhk=rhk, by=me, note=note, date=date or today)
    with audited(takeover, "monitoring.rhk.takeover", actor=actor, subject=owner):
        takeover.save()
    notify_employee(
        owner,
        kind=Notification.Kind.COACHING,
        text=_("%(name)s mengambil alih RHK “%(rhk)s”: %(note)s")
        % {"name": me.full_name, "rhk": str(rhk), "note": note[:200]},
        url=reverse("monitoring:rhk_detail", args=[rhk.pk]),
        agency_id=rhk.agency_id,
    )
    return takeover
