"""The API: scoped like the pages; the public submission runs the form's validation."""

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.surveys.models import Response, Service

from .factories import answers, bulk_responses, make_service

pytestmark = pytest.mark.django_db


def test_services_are_scoped(world, login, period):
    make_service(world, unit="seksi", name="Imunisasi")
    make_service(world, unit="bkpsdm", name="Legalisir SK")

    def names(client):
        return [s["name"] for s in client.get("/api/survey-services/").json()["results"]]

    assert sorted(names(login(world.user("admin")))) == ["Imunisasi", "Legalisir SK"]
    assert names(login(world.user("kadis"))) == ["Imunisasi"]
    assert login(world.user("staff")).get("/api/survey-services/").status_code == 403


def test_create_service_through_the_api(world, login):
    client = login(world.user("kadis"))
    response = client.post(
        "/api/survey-services/",
        {"unit": world.units["bidang"].pk, "name": "Rujukan", "served_population": 500},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    service = Service.objects.get()
    assert (service.name, service.agency) == ("Rujukan", world.agency)
    assert AuditEvent.objects.filter(action="surveys.service.create").count() == 1
    foreign = client.post(
        "/api/survey-services/",
        {"unit": world.units["bkpsdm"].pk, "name": "Bukan milik saya"},
        content_type="application/json",
    )
    assert foreign.status_code == 404
    assert Service.objects.count() == 1


def test_index_endpoint(world, login, service, period):
    bulk_responses(service, period, [(4, 3, 2, 1, 4, 3, 2, 1, 4), (4,) * 9])
    client = login(world.user("admin"))
    data = client.get(
        reverse("survey-service-index", args=[service.pk]) + f"?period={period.pk}"
    ).json()
    assert (data["converted"], data["mutu"], data["kinerja"]) == ("83.33", "B", "baik")
    assert data["responses"] == 2 and data["min_sample"] == 80 and data["below_min_sample"]
    assert data["elements"][3] == {
        "code": "U4",
        "name": "Biaya/tarif",
        "nrr": "2.500",
        "weighted_nrr": "0.2778",
        "count": 2,
        "distribution": [1, 0, 0, 1],
    }
    unit = client.get(reverse("survey-unit-index-detail", args=[world.units["dinkes"].pk])).json()
    assert unit["converted"] == "83.33"


def test_responses_read_for_staff_only(world, login, service, period):
    bulk_responses(service, period, [(3,) * 9], comment="ok")
    data = login(world.user("kadis")).get("/api/survey-responses/").json()
    assert data["count"] == 1 and data["results"][0]["u1"] == 3
    assert login(world.user("outsider_admin")).get("/api/survey-responses/").json()["count"] == 0


def test_public_endpoint_submits_with_the_same_validation(client, service, period):
    url = reverse("survey-public-submit", args=[service.token])
    ok = client.post(url, answers(4, comment="Cepat"), content_type="application/json")
    assert ok.status_code == 201
    bad = client.post(url, answers(4, 4, 4, 4, 4, 4, 4, 4, 7), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["u9"] == ["Jawaban unsur Sarana dan prasarana harus bernilai 1 sampai 4."]
    assert Response.objects.count() == 1
    questions = client.get(reverse("survey-public-detail", args=[service.token])).json()
    assert len(questions["elements"]) == 9
    assert (
        client.post(
            reverse("survey-public-submit", args=["nope"]),
            answers(4),
            content_type="application/json",
        ).status_code
        == 404
    )


def test_complaint_follow_up_through_the_api(world, login, service, period):
    [row] = bulk_responses(service, period, [(2,) * 9], comment="Jam buka terlalu pendek.")
    client = login(world.user("kadis"))
    url = reverse("survey-response-act", args=[row.pk])
    assert (
        client.post(url, {"action": "complaint"}, content_type="application/json").json()[
            "complaint_status"
        ]
        == "open"
    )
    bad = client.post(
        url, {"action": "status", "status": "answered"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["answer"] == ["Tuliskan jawaban atau tindak lanjut pengaduan."]
    done = client.post(
        url,
        {"action": "status", "status": "answered", "answer": "Jam buka diperpanjang."},
        content_type="application/json",
    ).json()
    assert (done["complaint_status"], done["complaint_answer"]) == (
        "answered",
        "Jam buka diperpanjang.",
    )
    assert AuditEvent.objects.filter(action="surveys.complaint.update").count() == 1
    outsider = login(world.user("outsider_admin"))
    assert (
        outsider.post(url, {"action": "hide"}, content_type="application/json").status_code == 404
    )
