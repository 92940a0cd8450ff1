"""The user's own notifications: reading them and choosing which also come by
e-mail."""

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from kinerja.org.models import User

from ..models import DailyDigest, Notification, NotificationPreference


@transaction.atomic
def notifications_mark_read(*, actor: User, ids: Collection[int] | None = None) -> int:
    """Mark the actor's unread notifications read (all, or those of `ids`);
    returns how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(
    *, actor: User, email_kinds: Collection[str], daily_digest: bool | None = None
) -> None:
    """`email_kinds`: the kinds the actor wants by e-mail; the others are off.
    `daily_digest`: those kinds come in one e-mail a day instead of one by one
    (None: unchanged)."""
    rows = [
        NotificationPreference(user=actor, kind=kind, email=kind in email_kinds)
        for kind in Notification.Kind.values
    ]
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email"],
    )
    if daily_digest is True:
        DailyDigest.objects.get_or_create(user=actor)
    elif daily_digest is False:
        DailyDigest.objects.filter(user=actor).delete()
