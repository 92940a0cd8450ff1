"""The API's refusals, documented and answered alike everywhere (issue 13): what
schemathesis found over the OpenAPI schema, each pinned by a plain test, and the
postprocessing hook that documents the uniform error responses on every operation
(kinerja.api.document_error_responses)."""

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from kinerja.org.tokens import token_create
from kinerja.testing import performance_year

pytestmark = pytest.mark.django_db


def _api(world, person):
    _token, key = token_create(user=world.user(person))
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_deleting_an_rhk_with_daily_logs_is_a_400(world):
    from kinerja.monitoring.models import DailyLog
    from kinerja.planning.models import Rhk
    from kinerja.testing import staff_rhk

    rhk = staff_rhk(world, performance_year(world))
    DailyLog.objects.create(
        agency=world.agency, employee=world.staff, date=rhk.skp.year.start, rhk=rhk, text="x"
    )
    response = _api(world, "staff").delete(reverse("rhk-detail", args=[rhk.pk]))
    assert response.status_code == 400, response.content
    assert "catatan harian" in str(response.json())
    assert Rhk.objects.filter(pk=rhk.pk).exists()


@pytest.mark.parametrize("body", [{"skp": {}, "text": "x"}, {"skp": "abc"}, [1, 2]])
def test_an_rhk_for_a_skp_that_is_not_an_id_is_a_404(world, body):
    performance_year(world)
    response = _api(world, "staff").post(reverse("rhk-list"), body, content_type="application/json")
    assert response.status_code == 404, response.content


def test_every_operation_documents_the_uniform_refusals(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("403", "404", "405"):
                assert responses[code]["content"]["application/json"]["schema"] == error, (
                    method,
                    path,
                    code,
                )
            if operation.get("requestBody"):
                invalid = responses["400"]["content"]["application/json"]["schema"]
                assert invalid == {"$ref": "#/components/schemas/ValidationError"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    # An operation's own description of a refusal is kept.
    own = schema["paths"]["/api/token/"]["post"]["responses"]["400"]["description"]
    assert own.startswith("NIP atau kata sandi salah")


@pytest.mark.parametrize("size", ["true", "0", "501", "²"])
def test_a_page_size_out_of_bounds_is_a_400(world, size):
    response = _api(world, "admin").get(reverse("employee-list"), {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_the_page_size_is_kept(world):
    response = _api(world, "admin").get(reverse("employee-list"), {"page_size": "2"})
    assert len(response.json()["results"]) == 2
