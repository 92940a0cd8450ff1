"""Monitoring's part of the home page (kinerja/org/inbox.py).

For the employee: realisasi due in an open realisasi window of their calendar, evidence
marked insufficient, feedback requests to answer, agreed actions of a dialogue. For the
rater: evidence of the open period not yet checked, dialogues to hold, team members
silent for RECENT_DAYS days (no daily log and no realisasi). A fixed number of queries:
counts, never one row per team member."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.org.access import Access
from kinerja.org.inbox import INFO, InboxItem, urgency_of
from kinerja.planning.models import Iki, PerformanceYear, Skp
from kinerja.planning.selectors import current_year
from kinerja.planning.selectors.calendar import calendar_for

from ..models import AgreedAction, DailyLog, Dialogue, Evidence, FeedbackRequest, Realisasi
from ._common import _skp_in_force
from .dashboards import RECENT_DAYS


def _employee_items(access: Access, year: PerformanceYear, today: dt.date) -> list[InboxItem]:
    me = access.employee
    assert me is not None
    items: list[InboxItem] = []
    home = reverse("monitoring:home")
    cal = calendar_for(me.unit, year)
    windows = [p for p in cal.periods if p.realisasi.is_open(today)]
    skp = _skp_in_force(me, year) if windows else None
    if skp is not None and skp.status in (Skp.Status.DISETUJUI, Skp.Status.DIAJUKAN):
        n_iki = Iki.objects.filter(rhk__skp=skp).count()
        filled = dict(
            Realisasi.objects.filter(
                employee=me, iki__rhk__skp=skp, period_id__in=[w.pk for w in windows]
            )
            .values_list("period_id")
            .annotate(n=Count("pk"))
            .values_list("period_id", "n")
        )
        for window in windows:
            missing = n_iki - filled.get(window.pk, 0)
            if missing > 0:
                due = window.realisasi.end
                items.append(
                    InboxItem(
                        kind="realisasi_due",
                        title=_("Isi realisasi %(period)s") % {"period": window.label},
                        detail=ngettext(
                            "%(n)s IKI belum diisi realisasinya.",
                            "%(n)s IKI belum diisi realisasinya.",
                            missing,
                        )
                        % {"n": missing},
                        due=due,
                        url=home,
                        urgency=urgency_of(due, today),
                        count=missing,
                    )
                )
    evidence = Evidence.objects.filter(owner=me, status=Evidence.Status.INSUFFICIENT).aggregate(
        n=Count("pk"), realisasi=Min("realisasi_id")
    )
    if evidence["n"]:
        n = evidence["n"]
        items.append(
            InboxItem(
                kind="evidence_insufficient",
                title=ngettext(
                    "%(n)s bukti dukung dinilai kurang memadai",
                    "%(n)s bukti dukung dinilai kurang memadai",
                    n,
                )
                % {"n": n},
                detail=_("Lengkapi atau ganti bukti dukung sesuai catatan atasan."),
                url=(
                    reverse("monitoring:realisasi_detail", args=[evidence["realisasi"]])
                    if n == 1 and evidence["realisasi"]
                    else home
                ),
                count=n,
            )
        )
    requests = FeedbackRequest.objects.filter(asked=me, answered_at__isnull=True).aggregate(
        n=Count("pk"), since=Min("created_at")
    )
    if requests["n"]:
        n = requests["n"]
        items.append(
            InboxItem(
                kind="feedback_request",
                title=ngettext(
                    "%(n)s permintaan umpan balik menunggu jawaban Anda",
                    "%(n)s permintaan umpan balik menunggu jawaban Anda",
                    n,
                )
                % {"n": n},
                detail=_("Diminta sejak %(date)s.")
                % {"date": date_format(timezone.localtime(requests["since"]).date(), "j F Y")},
                url=reverse("monitoring:feedback_list"),
                count=n,
            )
        )
    actions = AgreedAction.objects.filter(owner=me, done_at__isnull=True).aggregate(
        n=Count("pk"), due=Min("due"), dialogue=Min("dialogue_id")
    )
    if actions["n"]:
        n = actions["n"]
        items.append(
            InboxItem(
                kind="agreed_action",
                title=ngettext(
                    "%(n)s tindakan hasil dialog kinerja belum selesai",
                    "%(n)s tindakan hasil dialog kinerja belum selesai",
                    n,
                )
                % {"n": n},
                due=actions["due"],
                url=(
                    reverse("monitoring:dialogue_detail", args=[actions["dialogue"]])
                    if n == 1
                    else reverse("monitoring:dialogue_list")
                ),
                urgency=urgency_of(actions["due"], today),
                count=n,
            )
        )
    dialogues = Dialogue.objects.filter(
        Q(superior=me) | Q(participants=me), held_at__isnull=True
    ).aggregate(
        n=Count("pk", distinct=True),
        first=Min("pk"),
        at=Min("scheduled_at"),
    )
    if dialogues["n"]:
        n = dialogues["n"]
        at = timezone.localtime(dialogues["at"]).date()
        items.append(
            InboxItem(
                kind="dialogue",
                title=ngettext(
                    "%(n)s dialog kinerja belum dilaksanakan",
                    "%(n)s dialog kinerja belum dilaksanakan",
                    n,
                )
                % {"n": n},
                detail=_("Catat hasil dan tindakan yang disepakati setelah dialog."),
                due=at,
                url=(
                    reverse("monitoring:dialogue_detail", args=[dialogues["first"]])
                    if n == 1
                    else reverse("monitoring:dialogue_list")
                ),
                urgency=urgency_of(at, today),
                count=n,
            )
        )
    return items


def _rater_items(access: Access, year: PerformanceYear, today: dt.date) -> list[InboxItem]:
    me = access.employee
    assert me is not None
    items: list[InboxItem] = []
    team = reverse("monitoring:team")
    rated = Skp.objects.filter(rater=me, year=year).exclude(status=Skp.Status.DITUTUP)
    unchecked = Evidence.objects.filter(
        owner_id__in=rated.values("employee_id"),
        reviewed_at__isnull=True,
        realisasi__period__year=year,
        realisasi__period__start__lte=today,
        realisasi__period__window_end__gte=today,
    ).count()
    if unchecked:
        items.append(
            InboxItem(
                kind="evidence_review",
                title=ngettext(
                    "%(n)s bukti dukung tim belum diperiksa",
                    "%(n)s bukti dukung tim belum diperiksa",
                    unchecked,
                )
                % {"n": unchecked},
                detail=_("Periksa realisasi dan bukti dukung periode berjalan."),
                url=team,
                count=unchecked,
            )
        )
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    silent = (
        rated.exclude(employee=me)
        .filter(
            ~Exists(
                DailyLog.objects.filter(
                    employee_id=OuterRef("employee_id"), date__gte=since, date__lte=today
                )
            ),
            ~Exists(
                Realisasi.objects.filter(
                    employee_id=OuterRef("employee_id"), updated_at__date__gte=since
                )
            ),
        )
        .aggregate(n=Count("employee_id", distinct=True))["n"]
    )
    if silent:
        items.append(
            InboxItem(
                kind="team_silent",
                title=ngettext(
                    "%(n)s anggota tim tanpa catatan harian atau realisasi selama %(days)s hari",
                    "%(n)s anggota tim tanpa catatan harian atau realisasi selama %(days)s hari",
                    silent,
                )
                % {"n": silent, "days": RECENT_DAYS},
                detail=_("Sapa mereka atau jadwalkan dialog kinerja."),
                url=team,
                urgency=INFO,
                count=silent,
            )
        )
    return items


def inbox_items(access: Access, today: dt.date) -> list[InboxItem]:
    """At most 13 queries, whatever the size of the agency or the team."""
    if access.employee is None or access.agency_id is None:
        return []
    year = current_year(access.agency_id, today)
    if year is None or year.status != PerformanceYear.Status.OPEN:
        return []
    items = _employee_items(access, year, today)
    if access.is_superior:
        items += _rater_items(access, year, today)
    return items
