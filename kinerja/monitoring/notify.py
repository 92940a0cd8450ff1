"""In-app notifications and their e-mails.

`notify` is for events (new feedback, returned evidence): one row, and an
e-mail at once when the recipient wants that kind. The reminder job creates rows
set-based with a `dedupe_key` (kinerja.monitoring.reminders)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification, NotificationPreference

log = logging.getLogger(__name__)


def email_address(user):
    employee = getattr(user, "employee", None)
    return (getattr(employee, "email", "") or user.email or "").strip()


def email_disabled(user_ids):
    """{(user_id, kind)} the users switched off (one query)."""
    return set(
        NotificationPreference.objects.filter(user_id__in=list(user_ids), email=False).values_list(
            "user_id", "kind"
        )
    )


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
