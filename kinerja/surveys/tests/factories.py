"""Rows for survey tests: services, periods and responses written directly, and the
public form's answers (the submission itself is tested through services.response_submit)."""

import datetime as dt

from django.utils import timezone

from kinerja.surveys.models import ELEMENT_FIELDS, Response, Service, SurveyPeriod

TODAY = dt.date.today()


def make_service(world, unit="seksi", **kwargs):
    return Service.objects.create(
        agency=world.agency,
        unit=world.units[unit],
        name=kwargs.pop("name", "Imunisasi dasar"),
        **kwargs,
    )


def make_period(agency, *, start=None, end=None, name="Semester I", **kwargs):
    return SurveyPeriod.objects.create(
        agency=agency,
        name=name,
        start=start or TODAY - dt.timedelta(days=30),
        end=end or TODAY + dt.timedelta(days=30),
        **kwargs,
    )


def answers(*values, **extra):
    """Form data for nine answers: answers(4) = all fours; answers(1,2,3,4,1,2,3,4,1)."""
    if len(values) == 1:
        values = values * 9
    data = {field: str(v) for field, v in zip(ELEMENT_FIELDS, values, strict=True)}
    data.update(extra)
    return data


def bulk_responses(service, period, rows, **extra):
    """Insert responses directly: rows are 9-tuples of answers."""
    now = extra.pop("submitted_at", timezone.now())
    return Response.objects.bulk_create(
        [
            Response(
                agency_id=service.agency_id,
                service=service,
                period=period,
                submitted_at=now,
                **dict(zip(ELEMENT_FIELDS, row, strict=True)),
                **extra,
            )
            for row in rows
        ]
    )
