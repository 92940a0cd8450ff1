"""The rater's superior's own deadline (docs/domain.md §1): when the rater misses the window,
the rater's superior rates within `superior_rates_days` working days after it closes (the
calendar that applies to the unit). Evaluations still not finalised after that deadline are
reported to admin BKD, once per period, by `assessment_escalate` (run daily)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.monitoring.models import Notification
from kinerja.org.models import Agency, OrgUnit, RoleGrant
from kinerja.planning.models import PerformanceYear, Skp
from kinerja.planning.selectors.calendar import calendar_map

from .. import selectors
from ..models import Evaluation
from ._shared import day_of


def superior_lapses(
    year: PerformanceYear, today: dt.date
) -> dict[tuple[int | None, str], tuple[int, dt.date]]:
    """{(period id or None for the annual evaluation, label): (number of employees whose
    evaluation is not finalised although the superior's deadline has passed, the latest such
    deadline)}. Set-based: the approved SKP, the locked evaluations and the calendars of
    their units in a fixed number of queries."""
    skps = list(
        Skp.objects.filter(
            year=year, status__in=[Skp.Status.DISETUJUI, Skp.Status.DITUTUP]
        ).values_list("employee_id", "unit_id", "valid_from", "valid_until")
    )
    if not skps:
        return {}
    units = OrgUnit.objects.filter(pk__in={unit_id for _e, unit_id, _f, _u in skps}).only(
        "pk", "path"
    )
    calendars = calendar_map(units, year)
    off = selectors.days_off(year.agency_id, [year.year, year.year + 1])
    locked = set(
        Evaluation.objects.filter(year=year, status__in=Evaluation.LOCKED).values_list(
            "employee_id", "period_id"
        )
    )
    found: dict[tuple[int | None, str], tuple[int, dt.date]] = {}
    for employee_id, unit_id, valid_from, valid_until in skps:
        cal = calendars[unit_id]
        targets: list[tuple[int | None, str, dt.date, dt.date]] = [
            (p.pk, p.label, p.period.start, p.period.end) for p in cal.periods
        ]
        targets.append((None, _("Evaluasi tahunan"), year.start, year.end))
        for period_id, label, start, end in targets:
            if valid_from > end or (valid_until is not None and valid_until < start):
                continue
            if (employee_id, period_id) in locked:
                continue
            due = cal.superior_deadline(period_id, off)
            if due < today:
                n, latest = found.get((period_id, label), (0, due))
                found[(period_id, label)] = (n + 1, max(latest, due))
    return found


def superior_lapses_notify(*, agency: Agency, today: dt.date | None = None) -> int:
    """Tells every admin BKD of the agency, once per period, how many evaluations are still
    not finalised after the superior's deadline. Returns the notifications created."""
    today = day_of(today)
    admins = list(
        RoleGrant.objects.filter(agency=agency, role=RoleGrant.Role.ADMIN_BKD)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not admins:
        return 0
    rows = []
    url = reverse("assessment:admin")
    for year in PerformanceYear.objects.filter(agency=agency, status=PerformanceYear.Status.OPEN):
        for (period_id, label), (n, due) in superior_lapses(year, today).items():
            text = _(
                "%(n)s evaluasi %(p)s tahun %(y)s belum difinalkan, padahal batas penilaian "
                "oleh atasan pejabat penilai (%(d)s) telah lewat."
            ) % {"n": n, "p": label, "y": year.year, "d": f"{due:%d-%m-%Y}"}
            key = f"superior_lapse:{year.pk}:{period_id or 'annual'}"
            rows += [
                Notification(
                    agency_id=agency.pk,
                    recipient_id=user_id,
                    kind=Notification.Kind.EVALUATION,
                    text=text[:500],
                    url=url,
                    dedupe_key=f"{key}:{user_id}",
                )
                for user_id in admins
            ]
    existing = set(
        Notification.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    fresh = [r for r in rows if r.dedupe_key not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
