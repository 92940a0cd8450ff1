"""In-app notifications and their e-mails.

`notify` is for events (new feedback, returned evidence): one row, and an
e-mail at once when the recipient wants that kind. The reminder job creates rows
set-based with a `dedupe_key` (kinerja.monitoring.reminders) and e-mails the new
ones with `email_notifications`. Notifications created for many people at once
(a calendar change announced to a whole agency) are e-mailed by the job
`monitoring.email_notifications`, after the change commits, outside the request.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.jobs.services import progress, register

from .models import DailyDigest, Notification, NotificationPreference

#: Stands for every kind in email_disabled's query: the user chose the daily digest.
DIGEST = "*"

log = logging.getLogger(__name__)


def email_address(user):
    employee = getattr(user, "employee", None)
    return (getattr(employee, "email", "") or user.email or "").strip()


def email_disabled(user_ids):
    """{(user_id, kind)} not to e-mail one by one (one query): the kinds the users
    switched off, and every kind for those who chose the daily digest (kinerja/monitoring/
    digest.py sends theirs once a day)."""
    ids = list(user_ids)
    switched_off = NotificationPreference.objects.filter(user_id__in=ids, email=False)
    digest = DailyDigest.objects.filter(user_id__in=ids).annotate(
        kind=Value(DIGEST, output_field=CharField())
    )
    rows = switched_off.values_list("user_id", "kind").union(digest.values_list("user_id", "kind"))
    off: set[tuple[int, str]] = set()
    for user_id, kind in rows:
        if kind == DIGEST:
            off.update((user_id, k) for k in Notification.Kind.values)
        else:
            off.add((user_id, kind))
    return off


def send_email(notification, address):
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    body = notification.text
    if notification.url:
        body += f"\n\n{site}{notification.url}"
    try:
        send_mail(
            subject=f"[Kinerja] {notification.get_kind_display()}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    except OSError:  # an SMTP outage must not undo the action that notified
        log.exception("e-mail to %s failed", address)
        return False
    return True


def notify(*, recipient, kind, text, url="", agency_id=None, dedupe_key=None):
    """One notification (skipped when the recipient has no account)."""
    if recipient is None:
        return None
    notification = Notification.objects.create(
        agency_id=agency_id or recipient.agency_id,
        recipient=recipient,
        kind=kind,
        text=text[:500],
        url=url[:300],
        dedupe_key=dedupe_key,
    )
    address = email_address(recipient)
    wanted = (recipient.pk, kind) not in email_disabled([recipient.pk])
    if address and wanted and send_email(notification, address):
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return notification


def notify_employee(employee, *, kind, text, url="", agency_id=None):
    """`notify` the employee's user account (skipped when they have none)."""
    recipient = getattr(employee, "user", None) if employee is not None else None
    return notify(recipient=recipient, kind=kind, text=text, url=url, agency_id=agency_id)


def _body(notification):
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return notification.text + (f"\n\n{site}{notification.url}" if notification.url else "")


def email_unsent(notifications):
    """E-mail the notifications of the queryset `notifications` not e-mailed yet whose
    recipient has an address and has not switched e-mail of their kind off, and mark them
    sent: one read and one update whatever their number, and one connection. Those who
    chose the daily digest get theirs from kinerja/monitoring/digest.py. Returns how
    many were sent."""
    switched_off = NotificationPreference.objects.filter(
        user_id=OuterRef("recipient_id"), kind=OuterRef("kind"), email=False
    )
    wanted = (
        notifications.filter(emailed_at__isnull=True)
        .filter(Q(recipient__employee__email__gt="") | Q(recipient__email__gt=""))
        .exclude(Exists(switched_off))
        .exclude(Exists(DailyDigest.objects.filter(user_id=OuterRef("recipient_id"))))
    )
    rows = list(wanted.select_related("recipient", "recipient__employee").order_by("pk"))
    messages = [
        EmailMessage(
            subject=f"[Kinerja] {n.get_kind_display()}",
            body=_body(n),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email_address(n.recipient)],
        )
        for n in rows
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        connection.send_messages(messages)
    Notification.objects.filter(pk__in=wanted.filter(pk__lte=rows[-1].pk).values("pk")).update(
        emailed_at=timezone.now()
    )
    return len(rows)


@register("monitoring.email_notifications")
def email_notifications_job(job):
    """E-mails the agency's notifications whose dedupe key starts with `params["prefix"]`
    and that were not e-mailed yet (notify.email_unsent: a fixed number of queries).
    Idempotent: a second run finds nothing left to send."""
    pending = Notification.objects.filter(
        agency=job.agency, dedupe_key__startswith=job.params["prefix"]
    )
    total = pending.filter(emailed_at__isnull=True).count()
    sent = email_unsent(pending)
    progress(job, total, total, _("%(n)s e-mail terkirim") % {"n": sent})
    return {"notifications": total, "emailed": sent}
