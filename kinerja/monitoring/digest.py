"""The daily digest: one e-mail a day with every notification not yet e-mailed, for the
users who chose it (DailyDigest) instead of one e-mail per notification
(`notify.email_disabled` keeps the single e-mails from going out).

`send_digests(agency=..., today=...)` is set-based and idempotent: a fixed number of
queries per chunk of users (the digest users, their switched-off kinds, their pending
notifications), one SMTP connection, one bulk update of `emailed_at`, one update of
`last_sent_on`. A user gets at most one digest a day, and a notification is in at most
one digest. Only unread notifications of the last LOOKBACK_DAYS days, of the kinds the
user still wants by e-mail, are sent: what they already read in the app needs no mail.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.org.models import Agency

from .models import DailyDigest, Notification, NotificationPreference
from .notify import email_address

LOOKBACK_DAYS = 7
CHUNK = 500


def _body(notifications: list[Notification]) -> str:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [
        ngettext(
            "Ada %(n)s notifikasi baru untuk Anda di Kinerja:",
            "Ada %(n)s notifikasi baru untuk Anda di Kinerja:",
            len(notifications),
        )
        % {"n": len(notifications)},
        "",
    ]
    for n in notifications:
        lines.append(f"- {n.get_kind_display()}: {n.text}")
        if n.url:
            lines.append(f"  {site}{n.url}")
    lines += ["", _("Ubah pilihan e-mail Anda di halaman Notifikasi.")]
    return "\n".join(lines)


def send_digests(*, agency: Agency, today: dt.date | None = None) -> dict[str, int]:
    """Send today's digests of the agency's users; {"users": mailed, "items": notifications}."""
    today = today or timezone.localdate()
    since = timezone.now() - dt.timedelta(days=LOOKBACK_DAYS)
    due = (
        DailyDigest.objects.filter(user__agency=agency, user__is_active=True)
        .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today))
        .select_related("user", "user__employee")
        .order_by("pk")
    )
    mailed = items = 0
    last = 0
    while True:
        digests = list(due.filter(pk__gt=last)[:CHUNK])
        if not digests:
            break
        last = digests[-1].pk
        users = {d.user_id: d.user for d in digests}
        off = set(
            NotificationPreference.objects.filter(user_id__in=list(users), email=False).values_list(
                "user_id", "kind"
            )
        )
        pending: dict[int, list[Notification]] = defaultdict(list)
        for n in Notification.objects.filter(
            recipient_id__in=list(users),
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=since,
        ).order_by("recipient_id", "created_at", "pk"):
            if (n.recipient_id, n.kind) not in off:
                pending[n.recipient_id].append(n)
        messages, sent, sent_users = [], [], []
        for user_id, rows in pending.items():
            address = email_address(users[user_id])
            if not address:
                continue
            messages.append(
                EmailMessage(
                    subject=_("[Kinerja] Ringkasan harian: %(n)s notifikasi") % {"n": len(rows)},
                    body=_body(rows),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                )
            )
            sent += rows
            sent_users.append(user_id)
        if not messages:
            continue
        with get_connection() as connection:
            connection.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for n in sent]).update(emailed_at=timezone.now())
        DailyDigest.objects.filter(user_id__in=sent_users).update(last_sent_on=today)
        mailed += len(sent_users)
        items += len(sent)
    return {"users": mailed, "items": items}
