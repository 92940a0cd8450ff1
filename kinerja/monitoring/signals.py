"""Monitoring hears planning (kinerja/planning/events.py) and tells people.

- `calendar_changed`: everyone the change applies to (the agency's active employees with an
  account, or those of the unit's subtree) gets one notification of kind "calendar",
  set-based and deduplicated by the change's key; the job `monitoring.email_notifications`
  e-mails them (to those whose preference for the kind allows it) after the change commits.
- `skp_returned`, `skp_approved`: the employee whose SKP the rater decided gets one
  notification (and its e-mail), with the rater's note.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.jobs.services import enqueue
from kinerja.org.models import User
from kinerja.planning.events import calendar_changed, skp_approved, skp_returned

from .models import Notification
from .notify import notify_employee


@receiver(calendar_changed, dispatch_uid="monitoring.announce_calendar")
def announce_calendar(sender, *, year, unit, actor, text, key, **kwargs):
    users = User.objects.filter(
        employee__agency_id=year.agency_id, employee__is_active=True, is_active=True
    )
    if unit is not None:
        users = users.filter(employee__unit__path__startswith=unit.path)
    url = reverse("planning:calendar")
    prefix = f"calendar:{key}:"
    created = Notification.objects.bulk_create(
        [
            Notification(
                agency_id=year.agency_id,
                recipient_id=user_id,
                kind=Notification.Kind.CALENDAR,
                text=text[:500],
                url=url,
                dedupe_key=f"{prefix}{user_id}"[:120],
            )
            for user_id in users.values_list("pk", flat=True).iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    if created:
        enqueue(
            "monitoring.email_notifications",
            agency=year.agency,
            user=actor,
            params={"prefix": prefix},
        )


@receiver(skp_returned, dispatch_uid="monitoring.notify_skp_returned")
def notify_skp_returned(sender, *, skp, note, actor, **kwargs):
    notify_employee(
        skp.employee,
        kind=Notification.Kind.SKP_RETURNED,
        text=_("SKP %(year)s Anda dikembalikan oleh pejabat penilai: %(note)s")
        % {"year": skp.year, "note": note},
        url=reverse("planning:skp_detail", args=[skp.pk]),
        agency_id=skp.agency_id,
    )


@receiver(skp_approved, dispatch_uid="monitoring.notify_skp_approved")
def notify_skp_approved(sender, *, skp, version, note, actor, **kwargs):
    text = _("SKP %(year)s Anda telah disetujui dan ditetapkan (versi %(version)s).") % {
        "year": skp.year,
        "version": version.number,
    }
    if note:
        text += " " + _("Catatan: %(note)s") % {"note": note}
    notify_employee(
        skp.employee,
        kind=Notification.Kind.SKP_APPROVED,
        text=text,
        url=reverse("planning:skp_detail", args=[skp.pk]),
        agency_id=skp.agency_id,
    )
