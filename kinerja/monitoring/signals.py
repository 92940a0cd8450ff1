"""Monitoring hears planning (kinerja/planning/events.py) and tells people.

- `calendar_changed`: everyone the change applies to (the agency's active employees with an
  account, or those of the unit's subtree) gets one notification of kind "calendar",
  set-based and deduplicated by the change's key.
"""

from django.dispatch import receiver
from django.urls import reverse

from kinerja.org.models import User
from kinerja.planning.events import calendar_changed

from .models import Notification


@receiver(calendar_changed, dispatch_uid="monitoring.announce_calendar")
def announce_calendar(sender, *, year, unit, actor, text, key, **kwargs):
    users = User.objects.filter(
        employee__agency_id=year.agency_id, employee__is_active=True, is_active=True
    )
    if unit is not None:
        users = users.filter(employee__unit__path__startswith=unit.path)
    url = reverse("planning:calendar")
    Notification.objects.bulk_create(
        [
            Notification(
                agency_id=year.agency_id,
                recipient_id=user_id,
                kind=Notification.Kind.CALENDAR,
                text=text[:500],
                url=url,
                dedupe_key=f"calendar:{key}:{user_id}"[:120],
            )
            for user_id in users.values_list("pk", flat=True).iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
