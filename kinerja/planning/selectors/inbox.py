"""Planning's part of the home page (kinerja/org/inbox.py): the person's own SKP to
write or fix, the SKP waiting for their decision, SKP not set past the deadline in the
units they lead, the calendar as a timeline, and their SKP's status. Fixed queries:
managers get counts, never one row per employee."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.org.access import Access
from kinerja.org.inbox import HomePanel, InboxItem, ProgressFact, urgency_of

from ..models import PerformanceYear, Skp
from .calendar import Calendar, calendar_for, year_position
from .years import current_year

NOT_SET = (Skp.Status.DRAFT, Skp.Status.DIKEMBALIKAN, Skp.Status.DIAJUKAN)


def _open_year(access: Access, today: dt.date) -> PerformanceYear | None:
    year = current_year(access.agency_id, today) if access.agency_id else None
    if year is None or year.status != PerformanceYear.Status.OPEN:
        return None
    return year


def _own_skp(access: Access, year: PerformanceYear) -> Skp | None:
    if access.employee is None:
        return None
    return (
        Skp.objects.filter(employee=access.employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _calendar(access: Access, year: PerformanceYear) -> Calendar:
    employee = access.employee
    return calendar_for(employee.unit if employee is not None else None, year)


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    """At most five queries: the year, the calendar (two), the own SKP, one aggregate."""
    year = _open_year(access, today)
    if year is None:
        return []
    items: list[InboxItem] = []
    deadline = _calendar(access, year).skp.end
    skp = _own_skp(access, year)
    if skp is not None and skp.status in (Skp.Status.DRAFT, Skp.Status.DIKEMBALIKAN):
        returned = skp.status == Skp.Status.DIKEMBALIKAN
        items.append(
            InboxItem(
                kind="skp_fix" if returned else "skp_write",
                title=(
                    _("Perbaiki SKP %(year)s yang dikembalikan atasan")
                    if returned
                    else _("Susun dan ajukan SKP %(year)s")
                )
                % {"year": year.year},
                detail=_("Ajukan kepada pejabat penilai agar SKP ditetapkan."),
                due=deadline,
                url=reverse("planning:skp_detail", args=[skp.pk]),
                urgency=urgency_of(deadline, today),
            )
        )
    me = access.employee
    decide = Q(pk__in=[])
    if me is not None:
        decide |= Q(rater_id=me.pk)
    if access.is_admin:
        decide |= Q(rater__isnull=True)
    decide &= Q(status=Skp.Status.DIAJUKAN)
    behind = Q(pk__in=[])
    managing = access.is_admin or access.is_unit_head
    if managing and today > deadline:
        behind = Q(status__in=NOT_SET) & (
            Q() if access.is_admin else access.employee_filter("employee__")
        )
    others = Skp.objects.filter(year=year)
    if me is not None:
        others = others.exclude(employee=me)
    counts = others.aggregate(
        to_decide=Count("pk", filter=decide),
        first=Min("pk", filter=decide),
        behind=Count("pk", filter=behind),
        behind_units=Count("unit_id", filter=behind, distinct=True),
    )
    if counts["to_decide"]:
        n = counts["to_decide"]
        items.append(
            InboxItem(
                kind="skp_approve",
                title=(
                    _("1 SKP menunggu persetujuan Anda")
                    if n == 1
                    else _("%(n)s SKP menunggu persetujuan Anda") % {"n": n}
                ),
                detail=_("Setujui atau kembalikan dengan catatan."),
                due=deadline,
                url=(
                    reverse("planning:skp_review", args=[counts["first"]])
                    if n == 1
                    else reverse("planning:team")
                ),
                urgency=urgency_of(deadline, today),
                count=n,
            )
        )
    if counts["behind"]:
        items.append(
            InboxItem(
                kind="units_behind",
                title=_("%(n)s SKP di %(units)s unit belum ditetapkan melewati batas")
                % {"n": counts["behind"], "units": counts["behind_units"]},
                detail=_("SKP yang masih konsep, dikembalikan atau menunggu persetujuan."),
                due=deadline,
                url=(
                    reverse("planning:year_detail", args=[year.pk])
                    if access.is_admin
                    else reverse("planning:team")
                ),
                urgency=urgency_of(deadline, today),
                count=counts["behind"],
            )
        )
    return items


def timeline_panel(access: Access, today: dt.date) -> HomePanel | None:
    """The year as a timeline: where today stands, the windows, the next deadline
    (three queries: the year and the calendar of the person's unit)."""
    year = current_year(access.agency_id, today) if access.agency_id else None
    if year is None:
        return HomePanel(template="planning/_home_timeline.html", context={"year": None}, order=10)
    cal = _calendar(access, year)
    position = year_position(cal, today)
    length = max((year.end - year.start).days, 1)

    def at(date: dt.date) -> int:
        return max(0, min(100, round(100 * (date - year.start).days / length)))

    marks = [(_("SKP"), cal.skp.end)]
    marks += [(p.label, p.evaluation.end) for p in cal.periods]
    marks.append((_("Tahunan"), cal.annual.end))
    return HomePanel(
        template="planning/_home_timeline.html",
        context={
            "year": year,
            "position": position,
            "today_at": at(today),
            "marks": [
                {"label": label, "date": date, "at": at(date), "past": date < today}
                for label, date in marks
            ],
        },
        order=10,
    )


def progress(access: Access, today: dt.date) -> list[ProgressFact]:
    """The person's SKP of the current year and its status (two queries)."""
    year = current_year(access.agency_id, today) if access.agency_id else None
    if year is None or access.employee is None:
        return []
    skp = _own_skp(access, year)
    if skp is None:
        return [
            ProgressFact(
                label=_("SKP %(year)s") % {"year": year.year},
                value=_("Belum ada"),
                url=reverse("planning:home"),
                order=10,
            )
        ]
    return [
        ProgressFact(
            label=_("SKP %(year)s") % {"year": year.year},
            value=str(skp.get_status_display()),
            url=reverse("planning:skp_detail", args=[skp.pk]),
            order=10,
        )
    ]
