"""Notifications and their preferences."""

from django.utils.functional import Promise

from kinerja.org.models import User

from ..models import DailyDigest, Notification, NotificationPreference


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications(user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


def notification_preferences(user: User) -> list[tuple[str, str | Promise, bool]]:
    """(kind, label, by e-mail) of every kind of notification; e-mail is on
    unless the user switched it off."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True)
    )
    return [(kind, label, kind not in off) for kind, label in Notification.Kind.choices]


def daily_digest_on(user: User) -> bool:
    """Whether the user chose one e-mail a day instead of one per notification."""
    return DailyDigest.objects.filter(user=user).exists()
