"""Assessment's part of the daily reminders (kinerja/monitoring/reminders.py asks for it
through monitoring.events.reminders_due and saves the rows once per key):

- a rater, when the evaluation window of a period (or the annual window) opens for one of
  the people they rate, by the calendar that applies to that person's unit;
- a rater, CLOSING_WORKDAYS working days before that window closes, with the number of
  evaluations not yet finalised;
- every admin BKD, once per window while it is open for some unit, with the number of
  units that have no organisation grade for that period or year (own or inherited) and a
  link to the grades page.

Set-based: the approved SKP (one query), the locked evaluations (one), the agency's own
calendar (one), admin BKD (one), and the units without a grade (two per open window),
whatever the size of the agency.
"""

import datetime as dt
from collections.abc import Mapping

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.monitoring.models import Notification
from kinerja.org.models import Agency, RoleGrant
from kinerja.planning.models import PerformanceYear, Period, Skp
from kinerja.planning.selectors.calendar import Calendar, Window, agency_calendar
from kinerja.rules.workdays import working_days_between

from .. import selectors
from ..models import Evaluation

# "About to close": this many working days before the window's last day, or fewer.
CLOSING_WORKDAYS = 3
# Units named in admin BKD's notification (the count and the link give the rest).
NAMED_UNITS = 5


def _closing(today: dt.date, window: Window, days_off: set[dt.date]) -> bool:
    return window.is_open(today) and (
        working_days_between(today, window.end, days_off) <= CLOSING_WORKDAYS
    )


def _covers(valid_from: dt.date, valid_until: dt.date | None, period: Period) -> bool:
    return valid_from <= period.end and (valid_until is None or valid_until >= period.start)


def _team_url(period_id: int | None) -> str:
    return reverse("assessment:team") + (
        f"?periode={period_id}" if period_id is not None else "?periode=tahunan"
    )


def _grades_url(year: PerformanceYear, period_id: int | None) -> str:
    query = f"?tahun={year.pk}" + (f"&periode={period_id}" if period_id is not None else "")
    return reverse("assessment:org_performance") + query


def window_reminders(
    *,
    agency: Agency,
    year: PerformanceYear,
    today: dt.date,
    days_off: set[dt.date],
    calendars: Mapping[int, Calendar],
) -> list[Notification]:
    """Unsaved notifications (with their dedupe keys) of the raters' windows and of admin
    BKD's missing grades that are due on `today`."""
    skps = list(
        Skp.objects.filter(
            year=year,
            rater__isnull=False,
            status__in=[Skp.Status.DISETUJUI, Skp.Status.DITUTUP],
        ).values_list(
            "employee_id",
            "status",
            "rater_id",
            "rater__user_id",
            "unit_id",
            "valid_from",
            "valid_until",
        )
    )
    locked = set(
        Evaluation.objects.filter(year=year, status__in=Evaluation.LOCKED).values_list(
            "employee_id", "period_id"
        )
    )
    # {(period id or None, rater id): (user id, label, the earliest end of the open windows)}
    opened: dict[tuple[int | None, int], tuple[int, str, dt.date]] = {}
    # {(period id or None, rater id, window end): [user id, label, evaluations not finalised]}
    closing: dict[tuple[int | None, int, dt.date], list] = {}
    open_windows: dict[int | None, Period | None] = {}

    def note(
        period_id: int | None,
        rater_id: int,
        user_id: int,
        label: str,
        window: Window,
        pending: bool,
    ) -> None:
        earlier = opened.get((period_id, rater_id))
        end = window.end if earlier is None else min(earlier[2], window.end)
        opened[(period_id, rater_id)] = (user_id, label, end)
        if pending and _closing(today, window, days_off):
            entry = closing.setdefault((period_id, rater_id, window.end), [user_id, label, 0])
            entry[2] += 1

    for employee_id, status, rater_id, user_id, unit_id, valid_from, valid_until in skps:
        cal = calendars.get(unit_id)
        if cal is None:
            continue
        for p in cal.periods:
            if p.evaluation.is_open(today) and _covers(valid_from, valid_until, p.period):
                open_windows[p.pk] = p.period
                pending = (employee_id, p.pk) not in locked
                note(p.pk, rater_id, user_id, p.label, p.evaluation, pending)
        if status != Skp.Status.DITUTUP and cal.annual.is_open(today):
            open_windows[None] = None
            pending = (employee_id, None) not in locked
            note(None, rater_id, user_id, _("tahunan"), cal.annual, pending)
    own = agency_calendar(year)
    for p in own.periods:
        if p.evaluation.is_open(today):
            open_windows.setdefault(p.pk, p.period)
    if own.annual.is_open(today):
        open_windows.setdefault(None, None)

    rows: list[Notification] = []

    def add(user_id: int | None, kind: str, key: str, text: str, url: str) -> None:
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

    def where(period_id: int | None) -> str:
        return str(period_id) if period_id is not None else f"annual:{year.pk}"

    for (period_id, rater_id), (user_id, label, end) in opened.items():
        add(
            user_id,
            Notification.Kind.EVALUATION,
            f"evaluation:{where(period_id)}:{rater_id}",
            _("Evaluasi kinerja %(p)s untuk tim Anda dibuka sampai %(d)s.")
            % {"p": label, "d": f"{end:%d-%m-%Y}"},
            _team_url(period_id),
        )
    for (period_id, rater_id, end), (user_id, label, pending) in closing.items():
        add(
            user_id,
            Notification.Kind.EVALUATION,
            f"evaluation_closing:{where(period_id)}:{rater_id}:{end:%Y%m%d}",
            _("Jendela evaluasi %(p)s ditutup %(d)s; %(n)s evaluasi tim Anda belum difinalkan.")
            % {"p": label, "d": f"{end:%d-%m-%Y}", "n": pending},
            _team_url(period_id),
        )
    if not open_windows:
        return rows
    admins = list(
        RoleGrant.objects.filter(agency=agency, role=RoleGrant.Role.ADMIN_BKD)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not admins:
        return rows
    for period_id, period in open_windows.items():
        missing = selectors.ungraded_units(agency.pk, year, period, limit=NAMED_UNITS)
        if not missing.total:
            continue
        names = ", ".join(u.name for u in missing.units)
        if missing.total > len(missing.units):
            names += ", …"
        label = period.label if period is not None else _("evaluasi tahunan")
        text = _(
            "Jendela evaluasi %(p)s tahun %(y)s telah dibuka, tetapi %(n)s unit kerja belum "
            "memiliki predikat kinerja organisasi (sendiri maupun warisan unit atasannya): "
            "%(units)s. Tetapkan di halaman predikat kinerja organisasi."
        ) % {"p": label, "y": year.year, "n": missing.total, "units": names}
        slot = str(period_id) if period_id is not None else "annual"
        for user_id in admins:
            add(
                user_id,
                Notification.Kind.ORG_GRADE,
                f"grades_missing:{year.pk}:{slot}:{user_id}",
                text,
                _grades_url(year, period_id),
            )
    return rows
