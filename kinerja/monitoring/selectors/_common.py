"""Small helpers the monitoring reads share."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone

from kinerja.org.models import Employee
from kinerja.planning.models import PerformanceYear, Skp


def _attach(row: models.Model, **values: object) -> None:
    """Values computed for a page, read by its template as attributes of the row
    (as a queryset's `annotate` would)."""
    row.__dict__.update(values)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _skp_in_force(employee: Employee, year: PerformanceYear) -> Skp | None:
    return (
        Skp.objects.filter(employee=employee, year=year)
        .exclude(status=Skp.Status.DITUTUP)
        .select_related("year", "rater")
        .first()
    )
