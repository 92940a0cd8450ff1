"""`build`: the whole demo history of the demo agency for `today`, once per
year (kinerja.demo.history for the closed years, kinerja.demo.current for the
year in progress). Each year built is marked by a "demo.history.year" audit
event; a year so marked is never touched again, so a second run changes
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import record
from kinerja.org.demo import DEMO_CODE
from kinerja.org.models import Agency

from .current import build_current_year
from .history import build_closed_year, load
from .surveys import survey_year

HISTORY_ACTION = "demo.history.year"


@dataclass
class HistoryResult:
    agency: Agency
    built: list[int]
    skipped: list[int]


def _built(agency: Agency, year: int) -> bool:
    return (
        AuditEvent.objects.filter(
            agency=agency, action=HISTORY_ACTION, target_type="planning.performanceyear"
        )
        .filter(after__year=year)
        .exists()
    )


def build_history(*, today: dt.date | None = None) -> HistoryResult:
    """Two closed years before `today`'s year and `today`'s year at the stage of
    its calendar. Idempotent."""
    today = today or timezone.localdate()
    agency = Agency.objects.get(code=DEMO_CODE)
    demo = load(agency, today)
    built, skipped = [], []
    for number in (today.year - 2, today.year - 1, today.year):
        if _built(agency, number):
            skipped.append(number)
            continue
        with transaction.atomic():
            if number < today.year:
                year = build_closed_year(demo, number, appeal_change=number == today.year - 1)
                survey_year(demo, number, year.end, closed=True)
                stage = "closed"
            else:
                year = build_current_year(demo, today)
                survey_year(demo, number, today, closed=False)
                stage = f"current:{today.isoformat()}"
            record(
                "demo.history.year",
                actor=demo.admin,
                agency=agency,
                target=year,
                after={"year": number, "stage": stage},
            )
        built.append(number)
    return HistoryResult(agency=agency, built=built, skipped=skipped)
