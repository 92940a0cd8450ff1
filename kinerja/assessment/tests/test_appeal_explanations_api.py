"""The appeal's explanations through the API, as on the appeal page: the decider
asks, the rater and the employee answer, anyone else is refused."""

import pytest

from kinerja.assessment.models import Appeal
from kinerja.audit.models import AuditEvent

from .test_appeal_evidence import appeal, delivered  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_decider_asks_and_both_explain(world, appeal, client):  # noqa: F811
    base = f"/api/appeals/{appeal.pk}"
    decider = appeal.decider.user
    client.force_login(world.user("kasi"))  # the rater is not the decider
    refused = client.post(f"{base}/request-explanations/")
    assert refused.status_code == 403
    client.force_login(decider)
    asked = client.post(f"{base}/request-explanations/")
    assert asked.status_code == 200, asked.content
    assert asked.json()["explanation_requested_at"] is not None
    client.force_login(world.user("kasi"))
    said = client.post(
        f"{base}/explain/", {"text": "Realisasi Q4 belum diunggah."}, "application/json"
    )
    assert (
        said.status_code == 200
        and said.json()["rater_explanation"] == "Realisasi Q4 belum diunggah."
    )
    client.force_login(world.user("staff"))
    empty = client.post(f"{base}/explain/", {"text": " "}, "application/json")
    assert empty.status_code == 400 and "Penjelasan wajib diisi." in str(empty.json())
    said = client.post(f"{base}/explain/", {"text": "Bukti sudah dilampirkan."}, "application/json")
    assert said.json()["employee_explanation"] == "Bukti sudah dilampirkan."
    row = Appeal.objects.get(pk=appeal.pk)
    assert (row.rater_explanation, row.employee_explanation) == (
        "Realisasi Q4 belum diunggah.",
        "Bukti sudah dilampirkan.",
    )
    assert AuditEvent.objects.filter(action="assessment.appeal.explain").count() == 2
    assert AuditEvent.objects.filter(action="assessment.appeal.request_explanations").count() == 1


def test_a_colleague_gets_404(world, appeal, client):  # noqa: F811
    client.force_login(world.user("fungsional"))
    assert client.post(f"/api/appeals/{appeal.pk}/explain/", {"text": "x"}).status_code == 404
