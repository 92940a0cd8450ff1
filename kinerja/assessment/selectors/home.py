"""Assessment's part of the home page (kinerja/org/inbox.py).

For the employee: an evaluation delivered to acknowledge, and the deadline to appeal it;
a colleague's evaluation asking for their input. For the rater: evaluations to rate while
an evaluation window of their calendar is open (due by each employee's window), to sign
and deliver, appeals to decide. For the tim penilai and admin BKD: calibrations to close,
units without an organisation grade while a window is open, appeals about to lapse. And
the person's latest predikat, through the one predikat selector. A fixed number of
queries: counts, never one row per employee of the agency."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.org.access import Access
from kinerja.org.inbox import INFO, InboxItem, ProgressFact, urgency_of
from kinerja.planning.models import PerformanceYear
from kinerja.planning.selectors import current_year
from kinerja.planning.selectors.calendar import calendar_for

from ..models import Appeal, Calibration, Evaluation, PeerInput
from .evaluations import team
from .grades import ungraded_units
from .predikat import current_predikat, predikat_label

#: Admin BKD hears of an appeal this many days before its decision is due.
APPEAL_LAPSING_DAYS = 2


def _label(evaluation: Evaluation) -> str:
    if evaluation.period is None:
        return _("evaluasi tahunan %(year)s") % {"year": evaluation.year.year}
    return _("evaluasi %(period)s") % {"period": evaluation.period.label}


def _employee_items(access: Access, today: dt.date) -> list[InboxItem]:
    me = access.employee
    assert me is not None
    items: list[InboxItem] = []
    delivered = (
        Evaluation.objects.filter(employee=me, status=Evaluation.Status.DELIVERED)
        .select_related("year", "period")
        .order_by("acknowledge_due", "pk")
    )
    for evaluation in delivered:
        url = reverse("assessment:evaluation", args=[evaluation.pk])
        items.append(
            InboxItem(
                kind="evaluation_acknowledge",
                title=_("Terima %(what)s") % {"what": _label(evaluation)},
                detail=_("Baca hasilnya lalu nyatakan telah menerima."),
                due=evaluation.acknowledge_due,
                url=url,
                urgency=urgency_of(evaluation.acknowledge_due, today),
            )
        )
        if (
            not evaluation.is_final_no_appeal
            and evaluation.appeal_due
            and evaluation.appeal_due >= today
        ):
            items.append(
                InboxItem(
                    kind="appeal_deadline",
                    title=_("Batas pengajuan keberatan atas %(what)s")
                    % {"what": _label(evaluation)},
                    detail=_("Bila tidak setuju dengan hasilnya, ajukan keberatan sebelum batas."),
                    due=evaluation.appeal_due,
                    url=reverse("assessment:appeal_file", args=[evaluation.pk]),
                    urgency=urgency_of(evaluation.appeal_due, today, base=INFO),
                )
            )
    peers = PeerInput.objects.filter(peer=me, submitted_at__isnull=True).aggregate(
        n=Count("pk"), first=Min("pk")
    )
    if peers["n"]:
        n = peers["n"]
        items.append(
            InboxItem(
                kind="peer_input",
                title=ngettext(
                    "%(n)s permintaan masukan rekan kerja untuk evaluasi",
                    "%(n)s permintaan masukan rekan kerja untuk evaluasi",
                    n,
                )
                % {"n": n},
                detail=_("Masukan Anda menjadi bahan pejabat penilai, bukan suara penentu."),
                url=(
                    reverse("assessment:peer_input", args=[peers["first"]])
                    if n == 1
                    else reverse("assessment:home")
                ),
                count=n,
            )
        )
    return items


def _rater_items(access: Access, year: PerformanceYear, today: dt.date) -> list[InboxItem]:
    me = access.employee
    assert me is not None
    items: list[InboxItem] = []
    cal = calendar_for(me.unit, year)
    windows: list[tuple[int | None, str]] = [
        (p.pk, p.label) for p in cal.periods if p.evaluation.is_open(today)
    ]
    if cal.annual.is_open(today):
        windows.append((None, _("evaluasi tahunan")))
    periods = {p.pk: p.period for p in cal.periods}
    for period_id, label in windows:
        period = periods[period_id] if period_id is not None else None
        rows = team(employee=me, year=year, period=period, today=today)
        open_rows = [r for r in rows if r.evaluation is None or not r.evaluation.is_locked]
        if not open_rows:
            continue
        due = min(r.due for r in open_rows if r.due is not None)
        n = len(open_rows)
        items.append(
            InboxItem(
                kind="evaluation_rate",
                title=ngettext(
                    "Nilai %(n)s pegawai untuk %(period)s",
                    "Nilai %(n)s pegawai untuk %(period)s",
                    n,
                )
                % {"n": n, "period": label},
                detail=_(
                    "Bila pejabat penilai melewati batas, atasannya yang menilai dan "
                    "hasilnya final."
                ),
                due=due,
                url=reverse("assessment:team")
                + "?periode="
                + (str(period_id) if period_id is not None else "tahunan"),
                urgency=urgency_of(due, today),
                count=n,
            )
        )
    to_deliver = Evaluation.objects.filter(
        rater=me, status__in=[Evaluation.Status.FINALISED, Evaluation.Status.SIGNED]
    ).aggregate(n=Count("pk"), due=Min("deliver_due"), first=Min("pk"))
    if to_deliver["n"]:
        n = to_deliver["n"]
        items.append(
            InboxItem(
                kind="evaluation_deliver",
                title=ngettext(
                    "%(n)s evaluasi perlu ditandatangani dan disampaikan",
                    "%(n)s evaluasi perlu ditandatangani dan disampaikan",
                    n,
                )
                % {"n": n},
                due=to_deliver["due"],
                url=(
                    reverse("assessment:evaluation", args=[to_deliver["first"]])
                    if n == 1
                    else reverse("assessment:team")
                ),
                urgency=urgency_of(to_deliver["due"], today),
                count=n,
            )
        )
    return items


def _decider_items(access: Access, today: dt.date) -> list[InboxItem]:
    me = access.employee
    assert me is not None
    appeals = Appeal.objects.filter(decider=me, status=Appeal.Status.FILED).aggregate(
        n=Count("pk"), due=Min("decide_due"), first=Min("pk")
    )
    if not appeals["n"]:
        return []
    n = appeals["n"]
    return [
        InboxItem(
            kind="appeal_decide",
            title=ngettext(
                "%(n)s keberatan menunggu keputusan Anda",
                "%(n)s keberatan menunggu keputusan Anda",
                n,
            )
            % {"n": n},
            detail=_("Keberatan diputus paling lama 7 hari kerja sejak diterima."),
            due=appeals["due"],
            url=(
                reverse("assessment:appeal", args=[appeals["first"]])
                if n == 1
                else reverse("assessment:home")
            ),
            urgency=urgency_of(appeals["due"], today),
            count=n,
        )
    ]


def _manager_items(access: Access, year: PerformanceYear, today: dt.date) -> list[InboxItem]:
    items: list[InboxItem] = []
    agency_id = access.agency_id
    assert agency_id is not None
    calibrations = Calibration.objects.filter(
        agency_id=agency_id, year=year, status=Calibration.Status.OPEN
    ).count()
    if calibrations:
        items.append(
            InboxItem(
                kind="calibration_close",
                title=ngettext(
                    "%(n)s kalibrasi masih dibuka",
                    "%(n)s kalibrasi masih dibuka",
                    calibrations,
                )
                % {"n": calibrations},
                detail=_("Tutup kalibrasi agar predikat tahunan dapat diumumkan."),
                due=year.annual_deadline,
                url=reverse("assessment:calibration_list"),
                urgency=urgency_of(year.annual_deadline, today),
                count=calibrations,
            )
        )
    if not access.is_admin:
        return items
    lapsing = Appeal.objects.filter(agency_id=agency_id, status=Appeal.Status.FILED).aggregate(
        n=Count(
            "pk",
            filter=Q(escalated=True)
            | Q(decide_due__lte=today + dt.timedelta(days=APPEAL_LAPSING_DAYS)),
        ),
        due=Min("decide_due"),
    )
    if lapsing["n"]:
        n = lapsing["n"]
        items.append(
            InboxItem(
                kind="appeal_lapsing",
                title=ngettext(
                    "%(n)s keberatan hampir atau sudah lewat batas keputusan",
                    "%(n)s keberatan hampir atau sudah lewat batas keputusan",
                    n,
                )
                % {"n": n},
                due=lapsing["due"],
                url=reverse("assessment:admin"),
                urgency=urgency_of(lapsing["due"], today),
                count=n,
            )
        )
    cal = calendar_for(None, year)
    window = next((p for p in cal.periods if p.evaluation.is_open(today)), None)
    annual = cal.annual.is_open(today)
    if window is None and not annual:
        return items
    period = None if annual or window is None else window.period
    due = cal.annual.end if annual or window is None else window.evaluation.end
    ungraded = ungraded_units(agency_id, year, period, limit=0)
    if ungraded.total:
        items.append(
            InboxItem(
                kind="org_grade_missing",
                title=ngettext(
                    "%(n)s unit belum memiliki predikat kinerja organisasi",
                    "%(n)s unit belum memiliki predikat kinerja organisasi",
                    ungraded.total,
                )
                % {"n": ungraded.total},
                detail=_("Pejabat penilai membutuhkannya untuk menilai pegawai."),
                due=due,
                url=reverse("assessment:org_performance"),
                urgency=urgency_of(due, today),
                count=ungraded.total,
            )
        )
    return items


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    if access.agency_id is None:
        return []
    items: list[InboxItem] = []
    year = current_year(access.agency_id, today)
    if access.employee is not None:
        items += _employee_items(access, today)
        items += _decider_items(access, today)
        if access.is_superior and year is not None:
            items += _rater_items(access, year, today)
    if (access.is_admin or access.is_tim_penilai) and year is not None:
        items += _manager_items(access, year, today)
    return items


def progress(access: Access, today: dt.date) -> list[ProgressFact]:
    """The person's latest published annual predikat (one query)."""
    if access.employee is None:
        return []
    latest = (
        Evaluation.objects.filter(employee=access.employee, period__isnull=True, published=True)
        .exclude(predikat="", predikat_final="")
        .select_related("year")
        .order_by("-year__year")
        .first()
    )
    if latest is None:
        return [
            ProgressFact(
                label=_("Predikat kinerja terakhir"),
                value=_("Belum ada predikat tahunan yang diumumkan"),
                url=reverse("assessment:home"),
                order=20,
            )
        ]
    return [
        ProgressFact(
            label=_("Predikat kinerja %(year)s") % {"year": latest.year.year},
            value=predikat_label(current_predikat(latest)),
            url=reverse("assessment:home"),
            order=20,
        )
    ]
