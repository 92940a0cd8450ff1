"""An IKI takes a service's (or unit's) IKM as its realisasi; the unit page shows the
organisation predikat beside the IKM."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment.models import OrgPerformance
from kinerja.audit.models import AuditEvent
from kinerja.monitoring.models import Realisasi
from kinerja.org.models import OrgUnit
from kinerja.planning import services as planning
from kinerja.planning.models import PerformanceYear, Period, Rhk, Skp
from kinerja.surveys import services
from kinerja.surveys.models import IkiIkmSource, Response, Service

from .factories import bulk_responses, make_period, make_service

pytestmark = pytest.mark.django_db

# Three counted answers: all 4, all 3, and 1,2,3,4,1,2,3,4,1. Element sums 8,9,10,11,8,9,10,11,8
# = 84 over 3 respondents and 9 elements: IKM 84/27 = 3.1111, converted x25 = 77.777... = 77.78,
# mutu B (76.61-88.30), kinerja "Baik".
ROWS = [(4,) * 9, (3,) * 9, (1, 2, 3, 4, 1, 2, 3, 4, 1)]
EXPECTED = Decimal("77.78")
NARRATIVE = "IKM layanan Imunisasi dasar: 77,78 (mutu B, Baik) dari 3 responden"


@pytest.fixture
def plan(world):
    """This year's performance year opened; the staff's SKP has one IKI."""
    today = timezone.localdate()
    year = planning.year_create(
        actor=world.user("admin"),
        agency=world.agency,
        year=today.year,
        frequency=PerformanceYear.Frequency.QUARTERLY,
        annual_source=PerformanceYear.AnnualSource.LAST_PERIOD,
    )
    planning.year_open(actor=world.user("admin"), year=year)
    year.refresh_from_db()
    skp = Skp.objects.exclude(status=Skp.Status.DITUTUP).get(employee=world.staff, year=year)
    rhk = planning.rhk_add(
        actor=world.user("staff"), skp=skp, text="Layanan imunisasi", kind=Rhk.Kind.UTAMA
    )
    iki = planning.iki_add(
        actor=world.user("staff"),
        rhk=rhk,
        text="Indeks kepuasan layanan imunisasi",
        target_text="IKM 80",
        aspect="kualitas",
        perspektif="",
        target_min=80,
        target_max=100,
        unit="indeks",
    )
    period = Period.objects.get(year=year, start__lte=today, end__gte=today)
    return {"year": year, "skp": skp, "iki": iki, "period": period}


# --- Link validation ---------------------------------------------------------------------


def test_owner_links_and_relinking_replaces(world, plan, service):
    iki = plan["iki"]
    link = services.iki_ikm_link(actor=world.user("staff"), iki=iki, service=service)
    assert (link.service_id, link.unit_id, link.agency_id) == (service.pk, None, world.agency.pk)
    services.iki_ikm_link(actor=world.user("admin"), iki=iki, unit=world.units["bidang"])
    assert list(IkiIkmSource.objects.values_list("iki_id", "service_id", "unit_id")) == [
        (iki.pk, None, world.units["bidang"].pk)
    ]
    assert AuditEvent.objects.filter(action="surveys.iki_source.link").count() == 2


def test_rater_may_link(world, plan, service):
    rater = plan["skp"].rater
    assert rater is not None
    services.iki_ikm_link(actor=rater.user, iki=plan["iki"], service=service)
    assert IkiIkmSource.objects.filter(iki=plan["iki"], service=service).exists()


def test_peer_is_refused(world, plan, service):
    with pytest.raises(PermissionDenied) as exc:
        services.iki_ikm_link(actor=world.user("peer"), iki=plan["iki"], service=service)
    assert str(exc.value) == (
        "Hanya admin BKD, pemilik SKP, atau pejabat penilainya yang dapat mengatur sumber IKM."
    )
    assert not IkiIkmSource.objects.exists()


def test_outsider_is_refused(world, plan, service):
    for name in ("outsider", "outsider_admin"):
        with pytest.raises(ValidationError) as exc:
            services.iki_ikm_link(actor=world.user(name), iki=plan["iki"], service=service)
        assert exc.value.messages == ["IKI tidak ditemukan."]
    assert not IkiIkmSource.objects.exists()


def test_service_or_unit_of_another_agency_is_refused(world, plan):
    foreign_unit = OrgUnit.objects.filter(agency=world.other_agency).first()
    foreign_service = Service.objects.create(
        agency=world.other_agency, unit=foreign_unit, name="Legalisir ijazah"
    )
    admin = world.user("admin")
    for kwargs in ({"service": foreign_service}, {"unit": foreign_unit}):
        with pytest.raises(ValidationError) as exc:
            services.iki_ikm_link(actor=admin, iki=plan["iki"], **kwargs)
        assert exc.value.messages == ["Layanan atau unit tidak ditemukan."]
    with pytest.raises(ValidationError):
        services.iki_ikm_link(actor=admin, iki=plan["iki"])
    assert not IkiIkmSource.objects.exists()


def test_unlink(world, plan, service):
    services.iki_ikm_link(actor=world.user("staff"), iki=plan["iki"], service=service)
    services.iki_ikm_unlink(actor=world.user("staff"), iki=plan["iki"])
    assert not IkiIkmSource.objects.exists()
    with pytest.raises(ValidationError):
        services.iki_ikm_unlink(actor=world.user("staff"), iki=plan["iki"])


# --- Sync --------------------------------------------------------------------------------


def test_sync_writes_the_converted_ikm_and_is_idempotent(world, plan, service):
    survey_period = make_period(world.agency)
    bulk_responses(service, survey_period, ROWS)
    # Neither a hidden nor a pending-flag response counts.
    bulk_responses(service, survey_period, [(1,) * 9], moderation=Response.Moderation.HIDDEN)
    bulk_responses(service, survey_period, [(1,) * 9], flag=Response.Flag.PENDING)
    services.iki_ikm_link(actor=world.user("staff"), iki=plan["iki"], service=service)

    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 1
    row = Realisasi.objects.get()
    assert (row.iki_id, row.period_id, row.employee_id, row.agency_id) == (
        plan["iki"].pk,
        plan["period"].pk,
        world.staff.pk,
        world.agency.pk,
    )
    assert row.value == EXPECTED
    assert row.narrative == NARRATIVE

    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 1
    again = Realisasi.objects.get()
    assert (again.pk, again.value, again.narrative) == (row.pk, EXPECTED, NARRATIVE)
    event = AuditEvent.objects.filter(action="surveys.iki_source.sync").latest("pk")
    assert event.after == {"links": 1, "written": 1, "skipped": 0}


def test_unit_source_pools_the_services_below(world, plan):
    survey_period = make_period(world.agency)
    bulk_responses(make_service(world, name="Imunisasi dasar"), survey_period, ROWS[:2])
    bulk_responses(make_service(world, unit="bidang", name="Rujukan"), survey_period, ROWS[2:])
    services.iki_ikm_link(actor=world.user("admin"), iki=plan["iki"], unit=world.units["bidang"])
    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 1
    row = Realisasi.objects.get()
    assert row.value == EXPECTED
    assert row.narrative == (
        "IKM unit Bidang Pelayanan Kesehatan: 77,78 (mutu B, Baik) dari 3 responden"
    )


def test_no_responses_writes_nothing_and_keeps_an_existing_realisasi(world, plan, service):
    services.iki_ikm_link(actor=world.user("staff"), iki=plan["iki"], service=service)
    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 0
    assert not Realisasi.objects.exists()
    typed = Realisasi.objects.create(
        agency=world.agency,
        employee=world.staff,
        iki=plan["iki"],
        period=plan["period"],
        value=Decimal("81.00"),
        narrative="Diisi manual",
    )
    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 0
    typed.refresh_from_db()
    assert (typed.value, typed.narrative) == (Decimal("81.00"), "Diisi manual")


def test_responses_outside_the_period_do_not_count(world, plan, service):
    survey_period = make_period(world.agency)
    before = timezone.make_aware(
        dt.datetime.combine(plan["period"].start - dt.timedelta(days=1), dt.time(12))
    )
    bulk_responses(service, survey_period, ROWS, submitted_at=before)
    services.iki_ikm_link(actor=world.user("staff"), iki=plan["iki"], service=service)
    assert services.ikm_realisasi_sync(agency=world.agency, period=plan["period"]) == 0


def test_command_and_job(world, plan, service, login):
    bulk_responses(service, make_period(world.agency), ROWS)
    services.iki_ikm_link(actor=world.user("staff"), iki=plan["iki"], service=service)
    call_command(
        "sync_ikm_realisasi", agency=world.agency.code, date=timezone.localdate().isoformat()
    )
    assert Realisasi.objects.get(period=plan["period"]).value == EXPECTED
    Realisasi.objects.all().delete()

    client = login(world.user("admin"))
    url = reverse("surveys:service_sync", args=[service.pk])
    response = client.post(url, {"period": plan["period"].pk})
    assert response.status_code == 302 and response["Location"].startswith("/proses/")
    assert Realisasi.objects.get(period=plan["period"]).value == EXPECTED


# --- Pages -------------------------------------------------------------------------------


def test_service_page_links_an_iki(world, plan, service, login):
    client = login(world.user("admin"))
    page = client.get(reverse("surveys:service_detail", args=[service.pk]))
    assert f'<option value="{plan["iki"].pk}">' in page.content.decode()
    url = reverse("surveys:service_iki", args=[service.pk])
    response = client.post(url, {"iki": plan["iki"].pk, "action": "link"})
    assert response.status_code == 302
    assert IkiIkmSource.objects.get().service_id == service.pk
    page = client.get(reverse("surveys:service_detail", args=[service.pk])).content.decode()
    assert "Lepas tautan" in page and "Indeks kepuasan layanan imunisasi" in page
    client.post(url, {"iki": plan["iki"].pk, "action": "unlink"})
    assert not IkiIkmSource.objects.exists()


def test_unit_head_sees_only_ikis_they_may_link(world, plan, service, login):
    # Kasi heads the seksi: the staff's IKI is in scope. An IKI id of another agency is refused.
    client = login(world.user("kasi"))
    page = client.get(reverse("surveys:service_detail", args=[service.pk])).content.decode()
    assert f'<option value="{plan["iki"].pk}">' in page
    response = client.post(
        reverse("surveys:service_iki", args=[service.pk]), {"iki": "999999"}, follow=True
    )
    assert "Pilih IKI." in response.content.decode()
    assert not IkiIkmSource.objects.exists()


def test_unit_page_shows_the_org_predikat(world, plan, login):
    unit = world.units["bidang"]
    client = login(world.user("admin"))
    url = reverse("surveys:unit_detail", args=[unit.pk])
    body = client.get(url).content.decode()
    assert "Predikat kinerja organisasi" in body and "belum ditetapkan" in body
    OrgPerformance.objects.create(
        agency=world.agency, unit=unit, year=plan["year"], period=plan["period"], grade="baik"
    )
    OrgPerformance.objects.create(
        agency=world.agency, unit=unit, year=plan["year"], grade="butuh_perbaikan"
    )
    body = client.get(url).content.decode()
    # The annual result is the latest of the year.
    assert '<span class="badge">Butuh Perbaikan</span>' in body
