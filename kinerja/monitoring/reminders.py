"""Reminders: a scheduled job (production runs `manage.py send_reminders` from
cron or Celery beat; tests call `send_reminders` directly).

Set-based: a fixed number of aggregate queries find what is due, every reminder
gets a `dedupe_key` ("realisasi:<period>:<employee>") so a reminder exists at
most once, rows are inserted with bulk_create(ignore_conflicts=True), and only
the rows created by this run are e-mailed (where the user's preference allows).
Running it again the same day creates and sends nothing.

What is due:
- SKP not yet set (draft or returned) within SKP_DAYS_BEFORE days of the deadline;
- realisasi missing for a period whose documentation window is open (its last
  week up to the end of its evaluation window);
- raters: the evaluation window of a period is open;
- agreed actions due within ACTION_DAYS_BEFORE days (or overdue) and not done;
- feedback requests unanswered for FEEDBACK_REQUEST_DAYS days;
- SKP returned by the rater (polled from planning's ReviewNote rows, since the
  planning service cannot call this app).
"""

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.jobs.services import progress, register
from kinerja.planning.models import Iki, PerformanceYear, Period, ReviewNote, Skp

from .models import AgreedAction, FeedbackRequest, Notification
from .notify import email_notifications

SKP_DAYS_BEFORE = 5
ACTION_DAYS_BEFORE = 2
FEEDBACK_REQUEST_DAYS = 3
RETURNED_LOOKBACK_DAYS = 30
CHUNK = 500


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _candidates(agency, today):
    """Unsaved Notification rows for everything due (a fixed number of queries)."""
    rows = []

    def add(user_id, kind, key, text, url):
        if user_id:
            rows.append(
                Notification(
                    agency_id=agency.pk,
                    recipient_id=user_id,
                    kind=kind,
                    text=text[:500],
                    url=url,
                    dedupe_key=key[:120],
                )
            )

    year = (
        PerformanceYear.objects.filter(
            agency=agency, status=PerformanceYear.Status.OPEN, start__lte=today, end__gte=today
        ).first()
        or PerformanceYear.objects.filter(
            agency=agency,
            status=PerformanceYear.Status.OPEN,
            periods__window_end__gte=today,
            periods__start__lte=today,
        ).first()
    )
    home = reverse("monitoring:home")
    if year is not None:
        deadline = year.skp_deadline
        if deadline - dt.timedelta(days=SKP_DAYS_BEFORE) <= today <= deadline:
            for skp_id, user_id in Skp.objects.filter(
                year=year, status__in=Skp.EDITABLE
            ).values_list("pk", "employee__user_id"):
                add(
                    user_id,
                    Notification.Kind.SKP,
                    f"skp:{skp_id}:{deadline:%Y%m%d}",
                    _("SKP Anda tahun %(y)s harus ditetapkan paling lambat %(d)s.")
                    % {"y": year.year, "d": f"{deadline:%d-%m-%Y}"},
                    reverse("planning:skp_detail", args=[skp_id]),
                )
        windows = list(
            Period.objects.filter(year=year, window_start__lte=today, window_end__gte=today)
        )
        for period in windows:
            missing = (
                Iki.objects.filter(rhk__skp__year=year)
                .exclude(rhk__skp__status=Skp.Status.DITUTUP)
                .values_list("rhk__skp__employee_id", "rhk__skp__employee__user_id")
                .annotate(
                    n_iki=Count("pk", distinct=True),
                    n_done=Count("realisasi", filter=Q(realisasi__period=period), distinct=True),
                )
                .filter(n_done__lt=F("n_iki"))
            )
            for employee_id, user_id, n_iki, n_done in missing:
                add(
                    user_id,
                    Notification.Kind.REALISASI,
                    f"realisasi:{period.pk}:{employee_id}",
                    _(
                        "Realisasi %(p)s belum lengkap (%(done)s dari %(n)s IKI); "
                        "batas pengisian %(d)s."
                    )
                    % {
                        "p": period.label,
                        "done": n_done,
                        "n": n_iki,
                        "d": f"{period.window_end:%d-%m-%Y}",
                    },
                    home,
                )
            raters = (
                Skp.objects.filter(year=year, rater__isnull=False)
                .exclude(status=Skp.Status.DITUTUP)
                .values_list("rater_id", "rater__user_id")
                .distinct()
            )
            for rater_id, user_id in raters:
                add(
                    user_id,
                    Notification.Kind.REALISASI,
                    f"evaluation:{period.pk}:{rater_id}",
                    _("Evaluasi kinerja %(p)s untuk tim Anda dibuka sampai %(d)s.")
                    % {"p": period.label, "d": f"{period.window_end:%d-%m-%Y}"},
                    reverse("monitoring:team"),
                )
    for pk, user_id, text, due, dialogue_id in AgreedAction.objects.filter(
        agency=agency,
        done_at__isnull=True,
        due__lte=today + dt.timedelta(days=ACTION_DAYS_BEFORE),
    ).values_list("pk", "owner__user_id", "text", "due", "dialogue_id"):
        add(
            user_id,
            Notification.Kind.ACTION,
            f"action:{pk}",
            _("Tindakan yang disepakati jatuh tempo %(d)s: %(t)s")
            % {"d": f"{due:%d-%m-%Y}", "t": text[:200]},
            reverse("monitoring:dialogue_detail", args=[dialogue_id]),
        )
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=FEEDBACK_REQUEST_DAYS), dt.time.max)
    )
    for pk, user_id, employee_id, name in FeedbackRequest.objects.filter(
        agency=agency, answered_at__isnull=True, created_at__lte=cutoff
    ).values_list("pk", "asked__user_id", "employee_id", "employee__name"):
        add(
            user_id,
            Notification.Kind.FEEDBACK_REQUEST,
            f"feedback_request:{pk}",
            _("%(name)s masih menunggu umpan balik dari Anda.") % {"name": name},
            reverse("monitoring:feedback_new", args=[employee_id]) + f"?request={pk}",
        )
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=RETURNED_LOOKBACK_DAYS), dt.time.min)
    )
    for pk, skp_id, user_id, text in ReviewNote.objects.filter(
        agency=agency,
        kind=ReviewNote.Kind.RETURN,
        created_at__gte=since,
        skp__status=Skp.Status.DIKEMBALIKAN,
    ).values_list("pk", "skp_id", "skp__employee__user_id", "text"):
        add(
            user_id,
            Notification.Kind.SKP_RETURNED,
            f"skp_returned:{pk}",
            _("SKP Anda dikembalikan oleh pejabat penilai: %(t)s") % {"t": text[:200]},
            reverse("planning:skp_detail", args=[skp_id]),
        )
    return rows


def send_reminders(*, agency, today=None, job=None):
    """Create the due reminders of one agency and e-mail the new ones. Returns
    {"due": n, "created": n, "emailed": n}."""
    today = today or timezone.localdate()
    candidates = {c.dedupe_key: c for c in _candidates(agency, today)}
    keys = list(candidates)
    existing = set()
    for chunk in _chunks(keys):
        existing.update(
            Notification.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True)
        )
    fresh = [candidates[k] for k in keys if k not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    created = []
    for chunk in _chunks([n.dedupe_key for n in fresh]):
        created += list(
            Notification.objects.filter(dedupe_key__in=chunk, emailed_at__isnull=True)
            .select_related("recipient", "recipient__employee")
            .order_by("pk")
        )
    if job is not None:
        progress(job, 1, 2, _("%(n)s pengingat baru") % {"n": len(created)})
    emailed = email_notifications(created)
    return {"due": len(keys), "created": len(created), "emailed": emailed}


@register("monitoring.reminders")
def reminders_job(job):
    today = job.params.get("today")
    today = dt.date.fromisoformat(today) if today else None
    return send_reminders(agency=job.agency, today=today, job=job)
