"""URL tenancy cases of the survey app (see kinerja/tests/test_url_tenancy.py)."""

import datetime as dt


def _service(world):
    from kinerja.surveys.models import Service

    service = Service.objects.create(
        agency=world.agency, unit=world.units["seksi"], name="Imunisasi dasar"
    )
    return service


def _service_pk(world):
    return {"pk": _service(world).pk}


def _period_pk(world):
    from kinerja.surveys.models import SurveyPeriod

    period = SurveyPeriod.objects.create(
        agency=world.agency,
        unit=world.units["dinkes"],
        name="2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    return {"pk": period.pk}


def _response_pk(world):
    from django.utils import timezone

    from kinerja.surveys.models import Response, SurveyPeriod

    service = _service(world)
    period = SurveyPeriod.objects.create(
        agency=world.agency, name="2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    response = Response.objects.create(
        agency=world.agency,
        service=service,
        period=period,
        submitted_at=timezone.now(),
        comment="Antrean terlalu panjang.",
        **{f"u{i}": 3 for i in range(1, 10)},
    )
    return {"pk": response.pk}


def _kiosk_pk(world):
    from kinerja.surveys.models import Kiosk

    service = _service(world)
    kiosk = Kiosk.objects.filter(service=service).first() or Kiosk.objects.create(
        agency=world.agency, service=service, name="Tablet loket 1", key_hash="k" * 64
    )
    return {"pk": kiosk.pk}


URL_CASES = {
    # Pages
    "surveys:service_detail": _service_pk,
    "surveys:service_edit": _service_pk,
    "surveys:codes": _service_pk,
    "surveys:codes_download": _service_pk,
    "surveys:kiosks": _service_pk,
    "surveys:kiosk_revoke": _kiosk_pk,
    "surveys:poster": _service_pk,
    "surveys:report": _service_pk,
    "surveys:export": _service_pk,
    "surveys:service_iki": _service_pk,
    "surveys:service_sync": _service_pk,
    "surveys:unit_detail": lambda world: {"pk": world.units["bidang"].pk},
    "surveys:period_toggle": _period_pk,
    "surveys:response_action": _response_pk,
    # API
    "survey-service-detail": _service_pk,
    "survey-service-index": _service_pk,
    "survey-period-detail": _period_pk,
    "survey-kiosk-detail": _kiosk_pk,
    "survey-kiosk-revoke": _kiosk_pk,
    "survey-response-detail": _response_pk,
    "survey-response-act": _response_pk,
    "survey-unit-index-detail": lambda world: {"pk": world.units["bidang"].pk},
}

PUBLIC_URLS = {
    "surveys:public_survey": "the citizen questionnaire behind the QR code: no login, "
    "reached by the service's random unguessable token, shows only the service's name",
    "surveys:public_thanks": "the thank-you page after the public questionnaire (by token)",
    "surveys:kiosk_activate": "opened once on a counter's tablet: the service's token and the "
    "kiosk's random key (only its hash is stored); an unknown or revoked key is a 404",
    "survey-public-detail": "API twin of the public questionnaire (by token, no login)",
    "survey-public-submit": "API twin of the public form's submission (by token, no login)",
}
