"""The notification bell in the header of every page (kinerja/templates/base.html)."""

from django.db.models import Case, IntegerField, Sum, Value, When, Window
from django.utils.functional import SimpleLazyObject

from .models import Notification

#: How many of the latest notifications the bell's dropdown lists.
BELL_SIZE = 8


class Bell:
    """The unread count and the latest BELL_SIZE notifications, in ONE query: the count is
    a window over all the user's notifications, read on the rows of the page."""

    def __init__(self, user):
        rows = list(
            Notification.objects.filter(recipient=user)
            .annotate(
                unread_total=Window(
                    Sum(
                        Case(
                            When(read_at__isnull=True, then=Value(1)),
                            default=Value(0),
                            output_field=IntegerField(),
                        )
                    )
                )
            )
            .order_by("-created_at", "-pk")[:BELL_SIZE]
        )
        self.latest = rows
        self.unread = rows[0].unread_total if rows else 0


def notification_bell(request):
    """{"bell": Bell}, evaluated only when a page renders it (lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": SimpleLazyObject(lambda: Bell(user))}
