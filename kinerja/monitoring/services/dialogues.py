"""Dialog kinerja (docs/domain.md §3): a progress meeting led by the superior,
its notes, and the actions agreed in it."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import audited, audited_update, record
from kinerja.authz import require_employee
from kinerja.org.models import Employee, User

from ..models import AgreedAction, Dialogue, Notification
from ..notify import notify, notify_employee
from ..selectors import employees_with_user, is_participant, is_rater
from ._checks import clean_text, require_same_agency


def _require_leader(me: Employee, dialogue: Dialogue) -> None:
    if dialogue.superior_id != me.pk:
        raise PermissionDenied(_("Hanya atasan yang memimpin dialog yang dapat mencatatnya."))


@transaction.atomic
def dialogue_create(
    *,
    actor: User,
    participants: Iterable[Employee],
    scheduled_at: dt.datetime,
    agenda: str,
    today: dt.date | None = None,
) -> Dialogue:
    """The superior schedules a dialogue with some of their direct reports;
    each participant is notified."""
    today = today or timezone.localdate()
    me = require_employee(actor)
    invited = list(participants)
    if not invited:
        raise ValidationError(_("Pilih sekurang-kurangnya satu peserta."))
    for employee in invited:
        if employee.agency_id != me.agency_id:
            raise ValidationError(_("Pegawai berasal dari instansi lain."))
        if not is_rater(me, employee, today):
            raise PermissionDenied(
                _("Dialog kinerja dipimpin oleh atasan: %(name)s bukan bawahan langsung Anda.")
                % {"name": employee.full_name}
            )
    agenda = clean_text(agenda, _("Agenda"))
    dialogue = Dialogue.objects.create(
        agency_id=me.agency_id, superior=me, scheduled_at=scheduled_at, agenda=agenda
    )
    dialogue.participants.set(invited)
    record(
        "monitoring.dialogue.create",
        actor=actor,
        target=dialogue,
        after={"participants": [p.pk for p in invited], "agenda": agenda},
    )
    for employee in employees_with_user([p.pk for p in invited]):
        notify(
            recipient=employee.user,
            kind=Notification.Kind.DIALOGUE,
            text=_("Dialog kinerja dijadwalkan %(when)s: %(agenda)s")
            % {
                "when": timezone.localtime(dialogue.scheduled_at).strftime("%d-%m-%Y %H:%M"),
                "agenda": agenda[:150],
            },
            url=reverse("monitoring:dialogue_detail", args=[dialogue.pk]),
            agency_id=dialogue.agency_id,
        )
    return dialogue


@transaction.atomic
def dialogue_notes_save(*, actor: User, dialogue: Dialogue, notes: str | None) -> Dialogue:
    """The leader records what was discussed; the dialogue counts as held."""
    me = require_employee(actor)
    require_same_agency(actor, dialogue)
    _require_leader(me, dialogue)
    audited_update(
        dialogue,
        "monitoring.dialogue.record",
        actor=actor,
        changes={
            "notes": clean_text(notes, _("Catatan dialog")),
            "held_at": dialogue.held_at or timezone.now(),
        },
    )
    return dialogue


@transaction.atomic
def agreed_action_add(
    *, actor: User, dialogue: Dialogue, owner: Employee, text: str, due: dt.date
) -> AgreedAction:
    """An action agreed in the dialogue, owned by a participant or the leader."""
    me = require_employee(actor)
    require_same_agency(actor, dialogue)
    _require_leader(me, dialogue)
    if owner.pk != me.pk and not is_participant(owner, dialogue):
        raise ValidationError(_("Penanggung jawab harus peserta dialog atau Anda sendiri."))
    if not isinstance(due, dt.date):
        raise ValidationError(_("Batas waktu tidak valid."))
    action = AgreedAction(
        agency_id=dialogue.agency_id,
        dialogue=dialogue,
        owner=owner,
        text=clean_text(text, _("Tindakan")),
        due=due,
    )
    with audited(action, "monitoring.action.add", actor=actor, subject=owner):
        action.save()
    if owner.pk != me.pk:
        notify_employee(
            owner,
            kind=Notification.Kind.ACTION,
            text=_("Tindakan yang disepakati untuk Anda (batas %(due)s): %(text)s")
            % {"due": f"{due:%d-%m-%Y}", "text": action.text[:200]},
            url=reverse("monitoring:dialogue_detail", args=[dialogue.pk]),
            agency_id=action.agency_id,
        )
    return action


@transaction.atomic
def agreed_action_set_done(*, actor: User, action: AgreedAction, done: bool = True) -> AgreedAction:
    """The owner or the dialogue's leader marks the action done, or open again."""
    me = require_employee(actor)
    require_same_agency(actor, action)
    if me.pk not in (action.owner_id, action.dialogue.superior_id):
        raise PermissionDenied(
            _("Hanya penanggung jawab atau pemimpin dialog yang dapat mengubahnya.")
        )
    audited_update(
        action,
        "monitoring.action.done",
        actor=actor,
        changes={"done_at": timezone.now() if done else None},
        subject=action.owner,
    )
    return action
