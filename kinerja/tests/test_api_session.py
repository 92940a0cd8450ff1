"""Browser sessions use the API too: signed-in reads work, writes need the CSRF token.
And a service's ValidationError is a 400 with its message (kinerja.api)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from kinerja.api import exception_handler

UNIT = {"code": "BARU", "name": "Bagian Baru", "kind": "bagian"}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("admin"))
    assert client.get(reverse("unit-list")).status_code == 200
    response = client.post(reverse("unit-list"), UNIT, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    client.get(reverse("org:employee_list"))  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("unit-list"), UNIT, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def _handle(exc):
    request = APIRequestFactory().get("/")
    return exception_handler(exc, {"request": request, "view": None})


def test_service_error_with_a_message_is_a_400():
    response = _handle(ValidationError("NIP 1 sudah terdaftar."))
    assert response.status_code == 400
    assert response.data == {"detail": ["NIP 1 sudah terdaftar."]}


def test_service_error_per_field_is_a_400_per_field():
    response = _handle(ValidationError({"nip": ["NIP harus 18 angka (tertulis 3 karakter)."]}))
    assert response.status_code == 400
    assert response.data == {"nip": ["NIP harus 18 angka (tertulis 3 karakter)."]}
