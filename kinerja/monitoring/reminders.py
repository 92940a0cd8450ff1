"""Reminders: a scheduled job (production runs `manage.py send_reminders` daily from
cron or Celery beat; tests call `send_reminders` directly).

Set-based: a fixed number of queries find what is due, whatever the size of the agency
(the year, its SKP with their units, the calendars of those units, one aggregate of the
realisasi per period whose window matters today, the agreed actions, the feedback requests,
the returned SKP; later stages add theirs through `events.reminders_due` in a fixed number
too). Every reminder has a `dedupe_key` ("realisasi:<period>:<employee>") so that it exists
at most once; the rows are inserted with bulk_create(ignore_conflicts=True), and only the
rows this run created are e-mailed (where the user's preference for the kind allows), with
one read and one update (notify.email_unsent). Running it again the same day creates and
sends nothing.

Windows are those of the calendar that applies to each employee's unit
(kinerja/planning/selectors/calendar.py): a unit with its own dates (CalendarOverride) is
reminded on its own dates. What is due:
- SKP not yet set (draft or returned) within SKP_WORKDAYS_BEFORE working days of the
  unit's SKP deadline;
- the realisasi window of a period is open (once per period and employee);
- realisasi still incomplete when the unit's evaluation window of the period has opened,
  and again CLOSING_WORKDAYS working days before the realisasi window closes;
- agreed actions due within ACTION_DAYS_BEFORE days (or overdue) and not done;
- feedback requests unanswered for FEEDBACK_REQUEST_DAYS days;
- SKP returned by the rater (polled from planning's ReviewNote rows, since the
  planning service cannot call this app);
- assessment's (kinerja/assessment/reminders.py): the raters' evaluation windows opened and
  about to close, and admin BKD's units without an organisation grade.
"""

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.jobs.services import progress, register
from kinerja.org.models import OrgUnit
from kinerja.planning.models import Iki, PerformanceYear, ReviewNote, Skp
from kinerja.planning.selectors.calendar import calendar_map
from kinerja.rules.workdays import national_holidays, working_days_between

from .events import days_off_wanted, reminders_due
from .models import AgreedAction, FeedbackRequest, Notification
from .notify import email_unsent

SKP_WORKDAYS_BEFORE = 5
# "About to close": this many working days before a window's last day, or fewer.
CLOSING_WORKDAYS = 3
ACTION_DAYS_BEFORE = 2
FEEDBACK_REQUEST_DAYS = 3
RETURNED_LOOKBACK_DAYS = 30
# Rows per INSERT (SQLite caps the parameters of one statement).
BATCH = 100


def closing_soon(today: dt.date, end: dt.date, days_off, within: int = CLOSING_WORKDAYS) -> bool:
    """True from `within` working days before `end` up to `end` itself."""
    return today <= end and working_days_between(today, end, days_off) <= within


def days_off_of(agency, years) -> set[dt.date]:
    """National holidays of `years` and the agency's own days off (assessment answers)."""
    off = national_holidays(years)
    for _receiver, answer in days_off_wanted.send(sender=None, agency_id=agency.pk, years=years):
        off |= set(answer or ())
    return off


def current_year(agency, today):
    """The open year of `today`, else the open year whose annual window still runs (two
    queries)."""
    years = PerformanceYear.objects.filter(agency=agency, status=PerformanceYear.Status.OPEN)
    return (
        years.filter(start__lte=today, end__gte=today).first()
        or years.filter(start__lte=today, annual_deadline__gte=today).order_by("year").first()
    )


def _covers(valid_from, valid_until, start, end) -> bool:
    return valid_from <= end and (valid_until is None or valid_until >= start)


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
                    url=url[:300],
                    dedupe_key=key[:120],
                )
            )

    year = current_year(agency, today)
    home = reverse("monitoring:home")
    if year is not None:
        off = days_off_of(agency, [year.year, year.year + 1])
        skps = list(
            Skp.objects.filter(year=year)
            .exclude(status=Skp.Status.DITUTUP)
            .values_list(
                "pk",
                "status",
                "employee_id",
                "employee__user_id",
                "unit_id",
                "unit__path",
                "valid_from",
                "valid_until",
            )
        )
        units = {unit_id: OrgUnit(pk=unit_id, path=path) for *_x, unit_id, path, _f, _u in skps}
        calendars = calendar_map(units.values(), year)
        # Periods whose realisasi must be counted today: the evaluation window is open or
        # the realisasi window is about to close, for some unit.
        counted: dict[int, str] = {}
        for cal in calendars.values():
            for p in cal.periods:
                if not p.realisasi.has_closed(today) and (
                    p.evaluation.is_open(today) or closing_soon(today, p.realisasi.end, off)
                ):
                    counted[p.pk] = p.label
        progress_of: dict[tuple[int, int], tuple[int, int]] = {}
        for period_id in counted:
            found = (
                Iki.objects.filter(rhk__skp__year=year)
                .exclude(rhk__skp__status=Skp.Status.DITUTUP)
                .values_list("rhk__skp__employee_id")
                .annotate(
                    n_iki=Count("pk", distinct=True),
                    n_done=Count(
                        "realisasi", filter=Q(realisasi__period_id=period_id), distinct=True
                    ),
                )
                .filter(n_done__lt=F("n_iki"))
            )
            for employee_id, n_iki, n_done in found:
                progress_of[(period_id, employee_id)] = (n_done, n_iki)
        for skp_id, status, employee_id, user_id, unit_id, _path, valid_from, valid_until in skps:
            cal = calendars[unit_id]
            deadline = cal.skp.end
            if status in Skp.EDITABLE and closing_soon(
                today, deadline, off, within=SKP_WORKDAYS_BEFORE
            ):
                add(
                    user_id,
                    Notification.Kind.SKP,
                    f"skp:{skp_id}:{deadline:%Y%m%d}",
                    _("SKP Anda tahun %(y)s harus ditetapkan paling lambat %(d)s.")
                    % {"y": year.year, "d": f"{deadline:%d-%m-%Y}"},
                    reverse("planning:skp_detail", args=[skp_id]),
                )
            for p in cal.periods:
                if not _covers(valid_from, valid_until, p.period.start, p.period.end):
                    continue
                realisasi = p.realisasi
                if realisasi.is_open(today):
                    add(
                        user_id,
                        Notification.Kind.REALISASI,
                        f"realisasi_open:{p.pk}:{employee_id}",
                        _("Pengisian realisasi %(p)s dibuka %(s)s s.d. %(e)s.")
                        % {
                            "p": p.label,
                            "s": f"{realisasi.start:%d-%m-%Y}",
                            "e": f"{realisasi.end:%d-%m-%Y}",
                        },
                        home,
                    )
                missing = progress_of.get((p.pk, employee_id))
                if missing is None or realisasi.has_closed(today):
                    continue
                done, n = missing
                values = {"p": p.label, "done": done, "n": n, "d": f"{realisasi.end:%d-%m-%Y}"}
                if p.evaluation.is_open(today):
                    add(
                        user_id,
                        Notification.Kind.REALISASI,
                        f"realisasi:{p.pk}:{employee_id}",
                        _(
                            "Realisasi %(p)s belum lengkap (%(done)s dari %(n)s IKI); "
                            "batas pengisian %(d)s."
                        )
                        % values,
                        home,
                    )
                if closing_soon(today, realisasi.end, off):
                    add(
                        user_id,
                        Notification.Kind.REALISASI,
                        f"realisasi_closing:{p.pk}:{employee_id}",
                        _(
                            "Pengisian realisasi %(p)s segera ditutup pada %(d)s; baru %(done)s "
                            "dari %(n)s IKI yang terisi."
                        )
                        % values,
                        home,
                    )
        for _receiver, answer in reminders_due.send(
            sender=None, agency=agency, year=year, today=today, days_off=off, calendars=calendars
        ):
            rows.extend(answer or [])
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
    started = timezone.now()
    Notification.objects.bulk_create(
        list(candidates.values()), ignore_conflicts=True, batch_size=BATCH
    )
    # The rows this run created: existing keys kept their older rows (ignore_conflicts).
    created = Notification.objects.filter(
        agency=agency, created_at__gte=started, dedupe_key__isnull=False
    )
    count = created.count()
    if job is not None:
        progress(job, 1, 2, _("%(n)s pengingat baru") % {"n": count})
    emailed = email_unsent(created)
    return {"due": len(candidates), "created": count, "emailed": emailed}


@register("monitoring.reminders")
def reminders_job(job):
    today = job.params.get("today")
    today = dt.date.fromisoformat(today) if today else None
    return send_reminders(agency=job.agency, today=today, job=job)
